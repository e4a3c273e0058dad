"""Tasks and predictions into a project's store: what ``Project.import_tasks`` and
``Project.add_predictions`` do, and what the server's import routes do with the same checks.

Both read the project's config for what tasks must carry and how results are checked, pick a
task source for the input, and hand the rest to the store in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..progress import Progress
from ..store.access import default_annotator
from .predictions import result_shorthand

if TYPE_CHECKING:
    from ..config import LabelConfig
    from ..store import ImportResult, Store


def import_tasks(store: Store, project_id: int, config: LabelConfig, tasks: Any, *,
                 progress: bool | None = None, importer: str | None = None) -> ImportResult:
    """Add ``tasks`` (anything an importer reads, or a task source) to the project, all or none;
    see ``Project.import_tasks``."""
    # Task sources and media read pandas; imported here so that a process that never
    # imports (a server at rest) never loads it.
    from .media_in import extract_media
    from .tasks_in import task_source

    keys = [tag.data_key() for tag in config.tags if tag.MEDIA and tag.data_key()]
    tasks, images = extract_media(tasks, keys, project_id)
    source = task_source(tasks)
    with Progress.steps(store.IMPORT_STEPS, desc="import", enabled=progress) as bar:
        return store.import_tasks(
            project_id, source, requirements=config.data_requirements(),
            validate_item=config.validate_result_item, shorthand=result_shorthand(config),
            importer=importer or default_annotator(), on_step=bar.step,
            media=images)


def add_predictions(store: Store, project_id: int, config: LabelConfig, predictions: Any, *,
                    model_version: str | None = None, progress: bool | None = None) -> ImportResult:
    """Store model predictions for tasks already in the project, all or none; see
    ``Project.add_predictions``."""
    from .tasks_in import task_source

    source = task_source(predictions)
    with Progress.steps(store.PREDICTION_STEPS, desc="predictions", enabled=progress) as bar:
        return store.add_predictions(
            project_id, source, validate_item=config.validate_result_item,
            shorthand=result_shorthand(config), model_version=model_version or "",
            on_step=bar.step)
