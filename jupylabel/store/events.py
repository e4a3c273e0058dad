"""What the store tells its listeners after each committed change: one frozen record per kind.

A listener (:meth:`~jupylabel.store.database.Database.add_listener`) is called as
``listener(event.kind, event.payload)``: the kind names the change (``annotation_created`` …)
and the payload is the record Label Studio's webhooks and the server's caches read (the stored
annotation, the project, ``{"project": id, "task_ids": …}``). The records themselves are what
store code emits, so a kind and the fields of its payload are written down once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence


@dataclass(frozen=True)
class StoreEvent:
    kind: ClassVar[str] = ""

    @property
    def payload(self) -> dict:
        raise NotImplementedError


@dataclass(frozen=True)
class AnnotationCreated(StoreEvent):
    kind: ClassVar[str] = "annotation_created"
    annotation: dict

    @property
    def payload(self) -> dict:
        return self.annotation


@dataclass(frozen=True)
class AnnotationUpdated(AnnotationCreated):
    kind: ClassVar[str] = "annotation_updated"


@dataclass(frozen=True)
class AnnotationDeleted(AnnotationCreated):
    """``annotation``: the version that was deleted, its ``version`` one past it."""

    kind: ClassVar[str] = "annotation_deleted"


@dataclass(frozen=True)
class TasksCreated(StoreEvent):
    kind: ClassVar[str] = "tasks_created"
    project_id: int
    task_ids: Sequence[int]

    @property
    def payload(self) -> dict:
        return {"project": self.project_id, "task_ids": self.task_ids}


@dataclass(frozen=True)
class ProjectUpdated(StoreEvent):
    kind: ClassVar[str] = "project_updated"
    project: dict

    @property
    def payload(self) -> dict:
        return self.project


@dataclass(frozen=True)
class ProjectDeleted(StoreEvent):
    kind: ClassVar[str] = "project_deleted"
    project_id: int

    @property
    def payload(self) -> dict:
        return {"id": self.project_id}


@dataclass(frozen=True)
class MembersChanged(StoreEvent):
    """Someone joined or left the project, or changed role (the server drops cached roles)."""

    kind: ClassVar[str] = "members_changed"
    project_id: int

    @property
    def payload(self) -> dict:
        return {"project": self.project_id}


@dataclass(frozen=True)
class UserUpdated(StoreEvent):
    """A user's tokens or admin flag changed (the server drops cached users). ``user``: the
    user record, or only ``{"id": …}``."""

    kind: ClassVar[str] = "user_updated"
    user: dict

    @property
    def payload(self) -> dict:
        return self.user


ANNOTATION_EVENTS: dict[str, type[AnnotationCreated]] = {
    "create": AnnotationCreated, "update": AnnotationUpdated, "delete": AnnotationDeleted}
"""The event of each kind of annotation write (:mod:`.annotations`)."""

EVENT_KINDS: tuple[str, ...] = tuple(
    cls.kind for cls in (AnnotationCreated, AnnotationUpdated, AnnotationDeleted, TasksCreated, ProjectUpdated,
                         ProjectDeleted, MembersChanged, UserUpdated))

__all__ = ["ANNOTATION_EVENTS", "EVENT_KINDS", "AnnotationCreated", "AnnotationDeleted", "AnnotationUpdated",
           "MembersChanged", "ProjectDeleted", "ProjectUpdated", "StoreEvent", "TasksCreated", "UserUpdated"]
