"""``<Rating>``: a score from 1 to ``maxRating`` (default 5), drawn as stars.

The result is Label Studio's ``{"type": "rating", "value": {"rating": 4}}``; no rating, no
result (its editor writes none for 0). The tag's own ``hotkey`` steps the rating up and past
the top back to none, as in Label Studio; ``defaultValue`` is the rating a task with nothing
on it starts with. Its ``to_pandas()`` column is a nullable integer (``Int64``).

With ``perRegion="true"`` each rating is about one region (a span, a box), its result carrying
the region's id and place, as Label Studio writes it; ``to_pandas()`` then lists those values,
one row per region in ``to_pandas(long=True)``.

Label Studio accepts a Rating without ``toName``: with one object tag in the config it labels
that object (``config/untargeted.py``), beside none or several it labels nothing and stays an
unknown tag here.

A value ``{"rating": [4]}`` is what Label Studio stores for a prediction given as a bare ``4``
(``prepare_prediction_result``); it is kept as written, and the widget and ``to_pandas()``
read it as 4 (Label Studio's editor shows no rating for it).
"""

from __future__ import annotations

from .base import CONTROL_ATTRS, Attr, ControlTag


class Rating(ControlTag):
    TAG = "Rating"
    BARE_RESULT_TYPES = ("int",)
    BARE_RESULT_WRAP = "scalar"
    FRAME = "integer"
    FRAME_DTYPE = "Int64"
    OWN_HOTKEY = True
    ATTRS = {
        **CONTROL_ATTRS,
        "maxrating": Attr("int", 5),
        "defaultvalue": Attr("int", 0),
        "icon": Attr(),
        "size": Attr(),
        "hotkey": Attr(),
    }

    @property
    def frame_shape(self) -> str:
        return "regions" if self.get("perregion") else self.FRAME

    @property
    def frame_dtype(self) -> str | None:
        return None if self.get("perregion") else self.FRAME_DTYPE

    @property
    def max_rating(self) -> int:
        return max(1, int(self.get("maxrating")))

    def validate_value(self, value: dict) -> str | None:
        rating = value.get("rating")
        if rating is None:
            return "value has no 'rating' key"
        if isinstance(rating, list) and len(rating) == 1:
            # Label Studio stores a bare short prediction (4) as {"rating": [4]}: kept as written
            rating = rating[0]
        if isinstance(rating, bool) or not isinstance(rating, (int, float)) or rating != int(rating):
            return f"value['rating'] must be a whole number, got {rating!r}"
        if not 0 <= rating <= self.max_rating:
            return f"rating {rating!r} is outside 0–{self.max_rating} (maxRating)"
        return None
