"""Project settings: each one's type and range, checked whenever a project is created or changed
(from Python, the REST API or a remote project alike: the store calls :func:`checked_settings`).

Label Studio's project fields are all accepted (clients send them back as they got them);
those jupylabel reads (``maximum_annotations``, ``lease_seconds``, ``model_version``,
``image_root``) and the rest alike get a type and a range, so that no stored value can break a
later request (a ``lease_seconds`` of 1e308 once made every ``next`` fail).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from .errors import JupylabelError

LEASE_DAYS = 7
MAX_TEXT = 100_000


class SettingsError(JupylabelError, ValueError):
    """A setting of the wrong type or out of range; ``key`` names it."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Setting:
    describe: str
    accepts: Callable[[Any], bool]
    default: Any = None


def _integer(low: int, high: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _number(low: float, high: float) -> Callable[[Any], bool]:
    """A finite number in ``(low, high]``."""
    return lambda v: (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                      and low < v <= high)


def _text(most: int = MAX_TEXT) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and len(v) <= most


def _boolean(v: Any) -> bool:
    return isinstance(v, bool)


def _one_of(*choices: str) -> Callable[[Any], bool]:
    return lambda v: v in choices


def _optional(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: v is None or check(v)


def _object(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(k, str) for k in v)


SAMPLING = ("Sequential sampling", "Uniform sampling", "Uncertainty sampling")
REVEAL = ("never", "after_submit", "always")
SKIP_QUEUE = ("REQUEUE_FOR_ME", "REQUEUE_FOR_OTHERS", "IGNORE_SKIPPED")

SETTINGS: dict[str, Setting] = {
    # read by jupylabel
    "maximum_annotations": Setting("an integer from 1 to 10000", _integer(1, 10_000), 1),
    "lease_seconds": Setting(f"a number of seconds above 0, at most {LEASE_DAYS} days",
                             _number(0, LEASE_DAYS * 86_400), 600),
    "model_version": Setting("a string (at most 1000 characters)", _text(1000), ""),
    "image_root": Setting("a folder path (a string), or null", _optional(_text(4096)), None),
    # whose annotations an annotator sees on a server: only their own ("never", the default),
    # everyone's of a task once they submitted theirs ("after_submit"), or always ("always")
    "reveal_annotations": Setting("one of " + ", ".join(REVEAL), _one_of(*REVEAL), REVEAL[0]),
    # Label Studio's, stored and echoed back
    "expert_instruction": Setting("a string", _text(), ""),
    "show_instruction": Setting("true or false", _boolean, False),
    "show_skip_button": Setting("true or false", _boolean, True),
    "enable_empty_annotation": Setting("true or false", _boolean, True),
    "show_annotation_history": Setting("true or false", _boolean, False),
    "color": Setting("a string (at most 64 characters)", _text(64), "#FFFFFF"),
    "is_published": Setting("true or false", _boolean, False),
    "is_draft": Setting("true or false", _boolean, False),
    "min_annotations_to_start_training": Setting("an integer from 0 to 1000000000",
                                                 _integer(0, 10 ** 9), 0),
    "start_training_on_annotation_update": Setting("true or false", _boolean, False),
    "show_collab_predictions": Setting("true or false", _boolean, True),
    "sampling": Setting("one of " + ", ".join(repr(s) for s in SAMPLING), _one_of(*SAMPLING), SAMPLING[0]),
    "show_ground_truth_first": Setting("true or false", _boolean, False),
    "show_overlap_first": Setting("true or false", _boolean, False),
    "overlap_cohort_percentage": Setting("an integer from 0 to 100", _integer(0, 100), 100),
    "control_weights": Setting("a JSON object", _object, None),
    "evaluate_predictions_automatically": Setting("true or false", _boolean, False),
    "skip_queue": Setting("one of " + ", ".join(SKIP_QUEUE), _one_of(*SKIP_QUEUE), "REQUEUE_FOR_OTHERS"),
    "reveal_preannotations_interactively": Setting("true or false", _boolean, False),
    "pinned_at": Setting("a timestamp (a string), or null", _optional(_text(64)), None),
    "task_data_login": Setting("a string, or null", _optional(_text(1000)), None),
    "task_data_password": Setting("a string, or null", _optional(_text(1000)), None),
}


def checked_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """``settings`` if every known one has its type and range (:class:`SettingsError` naming the
    first that does not). Keys jupylabel does not know are kept as they are: nothing reads them."""
    for key, value in settings.items():
        rule = SETTINGS.get(key)
        if rule is not None and not rule.accepts(value):
            raise SettingsError(key, f"must be {rule.describe}, not {_shown(value)}")
    return settings


def setting(settings: dict[str, Any], key: str) -> Any:
    """A stored setting as code should read it: its default when missing, or when a file
    written before settings were checked holds a value out of range."""
    rule = SETTINGS[key]
    value = settings.get(key, rule.default)
    return value if value is None and rule.default is None or rule.accepts(value) else rule.default


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"
