"""Store records → the JSON Label Studio's API returns, field for field.

Pure functions: a store dict in, a Label Studio-shaped dict out. Fields jupylabel has no notion
of (comments, drafts, organizations) are present with Label Studio's empty values, because
clients index them.
"""

from __future__ import annotations

from typing import Any

from ..config import LabelConfig
from ..errors import ConfigError

# Project settings with Label Studio's defaults (``POST /api/projects`` may set any of them).
PROJECT_SETTINGS: dict[str, Any] = {
    "expert_instruction": "", "show_instruction": False, "show_skip_button": True,
    "enable_empty_annotation": True, "show_annotation_history": False, "color": "#FFFFFF",
    "maximum_annotations": 1, "is_published": False, "model_version": "", "is_draft": False,
    "min_annotations_to_start_training": 0, "start_training_on_annotation_update": False,
    "show_collab_predictions": True, "sampling": "Sequential sampling", "show_ground_truth_first": False,
    "show_overlap_first": False, "overlap_cohort_percentage": 100, "control_weights": {},
    "evaluate_predictions_automatically": False, "skip_queue": "REQUEUE_FOR_OTHERS",
    "reveal_preannotations_interactively": False, "pinned_at": None, "lease_seconds": 600,
    "reveal_annotations": "never",
}
# Accepted on write, never echoed back (Label Studio keeps them for its ML backends).
WRITE_ONLY_SETTINGS = {"task_data_login", "task_data_password"}


def user(record: dict | None) -> dict | None:
    if record is None:
        return None
    first, last = record.get("first_name") or "", record.get("last_name") or ""
    initials = ((first[:1] + last[:1]) or record["email"][:2]).lower()
    return {"id": record["id"], "first_name": first, "last_name": last, "email": record["email"],
            "username": record["email"], "avatar": None, "initials": initials}


def parsed_label_config(config: LabelConfig | None) -> dict:
    """Label Studio's ``parsed_label_config``: per control, its type, targets, inputs, labels."""
    if config is None:
        return {}
    out = {}
    for name, control in config.controls.items():
        inputs = []
        for target in control.to_name:
            obj = config.tags_by_name.get(target)
            if obj is not None:
                inputs.append({"type": obj.tag, "valueType": obj.attrs.get("valuetype"),
                               "value": obj.data_key()})
        labels = control.labels
        out[name] = {"type": control.tag, "to_name": list(control.to_name), "inputs": inputs,
                     "labels": labels,
                     "labels_attrs": {item.result_value: {k: str(v) for k, v in item.attrs.items()}
                                      for item in control.items}}
    return out


def project(record: dict, *, counts: dict | None = None, config: LabelConfig | None = None,
            creator: dict | None = None) -> dict:
    counts = counts or {}
    settings = {**PROJECT_SETTINGS, **{k: v for k, v in record["settings"].items()
                                       if k not in WRITE_ONLY_SETTINGS}}
    total = counts.get("task_number", 0)
    done = counts.get("num_tasks_with_annotations", 0)
    out = {
        "id": record["id"], "title": record["title"], "description": record["description"],
        "label_config": record["label_config"], **settings,
        "created_by": user(creator) if creator else None, "created_at": record["created_at"],
        "updated_at": record["updated_at"], "organization": 1, "workspace": None,
        "parsed_label_config": parsed_label_config(config),
        "config_has_control_tags": bool(config and config.controls),
        "config_suitable_for_bulk_annotation": bool(config and config.controls),
        "task_number": total,
        "total_annotations_number": counts.get("total_annotations_number", 0),
        "total_predictions_number": counts.get("total_predictions_number", 0),
        "useful_annotation_number": counts.get("total_annotations_number", 0),
        "ground_truth_number": counts.get("ground_truth_number", 0),
        "skipped_annotations_number": counts.get("skipped_annotations_number", 0),
        "num_tasks_with_annotations": done, "finished_task_number": done,
        "queue_total": total, "queue_done": done,
        "data_types": {req.key: req.tag for req in config.data_requirements() if req.label_studio}
        if config else {},
    }
    return out


def annotation(record: dict, *, task_meta: dict | None = None) -> dict:
    """An annotation as ``/api/annotations/{id}`` returns it (``version`` is jupylabel's: send
    it back in a PATCH and a stale edit is refused with 409 instead of overwriting)."""
    out = {
        "id": record["id"], "result": record["result"], "task": record["task"], "project": record["project"],
        "completed_by": record["completed_by"], "updated_by": record.get("updated_by"),
        "was_cancelled": record["was_cancelled"], "ground_truth": record["ground_truth"],
        "lead_time": record["lead_time"], "created_at": record["created_at"], "updated_at": record["updated_at"],
        "draft_created_at": None, "parent_prediction": None, "parent_annotation": None,
        "last_action": None, "last_created_by": None, "import_id": None, "bulk_created": False,
        "result_count": len(record["result"]) if isinstance(record["result"], list) else 0,
        "version": record["version"],
    }
    extra = record.get("extra") or {}
    for key, value in extra.items():
        # kept fields fill Label Studio's empty placeholders (an accepted suggestion's
        # parent_prediction, a bulk label's bulk_created) and add the rest
        if key in _PLACEHOLDERS or key not in out:
            out[key] = value
    return out


_PLACEHOLDERS = {"draft_created_at", "parent_prediction", "parent_annotation", "last_action", "last_created_by",
                 "import_id", "bulk_created"}


def prediction(record: dict) -> dict:
    return {"id": record["id"], "task": record["task"], "project": record["project"],
            "result": record["result"], "score": record["score"], "model_version": record["model_version"],
            "model": None, "model_run": None, "cluster": None, "neighbors": None, "mislabeling": 0.0,
            "created_at": record["created_at"], "updated_at": record["updated_at"]}


def task(record: dict, *, full: bool = False) -> dict:
    """A task as ``/api/tasks`` lists it; ``full`` adds annotations and predictions
    (``fields=all``, and ``GET /api/tasks/{id}``)."""
    anns = record.get("annotations")
    done = record.get("total_annotations")
    if done is None and anns is not None:
        done = sum(1 for a in anns if not a["was_cancelled"])
    cancelled = record.get("cancelled_annotations")
    if cancelled is None and anns is not None:
        cancelled = sum(1 for a in anns if a["was_cancelled"])
    preds = record.get("predictions")
    total_predictions = record.get("total_predictions")
    if total_predictions is None and preds is not None:
        total_predictions = len(preds)
    out = {
        "id": record["id"], "data": record["data"], "meta": record.get("meta") or {},
        "created_at": record["created_at"], "updated_at": record["updated_at"],
        "is_labeled": bool(record.get("is_labeled", False)), "overlap": 1, "inner_id": record["id"],
        "total_annotations": done or 0, "cancelled_annotations": cancelled or 0,
        "total_predictions": total_predictions or 0, "comment_count": 0, "unresolved_comment_count": 0,
        "last_comment_updated_at": None, "project": record["project"], "updated_by": [],
        "file_upload": None, "comment_authors": [], "completed_at": record.get("completed_at"),
        "annotators": record.get("annotators", sorted({a["completed_by"] for a in anns or []
                                                         if a["completed_by"] is not None})),
    }
    for key, value in (record.get("extra") or {}).items():
        out.setdefault(key, value)
    if full:
        out["annotations"] = [annotation(a) for a in anns or []]
        out["predictions"] = [prediction(p) for p in preds or []]
        out["drafts"] = []
    return out


def webhook(record: dict, *, generated_secret: bool = False) -> dict:
    """A webhook as Label Studio lists it, less what is write-only: the signing secret and the
    header values (both may be credentials of the receiver) are never read back; the header
    names are. A secret the server made up is shown once, in the reply that created it."""
    out = {k: record[k] for k in ("id", "project", "url", "send_payload", "send_for_all_actions",
                                  "is_active", "actions", "created_at", "updated_at")}
    out["header_names"] = sorted(record.get("headers") or {})
    out["organization"] = 1
    if generated_secret:
        out["secret"] = record["secret"]
    return out


def config_errors(exc: ConfigError) -> dict[str, list[str]]:
    return {"label_config": [str(exc)]}


ML_STATES = {"CO": "Connected", "DI": "Disconnected", "ER": "Error", "TR": "Training", "PR": "Predicting"}


def ml_backend(record: dict) -> dict:
    """An ML backend as ``/api/ml`` lists it (Label Studio's ``MLBackendSerializer``); the
    basic-auth password is write-only: only whether one is set is said."""
    out = {k: record[k] for k in ("id", "state", "is_interactive", "url", "error_message", "title",
                                  "auth_method", "basic_auth_user", "description", "extra_params",
                                  "model_version", "timeout", "created_at", "updated_at", "auto_update",
                                  "project")}
    out["readable_state"] = ML_STATES.get(record["state"], record["state"])
    out["basic_auth_pass_is_set"] = bool(record.get("basic_auth_pass"))
    return out
