"""Images: what a task's image reference points to, reading local files safely, and storing
images that were put in a task as Python objects.

An ``<Image>`` value is one of:

* ``http://``, ``https://``, ``blob:`` or ``data:image/…`` — a URL the browser loads itself;
* ``/data/upload/<project>/<name>`` — an image stored in the project's DuckDB file (the
  ``media`` table). A task that held bytes, a PIL image or a numpy array gets such a
  reference at import: the image is encoded once (PIL and numpy as PNG, bytes as they are),
  named by its content hash, and stored beside the tasks in the same transaction;
* ``/data/local-files/?d=<path>`` — Label Studio's form of a path under the image folder;
* a file path, relative to the image folder or absolute inside it. The kernel reads it and
  sends the bytes to the widget; nothing outside the folder is ever read, whatever ``..``,
  symlinks or absolute paths the task holds (the real path is compared component by component).

Any other URL scheme (``javascript:``, ``file:``, ``data:text/html``, …) is refused.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import MediaError

# A URL scheme: letters first, then letters, digits, + . - (one letter alone is a Windows drive).
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")
_BROWSER_SCHEMES = ("http", "https", "blob")
_STORED = re.compile(r"^/data/upload/(\d+)/([0-9a-f]{16}\.[a-z]{3,4})$")
_LOCAL_FILES = "/data/local-files/"
MAX_IMAGE_BYTES = 512 * 1024 * 1024

# Magic numbers of the raster formats browsers draw. SVG is left out on purpose: it is a
# document that can carry script, and there is no need to hand one to the page.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    (b"BM", "image/bmp", "bmp"),
)


def sniff(data: bytes) -> tuple[str, str] | None:
    """``(content type, extension)`` of image bytes, from their first bytes, or None."""
    head = bytes(data[:32])
    for magic, ctype, ext in _MAGIC:
        if head.startswith(magic):
            return ctype, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    if head[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif", "avif"
    return None


@dataclass(frozen=True)
class ImageRef:
    """Where an image reference points. ``kind``: ``url`` (the browser loads ``value``),
    ``file`` (a path under the image folder), ``stored`` (``value`` names a stored image),
    ``refused`` (``reason`` says why)."""

    kind: str
    value: str
    reason: str = ""


def classify(value: Any) -> ImageRef:
    """Sort a task's image value without touching the disk."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        value = value[0]  # multi-page images (valueList): the first page
    if not isinstance(value, str):
        return ImageRef("refused", "", f"the image value is {type(value).__name__}, not a URL or path")
    # Browsers drop tabs and newlines anywhere in a URL and control characters before it, so
    # "java\tscript:" is javascript: to them; look at it the way they will.
    probe = re.sub(r"[\t\n\r]", "", value).lstrip("".join(map(chr, range(0x21))))
    if not probe:
        return ImageRef("refused", "", "the image value is empty")
    m = _SCHEME.match(probe)
    if m:
        scheme = m.group(1).lower()
        if scheme in _BROWSER_SCHEMES or (scheme == "data" and probe[5:11].lower() == "image/"):
            return ImageRef("url", probe)
        return ImageRef("refused", "", f"the URL scheme {scheme}: is not allowed for images "
                        "(only http, https, blob and data:image/)")
    stored = _STORED.match(value)
    if stored:
        return ImageRef("stored", stored.group(2))
    if value.startswith(_LOCAL_FILES):
        query = urllib.parse.urlsplit(value).query
        found = urllib.parse.parse_qs(query).get("d")
        if not found:
            return ImageRef("refused", "", "a /data/local-files/ reference needs ?d=<path>")
        return ImageRef("file", found[0])
    if "\x00" in value:
        return ImageRef("refused", "", "the image path contains a NUL character")
    return ImageRef("file", value)


class NoImageFolder:
    """No image folder at all: every file reference is refused. The server's labeling page uses
    it for a project without an ``image_root``, so a task naming ``private/notes.png`` never
    reads the server's working directory (stored images and URLs still show)."""

    root = None

    def __repr__(self) -> str:
        return "NoImageFolder()"

    def resolve(self, path: str) -> Path:
        raise MediaError(f"{path!r} is a file path, and this project has no image folder on the server "
                         "(its owner sets one with project.image_root = ...)")

    def read(self, path: str, *, limit: int = MAX_IMAGE_BYTES) -> bytes:
        self.resolve(path)
        raise AssertionError("unreachable")


class ImageFolder:
    """A folder images may be read from. Paths are resolved to their real location (symlinks
    followed, ``..`` collapsed) and must stay inside the folder's real location."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(os.path.realpath(os.path.expanduser(os.fspath(root))))
        self._parts = self.root.parts

    def __repr__(self) -> str:
        return f"ImageFolder({str(self.root)!r})"

    def resolve(self, path: str) -> Path:
        """The real path of ``path`` (relative to the folder, or absolute), or MediaError."""
        if "\x00" in path:
            raise MediaError("the image path contains a NUL character")
        joined = os.path.join(self.root, os.path.expanduser(path) if path.startswith("~") else path)
        real = Path(os.path.realpath(joined))
        if real.parts[:len(self._parts)] != self._parts:
            raise MediaError(f"{path!r} is outside the image folder {self.root} (set another with "
                             "project.image_root = ... or label(image_root=...))")
        return real

    def read(self, path: str, *, limit: int = MAX_IMAGE_BYTES) -> bytes:
        """The bytes of an image file inside the folder."""
        real = self.resolve(path)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(real, flags)
        except FileNotFoundError:
            raise MediaError(f"no image file {path!r} in {self.root}") from None
        except OSError as exc:
            raise MediaError(f"cannot open {path!r}: {exc.strerror or exc}") from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise MediaError(f"{path!r} is not a file")
        with os.fdopen(fd, "rb") as fh:
            if info.st_size > limit:
                raise MediaError(f"{path!r} is {info.st_size / 2**20:.0f} MB, more than the "
                                 f"{limit / 2**20:.0f} MB an image may be")
            return fh.read()


# -- images put in tasks as Python objects --------------------------------------------------
@dataclass(frozen=True)
class StoredImage:
    """An image encoded once for the store: ``name`` is ``<sha256[:16]>.<ext>``."""

    name: str
    data: bytes
    content_type: str
    width: int | None
    height: int | None

    def reference(self, project_id: int) -> str:
        return f"/data/upload/{int(project_id)}/{self.name}"


def is_image_object(value: Any) -> bool:
    """True for what :func:`encode_image` takes: bytes, a PIL image, a numpy array."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return True
    module = type(value).__module__ or ""
    return module.startswith("PIL.") or (module.startswith("numpy") and hasattr(value, "__array_interface__"))


def encode_image(value: Any) -> StoredImage:
    """Encode bytes, a PIL image or a numpy array once for storing (MediaError if it is not an
    image). Bytes are kept as they are; PIL images and arrays become PNG."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        found = sniff(data)
        if found is None:
            raise MediaError("the bytes are not a PNG, JPEG, GIF, WebP, BMP or AVIF image")
        ctype, ext = found
        width, height = _size_of(data)
    else:
        pil = _as_pil(value)
        buf = io.BytesIO()
        # Level 1: several times faster than the default on large arrays, and photos barely
        # compress further anyway.
        pil.save(buf, format="PNG", compress_level=1)
        data, ctype, ext = buf.getvalue(), "image/png", "png"
        width, height = pil.size
    if len(data) > MAX_IMAGE_BYTES:
        raise MediaError(f"the image is {len(data) / 2**20:.0f} MB, more than {MAX_IMAGE_BYTES / 2**20:.0f} MB")
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
    return StoredImage(name, data, ctype, width, height)


def _as_pil(value: Any):
    from PIL import Image

    if isinstance(value, Image.Image):
        if value.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            value = value.convert("RGBA" if "A" in value.getbands() else "RGB")
        return value
    import numpy as np

    arr = np.asarray(value)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] in (3, 4))):
        raise MediaError(f"a numpy image must be H×W, H×W×3 or H×W×4, got shape {arr.shape}")
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8) * 255
    if arr.dtype != np.uint8:
        raise MediaError(f"a numpy image must be uint8 (or bool), got {arr.dtype}; "
                         "for floats in 0–1 use (arr * 255).astype('uint8')")
    return Image.fromarray(np.ascontiguousarray(arr))


def _size_of(data: bytes) -> tuple[int | None, int | None]:
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:  # reads the header only
            return img.size
    except Exception:
        return None, None


def image_size(data: bytes) -> tuple[int | None, int | None]:
    """``(width, height)`` from an image's header, or ``(None, None)``."""
    return _size_of(data)


def file_image_info(path: Path) -> tuple[int | None, int | None, int | None]:
    """``(width, height, channels)`` of an image file from its header, or Nones."""
    try:
        from PIL import Image

        with Image.open(path) as img:
            return img.size[0], img.size[1], len(img.getbands())
    except Exception:
        return None, None, None
