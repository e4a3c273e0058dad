"""``<Image>``: a picture from task data, which box (and other region) controls draw on.

The value is a reference to the image: an http(s) URL the browser loads, a path under the
project's image folder the kernel reads (``project.image_root``), Label Studio's
``/data/local-files/?d=…`` form of such a path, or an image stored with the project when the
task held bytes, a PIL image or a numpy array (see ``jupylabel/media.py``). Label Studio's
viewing attributes are kept; ``zoom``/``zoomControl`` only add the zoom buttons' visibility
(zoom by wheel and keys always works), and ``rotateControl``, ``brightnessControl`` and friends
are kept but not drawn yet.
"""

from __future__ import annotations

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
