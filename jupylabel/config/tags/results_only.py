"""Controls jupylabel does not draw yet but whose results it reads: ``<TextArea>``,
``<Rating>``, ``<Number>``.

They stay unknown tags (kept, shown as a note, their results checked for structure only), and
declare what imports, predictions and exports need to know of their results: TextArea's labels
are under ``text``, Label Studio's converter writes a single text as a string, and a bare
prediction result may be a text, a rating or a number.
"""

from __future__ import annotations

from .base import UnknownTag


class TextArea(UnknownTag):
    TAG = "TextArea"
    VALUE_KEY = "text"
    CONVERTER_SCALAR = True
    BARE_RESULT_TYPES = ("str",)
    BARE_RESULT_WRAP = "list"


class Rating(UnknownTag):
    TAG = "Rating"
    BARE_RESULT_TYPES = ("int",)
    BARE_RESULT_WRAP = "scalar"


class Number(UnknownTag):
    TAG = "Number"
    BARE_RESULT_TYPES = ("int", "float")
    BARE_RESULT_WRAP = "scalar"
