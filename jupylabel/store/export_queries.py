"""Reading a project out: export batches (the SQL is :mod:`.exports`), the regions of image
exports (the SQL is :mod:`.regions_sql`) and the frames behind
``to_pandas()`` (the SQL is :mod:`.frames`). Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Iterator, Sequence

from . import exports, frames, relations_sql
from .regions_sql import image_region_queries
from .protocol import FrameColumn

if TYPE_CHECKING:  # pandas is imported where frames are made: a server at rest never loads it
    import pandas as pd


class ExportQueries:
    def image_regions(self, project_id: int, *, data_key: str, to_name: str, only_annotated: bool = True,
                      kinds: Sequence[str] | None = None, coco: bool = False,
                      pages: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What an image export (COCO, YOLO, VOC) needs, in two set-based queries
        (``store/regions_sql.py``).

        ``tasks``: one row per task in id order (only tasks with an annotation, skipped ones
        included, unless ``only_annotated`` is false) with ``task_id``, ``reference`` (the image
        value at ``data_key``; the first of a list), ``annotation_id`` and ``completed_by`` of the
        annotation the export uses: the newest non-cancelled one, ground truth first
        (``completed_by``: the annotator's Label Studio user id when imported as one, as Label
        Studio's VOC names it, else jupylabel's user id).
        ``regions``: the labeled regions on ``to_name`` in those annotations, in result order, one
        per region id: ``task_id``, ``kind`` (its region kind's name), ``labels``,
        ``original_width``, ``original_height``, ``region_id`` and ``parent_id`` (the result's
        ``id`` and ``parentID``: YOLO pose puts a key point in the box it names), then the geometry fields of ``kinds`` (names of
        region kinds; None: every registered kind); with ``coco``, last, ``coco``: the region's
        COCO annotation text where its kind's ``COCO_SQL`` writes it (the COCO export).
        ``pages``: the image shows a list of pictures (``valueList``): ``tasks`` has one row per
        page, with its ``item_index`` after ``task_id`` and its own ``reference``, and each region
        its ``item_index`` after ``parent_id``.
        """
        queries = image_region_queries(project_id, data_key=data_key, to_name=to_name,
                                       only_annotated=only_annotated, kinds=kinds, coco=coco, pages=pages)
        return tuple(self._arrow(q).to_pandas(integer_object_nulls=True) for q in queries)

    def export_batches(self, project_id: int, sql: str, *, only_annotated: bool,
                       batch_size: int = 10_000) -> Iterator[tuple[int, list[tuple]]]:
        """Run ``sql`` (which takes ``$lo`` and ``$hi``, see :mod:`.exports`) once per range of
        ``batch_size`` exported task ids; yield ``(tasks in the range, rows)``, in id order.

        DuckDB runs each of these queries on one thread (a range is at most a row group), so
        the queries of the next ranges run on other threads, each on its own cursor, while a
        batch is handed out. Their results wait inside DuckDB until their turn: only one batch
        of rows is in Python at a time."""
        cur = self._con.cursor()
        cursors = [cur]
        try:
            ranges = cur.execute(exports.ranges_sql(project_id, only_annotated=only_annotated,
                                                    batch_size=batch_size)).fetchall()
            threads = int(cur.execute("SELECT current_setting('threads')").fetchone()[0])
            ahead = max(1, min(threads, len(ranges)))
            if ahead == 1:
                for lo, hi, count in ranges:
                    yield count, cur.execute(sql, {"lo": lo, "hi": hi}).fetchall()
                return
            for _ in range(ahead - 1):
                other = self._con.cursor()
                cursors.append(other)
            free = list(cursors)
            pending: deque = deque()
            todo = iter(ranges)

            def run(c, lo, hi):
                c.execute(sql, {"lo": lo, "hi": hi})
                return c

            with ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="jupylabel-export") as pool:
                def submit() -> None:
                    nxt = next(todo, None)
                    if nxt is not None:
                        pending.append((nxt[2], pool.submit(run, free.pop(), nxt[0], nxt[1])))

                for _ in range(ahead):
                    submit()
                try:
                    while pending:
                        count, future = pending.popleft()
                        done = future.result()
                        rows = done.fetchall()
                        free.append(done)
                        submit()
                        yield count, rows
                finally:
                    for _count, future in pending:
                        future.cancel()
        finally:
            for c in cursors:
                c.close()

    def export_count(self, project_id: int, *, only_annotated: bool) -> int:
        """How many tasks an export covers (Label Studio's default: those with any annotation)."""
        where = "AND EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id)" if only_annotated else ""
        return self.cursor().execute(f"SELECT count(*) FROM tasks t WHERE t.project_id = ? {where}",
                                     [project_id]).fetchone()[0]


    # -- frames ---------------------------------------------------------------------------
    def annotation_frame(self, project_id: int, columns: Sequence[FrameColumn], *,
                         include_cancelled: bool = False, predictions: bool | None = None,
                         model_version: str | None = None, ground_truth: bool = False) -> pd.DataFrame:
        """One row per current annotation: task data columns, one column per control, ids, times.

        ``predictions``: add the model's columns beside the human ones (see
        :func:`frames.annotation_frame_sql`); None adds them when the project has predictions.
        """
        schema = self.get_project(project_id)["data_schema"]
        table = self.annotation_table(project_id, columns, include_cancelled=include_cancelled,
                                      predictions=predictions, model_version=model_version,
                                      ground_truth=ground_truth)
        return frames.finish(table, schema, columns)

    def annotation_table(self, project_id: int, columns: Sequence[FrameColumn], *,
                         include_cancelled: bool = False, predictions: bool | None = None,
                         model_version: str | None = None, ground_truth: bool = False):
        """The Arrow table behind :meth:`annotation_frame`, before JSON columns are parsed
        (what the server sends a remote project, which finishes it the same way)."""
        schema = self.get_project(project_id)["data_schema"]
        if predictions is None:
            predictions = self.cursor().execute(
                "SELECT EXISTS (SELECT 1 FROM predictions WHERE project_id = ?)", [project_id]).fetchone()[0]
        # review columns once anyone has reviewed (as the prediction columns once there are predictions)
        reviews = self.cursor().execute(
            "SELECT EXISTS (SELECT 1 FROM annotation_reviews WHERE project_id = ?)", [project_id]).fetchone()[0]
        sql, params = frames.annotation_frame_sql(project_id, schema, columns, include_cancelled=include_cancelled,
                                             predictions=bool(predictions), model_version=model_version,
                                             ground_truth=ground_truth, reviews=bool(reviews))
        return self._arrow(sql, params)

    def region_frame(self, project_id: int, columns: Sequence[FrameColumn]) -> pd.DataFrame:
        """One row per region (span, box) of the given region controls, across annotations."""
        import pandas as pd

        import pyarrow as pa

        parts = [self._arrow(frames.region_frame_sql(project_id, col) if col.shape == "regions"
                             else relations_sql.relation_frame_sql(project_id))
                 for col in columns if col.shape in ("regions", "relations")]
        if not parts:
            return pd.DataFrame(columns=["task_id", "annotation_id", "annotator", "control", "region_id",
                                         "label", "labels", "created_at"])
        # Joined as Arrow tables (a column one control lacks is null in its rows), so a frame is
        # the same here and after its trip to a remote client as an Arrow stream: a polygon's
        # `closed` beside an ellipse is None in both, not NaN here and None there. Permissive: a
        # column two controls type apart (a text span's whole `start`, an audio span's seconds)
        # takes the wider type, as pandas' concat did.
        table = pa.concat_tables(parts, promote_options="permissive") if len(parts) > 1 else parts[0]
        return table.to_pandas(types_mapper=frames.arrow_types)
