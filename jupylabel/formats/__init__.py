"""Data in and out: task sources for import, pandas frames, and export formats.

Export formats and importers are found through registries (:mod:`.export` ``EXPORTERS``,
:mod:`.importers` ``IMPORTERS``, both :class:`jupylabel.plugins.Registry`): a format's module is
imported the first time it is asked for.
"""

__all__ = ["TaskSource", "task_source"]


def __getattr__(name: str):
    # Task sources read pandas: loaded when first asked for, so a server that has not imported
    # anything yet has not loaded pandas either.
    if name in __all__:
        from . import tasks_in

        return getattr(tasks_in, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
