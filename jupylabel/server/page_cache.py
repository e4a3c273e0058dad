"""Ready pages of a project's task list (``/api/tasks`` and ``/api/projects/{id}/tasks`` without
filters), rendered many at a time and kept as the bytes of their replies until the store changes.

Why: a client walking a project's pages (the SDKs' ``get_tasks``, an export by pages) asks for
page 1, 2, 3 … one request each. A page costs an HTTP round trip plus a DuckDB query whose
planning alone takes about as long; a hundred pages cannot be fast if each is queried. So when a
caller asks for the page after the one it asked for last, the cache renders the block of pages
that starts there in one query (``plain_task_page(ids_only=True)`` for the block's ids and
totals, one ``tasks_json`` for their text) and answers the block's later pages from memory.

Which block: page ``p`` opens the block of ``W`` pages where ``W`` is the largest power of two
that divides ``p - 1`` (at most :data:`MAX_WINDOW_TASKS` tasks), so block ``k`` of size ``W``
is exactly page ``k`` of a page size ``W`` times larger, and a walk from page 1 renders pages
1, 2, 3–4, 5–8, 9–16 … (a handful of queries for any number of pages). A request that does not
follow the one before (a jump to page 7919 of a big project) renders its one page, as without
the cache, so random access costs what it did.

Correctness: an entry is keyed by everything its text depends on: the project, page size,
order, the project's ``maximum_annotations`` (it decides ``is_labeled``), ``fields``, whether
annotators are written as objects, and ``only_by`` (an annotator's view holds only their own
annotations: two callers share an entry only when they may see the same thing), and by the
store's write version: ``write_generation`` (changed after every transaction, change event and
single-statement write, see ``Database.wrote``) together with the size and time of the database
file and its WAL (which any commit changes, so a write path that forgot to count itself still
shows). The version is read before the render and again after it; a block is kept only if no
write came between, so what is kept is what the store held under that version. A write that has
returned is therefore in every page asked for after it: tasks, annotations, predictions, users'
names, deletions, whatever the page shows.

Memory: at most :data:`MAX_BYTES` of replies, least recently used first out.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import NamedTuple

MAX_BYTES = 64 * 1024 * 1024
"""The most reply bytes kept (all projects and views together)."""
MAX_WINDOW_TASKS = 4096
"""The most tasks one render writes (a block of pages costs memory and, once, time)."""


class Family(NamedTuple):
    """What a page's text depends on besides its number and the store's contents."""

    project_id: int
    page_size: int
    descending: bool
    maximum: int
    full: bool
    expand_users: bool
    only_by: int | None
    listing: bool  # True: /api/tasks' {"tasks": […], "total": …}; False: the bare array


def listing_text(items: str, totals: dict) -> str:
    """``/api/tasks``' reply around a page's JSON array."""
    return (f'{{"tasks":{items},"total":{totals["total"]},"total_annotations":{totals["total_annotations"]},'
            f'"total_predictions":{totals["total_predictions"]}}}')


@dataclass
class _Walk:
    """A family's last request, the version and total of its last render kept (to answer
    past-the-end pages), and how its blocks fared: while writes keep coming (anywhere in the
    store) a block is thrown away before it is read, so blocks shrink (``shift``) and grow
    back once the store is quiet."""

    version: tuple = ()
    last_page: int = 0
    total: int = -1
    block_pages: int = 0
    block_hits: int = 0
    shift: int = 0


@dataclass
class PageCache:
    store: object
    max_bytes: int = MAX_BYTES
    _pages: OrderedDict = field(default_factory=OrderedDict)  # (family, page) → (version, bytes)
    _walks: dict = field(default_factory=dict)  # family → _Walk
    _bytes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- the version ------------------------------------------------------------------------
    def version(self) -> tuple:
        path = str(self.store.path)
        return (self.store.write_generation, _stat(path), _stat(path + ".wal"))

    # -- the entry points -------------------------------------------------------------------
    def ready(self, family: Family, page: int) -> tuple[bool, bytes | None]:
        """``(True, reply)`` when the page is known without a query (the reply None past the
        last page), else ``(False, None)``: cheap enough for the event loop."""
        version = self.version()
        with self._lock:
            hit = self._pages.get((family, page))
            walk = self._walks.get(family)
            if hit is not None and hit[0] == version:
                self._pages.move_to_end((family, page))
                if walk is not None:
                    walk.last_page = page
                    walk.block_hits += 1
                return True, hit[1]
            if walk is not None and walk.version == version and walk.total >= 0 and page > 1 \
                    and (page - 1) * family.page_size >= walk.total:
                walk.last_page = page
                return True, None
        return False, None

    def page(self, family: Family, page: int) -> bytes | None:
        """The reply bytes of page ``page`` (1-based), None past the last page."""
        version = self.version()
        with self._lock:
            hit = self._pages.get((family, page))
            walk = self._walks.get(family)
            if walk is None:
                walk = self._walks[family] = _Walk()
                if len(self._walks) > 10_000:
                    self._walks.clear()
                    self._walks[family] = walk
            following = walk.last_page == page - 1
            walk.last_page = page
            if hit is not None and hit[0] == version:
                self._pages.move_to_end((family, page))
                walk.block_hits += 1
                return hit[1]
            if walk.version == version and walk.total >= 0 and page > 1 and (page - 1) * family.page_size >= walk.total:
                return None
            if walk.version == version:  # nothing written since the last render: grow back
                walk.shift = max(walk.shift - 1, 0)
            elif walk.block_pages > 1 and walk.block_hits < walk.block_pages - 1:  # a block thrown away unread
                walk.shift = min(walk.shift + 1, 12)
            width = _width(page, family.page_size, walk.shift) if following else 1
            walk.block_pages, walk.block_hits = width, 0
        rendered = self._render(family, page, width)
        if rendered is None:
            return None
        pages, total = rendered
        if self.version() == version:  # no write while rendering: keep what was read
            self._keep(family, version, page, pages, total)
        return pages[0]

    # -- rendering ---------------------------------------------------------------------------
    def _render(self, family: Family, page: int, width: int) -> tuple[list[bytes], int] | None:
        """The replies of pages ``page`` … ``page + width - 1`` (fewer at the project's end) and
        the project's total; None when ``page`` is past the end."""
        store, f = self.store, family
        if width > 1:
            block = (page - 1) // width + 1
            found = store.plain_task_page(f.project_id, page=block, page_size=width * f.page_size,
                                          descending=f.descending, maximum=f.maximum, ids_only=True)
            if found is None:
                return None
            ids, _, totals = found
            texts = store.tasks_json(f.project_id, ids, maximum=f.maximum, full=f.full, expand_users=f.expand_users,
                                     whole_range=True, predictions=totals["total_predictions"] > 0,
                                     only_by=f.only_by, split=True)
            if len(texts) == len(ids):  # else a task went meanwhile: render the one page below
                size = f.page_size
                items = ["[" + ",".join(texts[i:i + size]) + "]" for i in range(0, len(texts), size)] or ["[]"]
                return [self._reply(f, text, totals) for text in items], totals["total"]
        found = store.plain_task_page(f.project_id, page=page, page_size=f.page_size, descending=f.descending,
                                      maximum=f.maximum, full=f.full, expand_users=f.expand_users,
                                      only_by=f.only_by)
        if found is None:
            return None
        _, text, totals = found
        return [self._reply(f, text, totals)], totals["total"]

    @staticmethod
    def _reply(family: Family, items: str, totals: dict) -> bytes:
        return (listing_text(items, totals) if family.listing else items).encode("utf-8")

    # -- keeping ----------------------------------------------------------------------------
    def _keep(self, family: Family, version: tuple, first: int, pages: list[bytes], total: int) -> None:
        with self._lock:
            walk = self._walks.get(family)
            if walk is not None:
                walk.version, walk.total = version, total
            for number, reply in enumerate(pages, first):
                if len(reply) > self.max_bytes // 4:
                    continue  # one huge page would push out everything else
                old = self._pages.pop((family, number), None)
                if old is not None:
                    self._bytes -= len(old[1])
                self._pages[(family, number)] = (version, reply)
                self._bytes += len(reply)
            while self._bytes > self.max_bytes and self._pages:
                _, (_, dropped) = self._pages.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._walks.clear()
            self._bytes = 0


def _stat(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def _width(page: int, page_size: int, shift: int = 0) -> int:
    """The pages a render starting at ``page`` covers: the largest power of two dividing
    ``page - 1`` whose pages hold at most :data:`MAX_WINDOW_TASKS` tasks, halved ``shift``
    times (1 for page 1)."""
    if page <= 1:
        return 1
    most = max(1, (MAX_WINDOW_TASKS // page_size) >> shift)
    width = (page - 1) & -(page - 1)  # the lowest set bit: the largest power of two dividing it
    while width > most:
        width //= 2
    return width
