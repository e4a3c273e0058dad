"""``Project``: one labeling config bound to one store — the object users work with.

>>> project = jl.Project.create("reviews", config=XML, db="labels.duckdb")
>>> project.import_tasks(df)
>>> project.label()            # the widget
>>> df = project.to_pandas()   # one row per annotation

A project never builds SQL or HTTP itself: it checks input against its config and hands the
rest to a :class:`~jupylabel.store.Store`, so the same object works over a local DuckDB file or
a teammate's server.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pandas as pd

from .config import LabelConfig, parse_config
from .errors import NotFoundError
from .formats.frames import frame_columns
from .formats.media_in import extract_media
from .formats.tasks_in import task_source
from .store import DuckDBStore, ImportResult, Store

if TYPE_CHECKING:
    from .widgets import LabelWidget

DEFAULT_DB = "labels.duckdb"


def default_annotator() -> str:
    """Who labels in this kernel: ``$JUPYLABEL_USER``, else the login name at ``localhost``."""
    name = os.environ.get("JUPYLABEL_USER")
    if name:
        return name
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = "annotator"
    return f"{user}@localhost"


class Project:
    """A labeling project: its config, tasks, annotations and predictions."""

    def __init__(self, store: Store, record: dict):
        self.store = store
        self._record = record
        self._config: LabelConfig | None = None

    # -- creating and opening -------------------------------------------------------------
    @classmethod
    def create(cls, title: str, config: str, db: str | Path = DEFAULT_DB, *, exist_ok: bool = False,
               description: str = "", image_root: str | Path | None = None, **settings: Any) -> Project:
        """Create a project in the DuckDB file ``db`` (made if missing).

        ``config`` is Label Studio labeling-config XML; it is checked now, so a broken config
        fails here with the element and line, not later in the widget. With ``exist_ok=True`` an
        existing project of the same title is opened instead (its config must be the same).
        ``image_root``: the folder image paths in tasks are read from (see :attr:`image_root`).
        """
        parsed = parse_config(config)
        if image_root is not None:
            settings["image_root"] = _absolute_folder(image_root)
        store = DuckDBStore.open(db)
        project = cls._create_in(store, title, parsed, exist_ok=exist_ok, description=description, **settings)
        if image_root is not None and str(project.image_root) != settings["image_root"]:
            project.image_root = image_root  # reopened with exist_ok and a new folder
        return project

    @classmethod
    def _create_in(cls, store: Store, title: str, parsed: LabelConfig, *, exist_ok: bool,
                   description: str = "", **settings: Any) -> Project:
        if not isinstance(title, str) or not title.strip():
            raise ValueError("a project needs a title")
        existing = [p for p in store.list_projects() if p["title"] == title]
        if existing:
            if not exist_ok:
                raise ValueError(f"{store} already has a project titled {title!r}; open it with "
                                 f"jl.open(...)[{title!r}] or pass exist_ok=True")
            project = cls(store, existing[0])
            if project.label_config.strip() != parsed.xml.strip():
                raise ValueError(f"project {title!r} exists with a different config; change it with "
                                 "project.set_config(xml) or pick another title")
            return project
        record = store.create_project(title, parsed.xml, description=description, **settings)
        project = cls(store, record)
        project._config = parsed
        return project

    # -- identity -------------------------------------------------------------------------
    @property
    def id(self) -> int:
        return self._record["id"]

    @property
    def title(self) -> str:
        return self._record["title"]

    @property
    def label_config(self) -> str:
        return self._record["label_config"]

    @property
    def config(self) -> LabelConfig:
        if self._config is None:
            self._config = parse_config(self.label_config)
        return self._config

    @property
    def image_root(self) -> Path | None:
        """The folder image paths in tasks are read from (relative paths are relative to it,
        absolute ones must lie inside it; nothing outside it is ever read). None means the
        kernel's working directory at the time the widget opens."""
        root = self._record["settings"].get("image_root")
        return Path(root) if root else None

    @image_root.setter
    def image_root(self, folder: str | Path | None) -> None:
        value = _absolute_folder(folder) if folder is not None else None
        self._record = self.store.update_project(self.id, image_root=value)

    def refresh(self) -> Project:
        self._record = self.store.get_project(self.id)
        self._config = None
        return self

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.title!r} in {self.store}>"

    def __len__(self) -> int:
        return self.progress()["total"]

    # -- tasks ----------------------------------------------------------------------------
    def import_tasks(self, tasks: Any) -> ImportResult:
        """Add tasks, all or none.

        ``tasks`` is a DataFrame (one task per row, columns are data keys), a list of dicts
        (flat, or Label Studio's ``{"data": {...}}`` form), or a path to a ``.json``, ``.jsonl``,
        ``.csv`` or ``.tsv`` file. Every task must carry the data keys the config reads; the
        first that does not is named (row and key) and nothing is imported.

        An ``<Image>`` value may be a URL, a path under :attr:`image_root`, or the image itself
        (bytes, a PIL image, a numpy array): those are encoded once and stored in the project's
        file, and the task keeps a reference to them.
        """
        keys = [tag.data_key() for tag in self.config.tags if tag.MEDIA and tag.data_key()]
        tasks, images = extract_media(tasks, keys, self.id)
        source = task_source(tasks)
        return self.store.import_tasks(self.id, source, requirements=self.config.data_requirements(),
                                       media=images)

    def task(self, task_id: int) -> dict:
        task = self.store.get_task(task_id)
        if task["project"] != self.id:
            raise NotFoundError(f"task {task_id} is not in project {self.title!r}")
        return task

    def progress(self, annotator: str | None = None) -> dict:
        """``{"total", "labeled", "skipped", "mine"}`` task counts (``mine`` for ``annotator``)."""
        user = self.store.user(annotator or default_annotator())
        return self.store.progress(self.id, user_id=user["id"])

    # -- labeling -------------------------------------------------------------------------
    def label(self, *, annotator: str | None = None, prefetch: int = 5,
              image_root: str | Path | None = None) -> LabelWidget:
        """The labeling widget, starting at the first task this annotator has not labeled.

        ``image_root`` overrides :attr:`image_root` for this widget.
        """
        from .widgets import LabelSession, LabelWidget

        session = LabelSession(self, annotator=annotator or default_annotator(),
                               image_root=image_root if image_root is not None else self.image_root)
        return LabelWidget(session, prefetch=prefetch)

    # -- results --------------------------------------------------------------------------
    def to_pandas(self, *, include_skipped: bool = False, long: bool = False,
                  control: str | None = None) -> pd.DataFrame:
        """One row per annotation, ready for training (``long=True``: one row per region).

        Columns: the task's data keys, one column per control (a single Choices is a string, a
        multiple one a list), then ``task_id``, ``annotation_id``, ``annotator``,
        ``created_at``, ``updated_at``, ``lead_time``. Skipped tasks are left out unless
        ``include_skipped`` (then a ``was_cancelled`` column says which).

        ``long=True`` gives one row per span or box of the region controls (or of ``control``
        alone): ``task_id``, ``annotation_id``, ``annotator``, ``control``, ``region_id``,
        ``label``, ``labels``, then the region's own fields (``start``/``end``/``text`` for spans,
        ``x``/``y``/``width``/``height`` … for boxes), then ``created_at``.
        """
        columns = frame_columns(self.config)
        if long:
            if control is not None:
                if control not in self.config.controls:
                    raise KeyError(f"no control {control!r} in the config ({', '.join(self.config.controls)})")
                columns = [c for c in columns if c.name == control]
            return self.store.region_frame(self.id, columns)
        return self.store.annotation_frame(self.id, columns, include_cancelled=include_skipped)

    def export(self, format: str = "JSON", path: str | Path | None = None, *,  # noqa: A002
               all_tasks: bool = False, **options: Any) -> Any:
        """Export in one of Label Studio's formats (``project.export_formats()`` lists them).

        With ``path``, writes the file (or folder, for multi-file formats) and returns its path;
        without, returns the exported object. Only annotated tasks unless ``all_tasks``, as
        Label Studio does. A format that does not fit the config is an error, not an empty file.
        """
        from .formats.export import export

        return export(self, format, path, all_tasks=all_tasks, **options)

    def export_formats(self) -> list[dict]:
        """Every export format, with ``"disabled": True`` on those that do not fit this config."""
        from .formats.export import available_formats

        return available_formats(self.config)

    def history(self, annotation_id: int) -> list[dict]:
        """Every version of one annotation, oldest first."""
        return self.store.annotation_history(annotation_id)


def _absolute_folder(folder: str | Path) -> str:
    path = Path(folder).expanduser().resolve()
    if not path.is_dir():
        raise NotADirectoryError(f"image_root {str(folder)!r} is not a folder")
    return str(path)


class Workspace:
    """The projects in one DuckDB file: ``jl.open("labels.duckdb")["reviews"]``."""

    def __init__(self, store: Store):
        self.store = store

    def __getitem__(self, key: int | str) -> Project:
        return Project(self.store, self.store.get_project(key))

    def __contains__(self, key: object) -> bool:
        try:
            self.store.get_project(key)  # type: ignore[arg-type]
        except NotFoundError:
            return False
        return True

    def __iter__(self) -> Iterator[Project]:
        return (Project(self.store, p) for p in self.store.list_projects())

    def __len__(self) -> int:
        return len(self.store.list_projects())

    @property
    def titles(self) -> list[str]:
        return [p["title"] for p in self.store.list_projects()]

    def create_project(self, title: str, config: str, *, exist_ok: bool = False, **settings: Any) -> Project:
        return Project._create_in(self.store, title, parse_config(config), exist_ok=exist_ok, **settings)

    def close(self) -> None:
        self.store.close()

    def __repr__(self) -> str:
        return f"<Workspace {self.store} projects={self.titles}>"


def open(db: str | Path = DEFAULT_DB) -> Workspace:  # noqa: A001 - jl.open mirrors the builtin on purpose
    """Open (or create) a DuckDB file of projects."""
    return Workspace(DuckDBStore.open(db))
