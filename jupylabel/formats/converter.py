"""What Label Studio's converter does before JSON_MIN, CSV and TSV, as SQL.

Label Studio (``label_studio_sdk.converter``) flattens a project to one record per annotation:
cancelled annotations are dropped, a task's annotations come newest first, and each control's
results become one value, "prettified" (``converter/utils.py`` ``prettify_result``):

* the region values of that control, each without ``type`` and with the result's
  ``original_width``/``original_height`` when present, as a list;
* except for Choices and TextArea: a region holding exactly one choice (or one text) becomes
  that string, and when the control has a single region the list is dropped, so a single
  choice is ``"Positive"`` and a multiple one ``{"choices": ["A", "B"]}``.

Only controls of the config count (results of other ``from_name`` values are dropped), each
named by its tag as written (``Choices``). The rows themselves come from
:func:`jupylabel.store.exports.converter_items_sql`; this module adds one SQL expression per
control over their ``items`` column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..config import LabelConfig

# Keys every record has after the data and the controls (JSON_MIN order).
FIXED_KEYS = ("annotator", "annotation_id", "created_at", "updated_at", "lead_time")


@dataclass(frozen=True)
class OutputColumn:
    """One control as the converter sees it: its name, its tag as written in the config, and
    the value key whose single value the converter writes alone (``CONVERTER_SCALAR`` tags:
    Choices, TextArea), else None."""

    name: str
    tag: str
    scalar_key: str | None = None


def output_columns(config: LabelConfig) -> list[OutputColumn]:
    """The controls the converter writes: Label Studio's ``parse_config`` knows a control only
    by a ``toName`` written in the config, so one whose toName was inferred is left out."""
    return [OutputColumn(name, tag.tag, tag.value_key if tag.CONVERTER_SCALAR else None)
            for name, tag in config.output_tags.items()
            if not getattr(tag, "to_name_inferred", False)]


def sql_lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def json_key(name: str) -> str:
    """``"name":`` as an SQL string literal, ready to prefix a JSON value."""
    return sql_lit(json.dumps(name, ensure_ascii=False) + ":")


def pretty_sql(col: OutputColumn, items: str = "items") -> str:
    """The control's prettified value as JSON, NULL when the annotation has no result for it."""
    mine = f"list_filter({items}, lambda r: r->>'from_name' = {sql_lit(col.name)})"
    value = ("json_merge_patch(r->'value', json_object('type', NULL, 'original_width', r->'original_width', "
             "'original_height', r->'original_height'))")
    key = col.scalar_key
    if key is None:
        return f"CASE WHEN len({mine}) = 0 THEN NULL ELSE to_json(list_transform({mine}, lambda r: {value})) END"
    inner = f"r->'value'->{sql_lit(key)}"
    elem = f"CASE WHEN json_array_length({inner}) = 1 THEN {inner}->0 ELSE {value} END"
    elems = f"list_transform({mine}, lambda r: {elem})"
    return f"CASE len({mine}) WHEN 0 THEN NULL WHEN 1 THEN ({elems})[1] ELSE to_json({elems}) END"
