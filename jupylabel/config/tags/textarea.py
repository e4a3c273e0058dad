"""``<TextArea>``: free text about an object (a comment, a caption, a transcription).

Each text the person adds is one entry of the control's single result, as Label Studio writes
it: ``{"type": "textarea", "value": {"text": ["first", "second"]}}``. ``value`` is the text the
field starts with (``$variables`` filled from the task), added like typed text when the
annotation is submitted. ``maxSubmissions`` caps how many texts the field takes; with
``maxSubmissions="1"`` the ``to_pandas()`` column is that one text (a string), otherwise the
list of texts.

With ``perRegion="true"`` the texts are about one region each (a span, a box): each region's
result carries its id and place, as Label Studio writes them
(``{"start": 0, "end": 5, "text": ["a note"]}``), and ``to_pandas()`` lists those values, one
row per region in ``to_pandas(long=True)``.

A value ``{"textarea": ["a text"]}`` is what Label Studio stores for a prediction given as a
bare string (``prepare_prediction_result`` keys it by the tag's type); it is kept as written,
and the widget and ``to_pandas()`` read its texts (Label Studio's editor shows none).
"""

from __future__ import annotations

from .base import CONTROL_ATTRS, Attr, ControlTag


class TextArea(ControlTag):
    TAG = "TextArea"
    VALUE_KEY = "text"
    CONVERTER_SCALAR = True
    BARE_RESULT_TYPES = ("str",)
    BARE_RESULT_WRAP = "list"
    FRAME = "texts"
    ATTRS = {
        **CONTROL_ATTRS,
        "value": Attr(),
        "label": Attr(),
        "placeholder": Attr(),
        # numbers Label Studio reads with parseInt: kept as written, read by the properties
        "rows": Attr(),
        "maxsubmissions": Attr(),
        "editable": Attr("bool", False),
        "transcription": Attr("bool", False),
        "skipduplicates": Attr("bool", False),
        "showsubmitbutton": Attr("bool"),
        "allowsubmit": Attr("bool", True),
        "displaymode": Attr(),
    }

    @property
    def rows(self) -> int:
        return _leading_int(self.get("rows")) or 1

    @property
    def max_submissions(self) -> int | None:
        """How many texts the field takes (None: any number)."""
        n = _leading_int(self.get("maxsubmissions"))
        return n if n and n > 0 else None

    @property
    def frame_shape(self) -> str:
        if self.get("perregion"):
            return "regions"
        return "text" if self.max_submissions == 1 else "texts"

    @property
    def frame_dtype(self) -> str | None:
        return "string" if self.frame_shape == "text" else None

    def validate_value(self, value: dict) -> str | None:
        texts = value.get("text")
        if texts is None:
            # Label Studio stores a bare short prediction ("a text") as {"textarea": ["a text"]}
            texts = value.get("textarea")
        if texts is None:
            return "value has no 'text' key"
        # Label Studio's editor reads a lone string as one text
        if isinstance(texts, str):
            return None
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return "value['text'] must be a list of strings"
        return None


def _leading_int(text) -> int | None:
    """``parseInt`` as Label Studio reads these attributes: the leading digits, else None."""
    digits = ""
    for ch in str(text if text is not None else "").strip():
        if not ch.isdigit():
            break
        digits += ch
    return int(digits) if digits else None
