"""Predictions coming in: which short ``result`` forms a config accepts.

Label Studio lets a prediction's ``result`` be shorter than a list of regions
(``Prediction.prepare_prediction_result``): an object is the ``value`` of the first control
whose type it names (``{"choices": ["Positive"]}``), and a bare label is the value of the first
single-valued control (``"Positive"`` for a Choices, ``4`` for a Rating). This module reads
those targets off the config; the store applies them in SQL while it stages the predictions.
"""

from __future__ import annotations

from ..config import ControlTag, LabelConfig
from ..config.model import target_names
from ..store.imports import ResultShorthand

# Single-valued controls: the JSON types a bare result may have, and how it becomes the value.
_SCALARS = {
    "choices": (("str",), "list"),
    "textarea": (("str",), "list"),
    "rating": (("int",), "scalar"),
    "number": (("int", "float"), "scalar"),
}


def value_key(tag) -> str:
    """The key of a control's labels inside a result ``value`` (TextArea's is ``text``)."""
    if isinstance(tag, ControlTag):
        return tag.value_key
    kind = tag.tag.lower()
    return "text" if kind == "textarea" else kind


def result_shorthand(config: LabelConfig) -> list[ResultShorthand]:
    """The controls a short prediction result may stand for, in config order."""
    out = []
    for name, tag in config.output_tags.items():
        targets = target_names(tag)
        if not targets:
            continue
        kind = tag.result_type if isinstance(tag, ControlTag) else tag.tag.lower()
        key = value_key(tag)
        scalar, wrap = _SCALARS.get(kind, ((), "list"))
        out.append(ResultShorthand(from_name=name, to_name=targets[0], type=kind, value_key=key,
                                   keys=tuple(dict.fromkeys((kind, key))), scalar=scalar, wrap=wrap))
    return out
