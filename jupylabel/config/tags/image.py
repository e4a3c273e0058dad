"""``<Image>``: a picture from task data, which box (and other region) controls draw on.

The value is a reference to the image: an http(s) URL the browser loads, a path under the
project's image folder the kernel reads (``project.image_root``), Label Studio's
``/data/local-files/?d=…`` form of such a path, or an image stored with the project when the
task held bytes, a PIL image or a numpy array (see ``jupylabel/media.py``). Label Studio's
viewing attributes are kept and drawn by the widget (``js/image-view.js``): ``zoomControl``
(the zoom buttons), ``zoom="false"`` (no zoom or pan), ``brightnessControl`` /
``contrastControl`` (sliders filtering the picture only), ``rotateControl`` (the view turned by
quarter turns, recorded in a result's ``image_rotation``), ``crosshair`` and ``grid`` /
``gridSize`` / ``gridColor``. None changes stored geometry.

``valueList`` (Label Studio's multi-image: one ``<Image>`` showing a list of pictures, a page
at a time) takes the place of ``value``: :meth:`Image.pages` is the task's list, each page a
reference as above, and a region drawn on page ``i`` carries ``item_index: i`` in its results.
"""

from __future__ import annotations

from typing import Any

from .. import variables
from .base import Attr, ObjectTag


class Image(ObjectTag):
    TAG = "Image"
    VALUE_TYPES = ("str", "list")
    MEDIA = True
    ATTRS = {
        "name": Attr(),
        "value": Attr(),
        "valuelist": Attr(),
        "width": Attr(),
        "maxwidth": Attr(),
        "height": Attr(),
        "zoom": Attr("bool", False),
        "negativezoom": Attr("bool", False),
        "zoomby": Attr("float", 1.1, lenient=True),
        "grid": Attr("bool", False),
        "gridsize": Attr("int", 30, lenient=True),
        "gridcolor": Attr(),
        "zoomcontrol": Attr("bool", False),
        "brightnesscontrol": Attr("bool", False),
        "contrastcontrol": Attr("bool", False),
        "rotatecontrol": Attr("bool", False),
        "crosshair": Attr("bool", False),
        "smoothing": Attr("bool"),
        "horizontalalignment": Attr("enum", "left", ("left", "center", "right")),
        "verticalalignment": Attr("enum", "top", ("top", "center", "bottom")),
        "defaultzoom": Attr("enum", "fit", ("fit", "original", "auto")),
        "crossorigin": Attr("enum", "none", ("none", "anonymous", "use-credentials")),
    }

    # -- valueList: several pictures, one page each ----------------------------------------
    @property
    def multi(self) -> bool:
        """Whether the tag shows a list of pictures (``valueList``), as Label Studio's multi-image."""
        return self.attrs.get("valuelist") is not None

    def _source(self) -> str | None:
        """The attribute naming the picture(s): ``valueList`` when set, else ``value``."""
        return str(self.attrs["valuelist"]) if self.multi else self.value

    @property
    def DATA_ATTR(self) -> str:  # noqa: N802 - read as the class attribute other tags may set
        """The attribute its data key comes from, as messages spell it."""
        return "valueList" if self.multi else "value"

    def data_key(self) -> str | None:
        source = self._source()
        return variables.data_key(source) if self.name and source is not None else None

    def reads_task(self) -> bool:
        return variables.has_variables(self._source())

    def resolve(self, data: dict) -> Any:
        return variables.resolve(self._source(), data)

    def pages(self, data: dict) -> list[Any] | None:
        """The task's pictures, one a page, for a ``valueList`` tag (a lone reference is one
        page, as Label Studio shows it); None for a tag showing one picture."""
        if not self.multi:
            return None
        value = self.resolve(data)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]
