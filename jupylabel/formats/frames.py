"""pandas frames out: which column each control becomes in ``project.to_pandas()``.

The config decides the shape of each control's column (a string for a single Choices, a list
for a multiple one, a list of span or box dicts for region controls); the store turns that
description into one SQL query. Nothing here touches rows.
"""

from __future__ import annotations

from ..config import LabelConfig
from ..config.regions import RegionTool
from ..store.protocol import FrameColumn
from ..store.relations_sql import RELATION_ROWS


def frame_columns(config: LabelConfig) -> list[FrameColumn]:
    """One :class:`FrameColumn` per control, in config order."""
    return [FrameColumn(name=name, from_name=name, value_key=control.value_key,
                        shape=control.frame_shape, struct=control.frame_struct,
                        derived=control.long_columns or None, dtype=control.frame_dtype)
            for name, control in config.controls.items()]


def long_form_columns(config: LabelConfig) -> list[FrameColumn]:
    """The region controls of ``to_pandas(long=True)``, one row per region.

    A drawing tool without labels (a ``<Rectangle>``) whose shapes a ``<Labels>`` on the same
    object names stores each shape twice, as Label Studio does: a ``rectangle`` result and a
    ``labels`` result with the same id, both carrying the geometry. The long form keeps the
    ``labels`` rows only, so each box is one labeled row; ``control="<rectangle name>"`` still
    gives the tool's own rows.
    """
    named = {target for control in config.controls.values() if control.NAMES_REGIONS
             for target in control.to_name}
    tools = {name for name, control in config.controls.items()
             if isinstance(control, RegionTool) and set(control.to_name) & named}
    relations = [relation_column()] if any(t.tag == "Relations" for t in config.tags) else []
    return [col for col in frame_columns(config) if col.name not in tools] + relations


def relation_column() -> FrameColumn:
    """The relation rows of the long form (a config with ``<Relations>``): ``control``
    ``"relation"``, keyed by ``from_id`` and ``to_id`` (``store/relations_sql.py``)."""
    return FrameColumn(name=RELATION_ROWS, from_name="", value_key="labels", shape="relations")


def columns_for(config: LabelConfig, *, long: bool = False, control: str | None = None) -> list[FrameColumn]:
    """The columns of ``to_pandas()``: every control, or for ``long=True`` the region controls
    of :func:`long_form_columns` (or ``control`` alone). A local project and the server (for a
    remote one) both ask here, so the SQL is only ever built from a project's own config."""
    if not long:
        return frame_columns(config)
    if control is None:
        return long_form_columns(config)
    if control == RELATION_ROWS and control not in config.controls:
        return [c for c in long_form_columns(config) if c.shape == "relations"] or [relation_column()]
    if control not in config.controls:
        raise KeyError(f"no control {control!r} in the config ({', '.join(config.controls)})")
    return [c for c in frame_columns(config) if c.name == control]
