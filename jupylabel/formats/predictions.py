"""Predictions coming in: which short ``result`` forms a config accepts.

Label Studio lets a prediction's ``result`` be shorter than a list of regions
(``Prediction.prepare_prediction_result``): an object is the ``value`` of the first control
whose type it names (``{"choices": ["Positive"]}``), and a bare label is the value of the first
single-valued control (``"Positive"`` for a Choices, ``4`` for a Rating). This module reads
those targets off the config; the store applies them in SQL while it stages the predictions.
"""

from __future__ import annotations

import json
from typing import Any

from ..config import LabelConfig
from ..config.model import target_names
from ..store.predictions import ResultShorthand


def result_shorthand(config: LabelConfig) -> list[ResultShorthand]:
    """The controls a short prediction result may stand for, in config order."""
    out = []
    for name, tag in config.output_tags.items():
        targets = target_names(tag)
        if not targets:
            continue
        kind, key = tag.result_type, tag.value_key
        # single-valued controls declare the bare results they take (BARE_RESULT_TYPES)
        out.append(ResultShorthand(from_name=name, to_name=targets[0], type=kind, value_key=key,
                                   keys=tuple(dict.fromkeys((kind, key))), scalar=tag.BARE_RESULT_TYPES,
                                   wrap=tag.BARE_RESULT_WRAP))
    return out


def expand_result(value: Any, config: LabelConfig) -> list:
    """One prediction's ``result``, in any form Label Studio accepts, as a list of regions.

    The same rules as the bulk path (:func:`jupylabel.store.predictions.normalized_result_sql`
    applies :func:`result_shorthand` in SQL); this is their Python form, for a single prediction
    arriving over the API. Raises ``ValueError`` naming what the result should be.
    """
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            value = parsed
    if isinstance(value, list):
        return value
    rules = result_shorthand(config)

    def region(rule: ResultShorthand, inner: dict) -> list:
        return [{"from_name": rule.from_name, "to_name": rule.to_name, "type": rule.type, "value": inner}]

    if isinstance(value, dict):
        for rule in rules:
            if any(key in value for key in rule.keys):
                return region(rule, value)
        raise ValueError("a result object must hold the value key of a control "
                         f"({', '.join(r.value_key for r in rules)})")
    kind = {str: "str", int: "int", float: "float"}.get(type(value))
    rule = next((r for r in rules if kind in r.scalar), None) if kind else None
    if rule is None:
        raise ValueError("must be a list of result items, a value object, or a label")
    return region(rule, {rule.value_key: [value] if rule.wrap == "list" else value})
