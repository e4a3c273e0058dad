"""Several annotators on one project: how far they agree, what they agree on, and how each does.

``project.agreement()`` (:mod:`.agreement`), ``project.consensus()`` (:mod:`.consensus`) and
``project.annotators()`` (:mod:`.annotators`) read nothing but the project's own frames
(``to_pandas()`` and ``to_pandas(long=True)``, cut into votes by :mod:`.votes`), so they give the
same answer on a local DuckDB file and on a project opened with ``jl.connect()``.

The statistics come from their libraries (scikit-learn, statsmodels, krippendorff, scipy),
installed by the ``team`` extra: ``pip install "jupylabel[team]"``.
"""

from __future__ import annotations

import importlib.util

from ..errors import MissingExtraError

# import name → the name pip installs it by
TEAM_PACKAGES = {"sklearn": "scikit-learn", "statsmodels": "statsmodels", "krippendorff": "krippendorff",
                 "scipy": "scipy"}


def require(feature: str, modules: tuple[str, ...] = tuple(TEAM_PACKAGES)) -> None:
    """Raise :class:`~jupylabel.errors.MissingExtraError` naming what to install when any of
    ``modules`` is missing, before any work is done."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        names = ", ".join(TEAM_PACKAGES.get(m, m) for m in missing)
        error = MissingExtraError(f'{feature} needs the "team" extra, which is not installed (missing: {names}); '
                                  f'install it with: pip install "jupylabel[team]"')
        error.hint = 'pip install "jupylabel[team]"'
        raise error
