"""Images put in tasks as Python objects (:class:`~jupylabel.media.StoredImage`), stored in the
``media`` table once each, keyed by project and content-hash name. Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

from __future__ import annotations

from typing import Any, Sequence

from ..errors import NotFoundError
from .times import utcnow


class Media:
    def _store_media(self, tx, project_id: int, media: Sequence[Any]) -> None:
        """Insert images once each (names are content hashes, so a repeat is the same image)."""
        unique = {m.name: m for m in media}
        import pandas as pd

        frame = pd.DataFrame({
            "name": list(unique), "content_type": [m.content_type for m in unique.values()],
            "width": pd.array([m.width for m in unique.values()], dtype="Int32"),
            "height": pd.array([m.height for m in unique.values()], dtype="Int32"),
            "size": [len(m.data) for m in unique.values()],
            "data": [m.data for m in unique.values()]})
        view = f"jl_media_{id(frame):x}"
        tx.complete()  # register() refuses while an earlier result is half read
        tx.register(view, frame)
        try:
            tx.execute(f"INSERT OR IGNORE INTO media SELECT ?, name, content_type, width, height, size, "
                       f"data::BLOB, ? FROM {view}", [project_id, utcnow()])
        finally:
            tx.unregister(view)

    def get_media(self, project_id: int, name: str) -> dict:
        """A stored image: ``{"name", "content_type", "width", "height", "data"}``."""
        row = self.cursor().execute(
            "SELECT name, content_type, width, height, data FROM media WHERE project_id = ? AND name = ?",
            [project_id, name]).fetchone()
        if row is None:
            raise NotFoundError(f"no stored image {name!r} in project {project_id}")
        return {"name": row[0], "content_type": row[1], "width": row[2], "height": row[3],
                "data": bytes(row[4])}
