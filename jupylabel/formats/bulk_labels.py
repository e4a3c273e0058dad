"""Bulk labels: what one action writes on many tasks.

``labels_result(config, {"sentiment": "Positive"})`` is the result a bulk label stores on each
task (a label or a list of labels per control, written as the control's own result type); it is
checked by the config like any submit. ``occurrence_spans`` finds every occurrence of a string
in a task's text (whole words where the string starts and ends with a word character, so
"art" is not marked inside "party"), for "label all occurrences"."""

from __future__ import annotations

import re
import secrets
from typing import Any

from ..config import LabelConfig
from ..config.model import target_names
from ..errors import ResultError

MAX_LABELS = 1000


def labels_result(config: LabelConfig, labels: Any) -> list[dict]:
    """``{control name: label or [labels]}`` → a result list, one item per control."""
    if not isinstance(labels, dict) or not labels:
        raise ResultError("labels must be an object naming a control and its label, e.g. "
                          "{\"sentiment\": \"Positive\"}")
    result = []
    for name, value in labels.items():
        tag = config.controls.get(name) if isinstance(name, str) else None
        if tag is None:
            raise ResultError(f"labels: no control named {name!r} (the config has "
                              f"{', '.join(config.controls) or 'none'})")
        values = value if isinstance(value, list) else [value]
        if not values or len(values) > MAX_LABELS or not all(isinstance(v, str) for v in values):
            raise ResultError(f"labels.{name}: must be a label or a list of labels (strings)")
        targets = target_names(tag)
        result.append({"id": secrets.token_hex(5), "from_name": name, "to_name": targets[0],
                       "type": tag.result_type, "value": {tag.value_key: values}, "origin": "manual"})
    return config.validate_result(result)


_WORD = re.compile(r"\w")


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """``(start, end)`` code-point offsets of every non-overlapping occurrence of ``needle``."""
    if not needle:
        return []
    pattern = re.escape(needle)
    if _WORD.match(needle[0]):
        pattern = r"(?<!\w)" + pattern
    if _WORD.match(needle[-1]):
        pattern += r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def occurrence_spans(config: LabelConfig, control: str, data: dict, needle: str, label: str,
                     existing: list | None = None) -> list[dict]:
    """Span results of ``control`` labeling every occurrence of ``needle`` in the task's text
    as ``label``, leaving out spans ``existing`` already holds at the same place."""
    tag = config.controls.get(control)
    if tag is None or tag.result_type != "labels":
        raise ResultError(f"control: {control!r} is not a Labels control on a text")
    target = config.objects.get(target_names(tag)[0])
    text = target.resolve(data) if target is not None else None
    if not isinstance(text, str):
        raise ResultError(f"control: {control!r} labels no text")
    taken = {(r["value"].get("start"), r["value"].get("end")) for r in existing or []
             if isinstance(r, dict) and r.get("from_name") == control and isinstance(r.get("value"), dict)}
    out = []
    for start, end in occurrences(text, needle):
        if (start, end) in taken:
            continue
        out.append({"id": secrets.token_hex(5), "from_name": control, "to_name": target.name, "type": tag.result_type,
                    "value": {"start": start, "end": end, "text": text[start:end], tag.value_key: [label]},
                    "origin": "manual"})
    config.validate_result(out)
    return out
