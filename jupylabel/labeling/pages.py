"""Pictures shown a page at a time: an ``<Image valueList="$images">`` (Label Studio's
multi-image) shows one picture of the task's list at a time, and a region drawn on page ``i``
carries ``item_index: i``.

The session sends the front end, beside each image tag's first picture (``media``), where
every page's picture is (``pages``, only for tags that have pages), and serves a page's bytes
by its index (``media`` with ``index``). Tags are read by duck typing (a tag with ``pages``),
since the labeling protocol knows no tag classes.
"""

from __future__ import annotations

from typing import Any, Callable

from ..errors import MediaError


def _pages(tag, data: dict) -> list[Any] | None:
    pages = getattr(tag, "pages", None)
    return pages(data) if callable(pages) else None


def task_pages(tags: dict[str, Any], data: dict, source_of: Callable[[Any], Any]) -> dict[str, Any]:
    """``{"pages": {tag key: [where each page's picture is]}}`` for the tags with pages, or {}
    when there are none (a payload without pages is the one every other config gets)."""
    out = {}
    for key, tag in tags.items():
        pages = _pages(tag, data)
        if pages is not None:
            out[key] = [source_of(value) for value in pages]
    return {"pages": out} if out else {}


def page_value(tag, data: dict, index: int | None) -> Any:
    """The image reference of page ``index`` (a tag with pages), else the tag's own value.
    ``index`` is checked for its type first, the same for every tag: a bool or 0.0 is not page 0."""
    if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
        raise MediaError(f"index must be a page number (an integer), got {index!r}")
    pages = _pages(tag, data)
    if pages is None or index is None:
        if index not in (None, 0):
            raise MediaError(f"index {index!r}: image tag {tag.name!r} has no pages (it has no valueList)")
        return tag.resolve(data) if pages is None else (pages[0] if pages else None)
    if not pages:
        raise MediaError(f"index {index!r}: image tag {tag.name!r} has no pictures on this task")
    if not 0 <= index < len(pages):
        raise MediaError(f"index must be a page number from 0 to {len(pages) - 1}, got {index!r}")
    return pages[index]
