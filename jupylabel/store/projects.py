"""Projects: their config, settings and the data schema seen at import; deleting one deletes
everything in it. Mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

from __future__ import annotations

import json
from typing import Any

from ..errors import ConfigError, NotFoundError
from ..settings import checked_settings
from .events import MembersChanged, ProjectDeleted, ProjectUpdated
from .schema import PROJECT_TABLES
from .times import iso, utcnow


class Projects:
    _PROJECT_COLS = "id, title, description, label_config, settings, data_schema, created_by, created_at, updated_at"

    def _project_dict(self, row) -> dict:
        return {"id": row[0], "title": row[1], "description": row[2], "label_config": row[3],
                "settings": json.loads(row[4] or "{}"), "data_schema": json.loads(row[5] or "{}"),
                "created_by": row[6], "created_at": iso(row[7]), "updated_at": iso(row[8])}

    def create_project(self, title: str, label_config: str, *, description: str = "",
                       created_by: int | None = None, **settings: Any) -> dict:
        checked_settings(settings)
        now = utcnow()
        with self.transaction() as tx:
            row = tx.execute(
                f"INSERT INTO projects (id, title, description, label_config, settings, created_by, "
                f"created_at, updated_at) VALUES (nextval('project_ids'), ?, ?, ?, ?, ?, ?, ?) "
                f"RETURNING {self._PROJECT_COLS}",
                [title, description, label_config, json.dumps(settings), created_by, now, now]).fetchone()
            self._add_creator(tx, row[0], created_by)  # the creator manages it
        self._emit(MembersChanged(row[0]))
        return self._project_dict(row)

    def get_project(self, project: int | str) -> dict:
        cur = self.cursor()
        if isinstance(project, int):
            row = cur.execute(f"SELECT {self._PROJECT_COLS} FROM projects WHERE id = ?", [project]).fetchone()
        else:
            rows = cur.execute(f"SELECT {self._PROJECT_COLS} FROM projects WHERE title = ? ORDER BY id",
                               [project]).fetchall()
            if len(rows) > 1:
                raise NotFoundError(f"{len(rows)} projects are titled {project!r}; open one by id "
                                    f"({', '.join(str(r[0]) for r in rows)})")
            row = rows[0] if rows else None
        if row is None:
            titles = [p["title"] for p in self.list_projects()]
            raise NotFoundError(f"no project {project!r} in {self.path.name}"
                                + (f" (it has: {', '.join(map(repr, titles))})" if titles else " (it has none yet)"))
        return self._project_dict(row)

    def list_projects(self) -> list[dict]:
        rows = self.cursor().execute(f"SELECT {self._PROJECT_COLS} FROM projects ORDER BY id").fetchall()
        return [self._project_dict(r) for r in rows]

    _PROJECT_FIELDS = {"title", "description", "label_config"}

    def update_project(self, project_id: int, **fields: Any) -> dict:
        project = self.get_project(project_id)
        settings = dict(project["settings"])
        sets, params = [], []
        for key, value in fields.items():
            if key in self._PROJECT_FIELDS:
                sets.append(f"{key} = ?")
                params.append(value)
            else:
                settings[key] = value
        checked_settings({k: v for k, v in fields.items() if k not in self._PROJECT_FIELDS})
        sets += ["settings = ?", "updated_at = ?"]
        params += [json.dumps(settings), utcnow()]
        self.cursor().execute(f"UPDATE projects SET {', '.join(sets)} WHERE id = ?", [*params, project_id])
        updated = self.get_project(project_id)
        self._emit(ProjectUpdated(updated))
        return updated

    def delete_project(self, project_id: int) -> None:
        self.get_project(project_id)
        with self.transaction() as tx:
            for table in PROJECT_TABLES:
                tx.execute(f"DELETE FROM {table} WHERE project_id = ?", [project_id])
            tx.execute("DELETE FROM projects WHERE id = ?", [project_id])
        self._emit(ProjectDeleted(project_id))

    def set_config(self, project_id: int, config: Any) -> dict:
        """Make ``config`` (a checked ``LabelConfig``) the project's, once every stored
        annotation and prediction fits it (see :meth:`check_config_fits`)."""
        self.check_config_fits(project_id, config)
        return self.update_project(project_id, label_config=config.xml)

    def check_config_fits(self, project_id: int, config: Any) -> None:
        """Raise :class:`ConfigError` naming the first stored annotation or prediction that
        ``config`` (a ``LabelConfig``) could not hold: a control, target or type it no longer
        has, or a label it dropped. One statement reads the distinct (control, target, type,
        label) uses with their first annotation or prediction; the config judges each."""
        rows = self.cursor().execute(_RESULT_USES_SQL, [project_id, config.result_label_keys()]).fetchall()
        misfits = [(row, problem) for row in rows
                   if (problem := config.result_misfit(*row[1:6])) is not None]
        if not misfits:
            return
        (source, _, _, _, _, _, first, task, _), problem = min(
            misfits, key=lambda m: (m[0][0] != "annotation", m[0][6]))
        message = f"{source} {first} (task {task}) does not fit the new config: {problem}."
        lost = [(f, t, kind, n) for f, t, kind, n in self.used_controls(project_id)
                if config.result_misfit(f, t, kind) is not None]
        if lost:  # Label Studio's own words for annotations of controls the config lost
            message += ("\nCreated annotations are incompatible with provided labeling schema, we found:\n"
                        + "\n".join(f"{n} with from_name={f}, to_name={t}, type={kind}" for f, t, kind, n in lost))
        raise ConfigError(message + "\nKeep what stored annotations and predictions use in the config, "
                          "or delete them first; the config is unchanged.")

    def used_controls(self, project_id: int) -> list[tuple[str, str, str, int]]:
        """``(from_name, to_name, type, count)`` of every result item in the project's
        annotations (relations aside): what a new config must still be able to hold."""
        return self.cursor().execute(
            "SELECT r->>'from_name', r->>'to_name', r->>'type', count(*) "
            "FROM (SELECT unnest(CAST(result AS JSON[])) AS r FROM annotations WHERE project_id = ?) "
            "WHERE r->>'type' <> 'relation' GROUP BY ALL ORDER BY ALL", [project_id]).fetchall()


# The distinct uses of controls in a project's annotations and predictions: (source, from_name,
# to_name, type, labels key, label, first id, its task, count). Only members named by the
# config's labels keys (the second parameter) are unnested, so free text (TextArea) and
# coordinates add no rows.
_RESULT_USES_SQL = """
WITH items AS (
    SELECT 'annotation' AS source, id, task_id, unnest(CAST(result AS JSON[])) AS r
    FROM annotations WHERE project_id = $1
    UNION ALL
    SELECT 'prediction', id, task_id, unnest(CAST(result AS JSON[])) FROM predictions WHERE project_id = $1
), keyed AS (
    SELECT source, id, task_id, r,
           unnest(CASE WHEN json_type(r->'value') = 'OBJECT' AND json_keys(r->'value') <> []
                       THEN json_keys(r->'value') ELSE [NULL] END) AS k
    FROM items WHERE json_type(r) = 'OBJECT'
), labelled AS (
    SELECT source, id, task_id, r->>'from_name' AS from_name, r->>'to_name' AS to_name,
           r->>'type' AS type,
           CASE WHEN list_contains($2, k) AND json_type(r->'value'->k) = 'ARRAY' THEN k END AS label_key,
           unnest(CASE WHEN list_contains($2, k) AND json_type(r->'value'->k) = 'ARRAY'
                            AND json_array_length(r->'value'->k) > 0
                       THEN CAST(r->'value'->k AS JSON[]) ELSE [NULL] END) AS label
    FROM keyed
)
SELECT source, from_name, to_name, type, label_key, label->>'$', min(id), arg_min(task_id, id), count(*)
FROM labelled GROUP BY ALL ORDER BY ALL
"""
