"""The labeling configs and results the contract tests use: one per kind of export."""

from __future__ import annotations

TEXT_XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""

SPANS_XML = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""

BOXES_XML = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car"/><Label value="Person"/>
  </RectangleLabels>
</View>"""


def choice(label: str) -> list[dict]:
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def span(start: int, end: int, text: str, label: str, region: str = "s1") -> dict:
    return {"id": region, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def box(x: float, y: float, w: float, h: float, label: str, region: str = "b1") -> dict:
    return {"id": region, "from_name": "label", "to_name": "image", "type": "rectanglelabels",
            "original_width": 40, "original_height": 20, "image_rotation": 0,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, "rectanglelabels": [label]}}
