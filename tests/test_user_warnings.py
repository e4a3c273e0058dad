"""The header a server's warnings travel in: capped, text only, and raised again by category."""

from __future__ import annotations

import json
import warnings

from jupylabel import user_warnings as uw


def test_many_warnings_fit_the_header_and_the_rest_are_counted():
    kept = [("UserWarning", f"warning {n} " + "x" * 2000) for n in range(40)]
    value = uw.header_value(kept)
    items = json.loads(value)
    assert len(value) <= uw.MAX_HEADER and value.isascii()
    assert all(len(i["message"]) == uw.MAX_MESSAGE + 1 for i in items[:-1])
    assert items[-1] == {"category": "UserWarning",
                         "message": f"{40 - len(items) + 1} more server warnings left out (too many to send)"}


def test_warnings_are_raised_again_with_their_category_and_text_only():
    value = json.dumps([{"category": "RuntimeWarning", "message": "é <b>kept as text</b>"},
                        {"category": "SystemExit", "message": "an unknown category is a UserWarning"},
                        {"category": "UserWarning", "message": 5}, "not an object"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        uw.raise_again(value)
        uw.raise_again("not json")
    assert [(w.category, str(w.message)) for w in caught] == [
        (RuntimeWarning, "é <b>kept as text</b>"), (UserWarning, "an unknown category is a UserWarning")]


def test_inside_collecting_a_warning_is_kept_not_raised():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with uw.collecting() as kept:
            uw.warn("COCO leaves out what it cannot hold: 1 polygon")
        uw.warn("outside")
    assert kept == [("UserWarning", "COCO leaves out what it cannot hold: 1 polygon")]
    assert [str(w.message) for w in caught] == ["outside"]
