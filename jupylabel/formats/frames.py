"""pandas frames out: which column each control becomes in ``project.to_pandas()``.

The config decides the shape of each control's column (a string for a single Choices, a list
for a multiple one, a list of span or box dicts for region controls); the store turns that
description into one SQL query. Nothing here touches rows.
"""

from __future__ import annotations

from ..config import LabelConfig
from ..store.protocol import FrameColumn


def frame_columns(config: LabelConfig) -> list[FrameColumn]:
    """One :class:`FrameColumn` per control, in config order."""
    return [FrameColumn(name=name, from_name=name, value_key=control.value_key,
                        shape=control.frame_shape, struct=control.frame_struct,
                        derived=control.long_columns or None)
            for name, control in config.controls.items()]
