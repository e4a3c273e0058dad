"""A region control's ``to_pandas()`` column is read from the stored result by one typed
``json_transform`` (``store/frames.py typed_regions_expr``). It must give exactly what the
item-by-item reading gave: each item's value merged with the result's image size, then typed.
Here both run over results as odd as stored ones get: no image size, a value carrying its own,
a value that is no object, numbers as strings, labels that are no list, other controls' items."""

from __future__ import annotations

import json

import duckdb
import pytest

from jupylabel.config import LabelConfig
from jupylabel.formats.frames import columns_for
from jupylabel.store import frames

BOXES = """<View><Image name="image" value="$image"/>
<RectangleLabels name="label" toName="image"><Label value="Car"/></RectangleLabels></View>"""
SPANS = """<View><Text name="text" value="$text"/>
<Labels name="label" toName="text"><Label value="Person"/></Labels></View>"""
POLYGONS = """<View><Image name="image" value="$image"/>
<PolygonLabels name="label" toName="image"><Label value="Car"/></PolygonLabels></View>"""

RESULTS = [
    [{"from_name": "label", "original_width": 640, "original_height": 480, "type": "rectanglelabels",
      "value": {"x": 1.5, "y": 2, "width": 3, "height": 4, "rotation": 0, "rectanglelabels": ["Car"],
                "start": 3, "end": 9, "text": "words", "labels": ["Person"], "points": [[1, 2], [3.5, 4]]}}],
    [{"from_name": "label", "value": {"x": "7.25", "y": None, "rectanglelabels": "Car", "labels": "Person",
                                      "start": "4", "points": "none"}}],
    [{"from_name": "label", "original_width": 10, "value": {"original_width": 99, "original_height": 77, "x": 1}}],
    [{"from_name": "label", "original_width": "640", "original_height": None, "value": None}],
    [{"from_name": "label", "value": [1, 2]}, {"from_name": "other", "value": {"x": 5}}],
    [{"from_name": "label", "value": "text"}, {"value": {"x": 1}}, {"from_name": "label"}],
    [],
    {"from_name": "label"},
]


def item_by_item(col) -> str:
    """How the column was read before: each item's JSON value, the image size merged in."""
    mine = f"list_filter({frames.result_items('result')}, lambda r: r.from_name = {frames._sql_str(col.from_name)})"
    value = ("json_merge_patch(r.value, json_object('original_width', r.original_width, "
             "'original_height', r.original_height))" if "original_width" in col.struct else "r.value")
    return f"list_transform({mine}, lambda r: json_transform({value}, {frames._sql_str(json.dumps(col.struct))}))"


@pytest.mark.parametrize("xml", [BOXES, SPANS, POLYGONS], ids=["boxes", "spans", "polygons"])
def test_typed_regions_read_as_items_did(xml):
    (col,) = columns_for(LabelConfig(xml))
    assert col.shape == "regions" and col.struct
    con = duckdb.connect()
    con.execute("CREATE TABLE a (n INTEGER, result JSON)")
    con.executemany("INSERT INTO a VALUES (?, ?)", [(i, json.dumps(r)) for i, r in enumerate(RESULTS)])
    want = con.sql(f"SELECT n, {item_by_item(col)} AS v FROM a ORDER BY n").to_arrow_table()
    got = con.sql(f"SELECT n, {frames.typed_regions_expr(col, 'a.result')} AS v FROM a ORDER BY n").to_arrow_table()
    assert got.schema == want.schema
    assert got.to_pylist() == want.to_pylist()
    assert sum(len(v or []) for v in got.column("v").to_pylist()) == 7  # every "label" item, odd ones too
