"""SPACY export: spans as spaCy's training tuples, ``(text, {"entities": [(start, end, label)]})``.

One entry per annotation that was not skipped (newest first within a task, as CONLL2003), with the
spans of the first ``Labels`` control on a ``<Text>`` in the config, sorted by offset; a span with
several labels gives one entity per label. Offsets are Python string indices, which is what
``doc.char_span(start, end, label=label)`` takes. Overlapping spans are kept as they were labeled:
``doc.ents`` refuses overlaps, ``doc.spans[...]`` (span categorisation) takes them.

Without ``path`` the export is the list itself; with one, a JSON file of ``[text, {"entities":
[[start, end, label], …]}]`` pairs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .conll import span_controls_reason
from .export import Exporter, ExportOptions, write_atomic

if TYPE_CHECKING:
    from ..config import LabelConfig
    from ..project import Project


def span_control(config: LabelConfig) -> tuple[str, Any]:
    """The first Labels control on a Text, and that Text."""
    for name, control in config.controls.items():
        if control.tag != "Labels":
            continue
        for target in control.to_name:
            obj = config.objects.get(target)
            if obj is not None and obj.tag == "Text":
                return name, obj
    raise ValueError("the config has no <Labels> on a <Text>")


def training_examples(tasks: Iterable[dict], config: LabelConfig) -> Iterator[tuple[str, dict]]:
    """``(text, {"entities": [(start, end, label), …]})`` per exported annotation."""
    name, text_tag = span_control(config)
    for task in tasks:
        text = text_tag.resolve(task["data"])
        annotations = task.get("annotations") or []
        if not annotations:
            yield text, {"entities": []}
            continue
        kept = [a for a in annotations if not (a.get("was_cancelled") or a.get("skipped"))]
        for annotation in sorted(kept, key=lambda a: a.get("created_at") or "", reverse=True):
            entities = sorted(
                (int(v["start"]), int(v["end"]), label)
                for item in annotation.get("result") or []
                if item.get("from_name") == name and item.get("to_name") == text_tag.name
                for v in [item.get("value") or {}] if "start" in v and "end" in v
                for label in v.get("labels") or [])
            yield text, {"entities": entities}


class SpacyExporter(Exporter):
    name = "SPACY"
    title = "spaCy"
    description = ("Span labels as spaCy training data: a list of [text, {\"entities\": "
                   "[[start, end, label], ...]}], one per annotation.")
    extension = "json"
    tags = ("named entity recognition", "spaCy")

    def unsupported_reason(self, config: LabelConfig) -> str | None:
        return span_controls_reason(config)

    def write(self, project: Project, path: Path | None, options: ExportOptions) -> Any:
        def examples() -> Iterator[tuple[str, dict]]:
            for batch in project.store.iter_tasks(project.id, only_annotated=not options.all_tasks,
                                                  batch_size=options.batch_size):
                yield from training_examples(batch, project.config)

        if path is None:
            return list(examples())

        def chunks() -> Iterator[str]:
            yield "["
            for i, example in enumerate(examples()):
                yield ("," if i else "") + "\n  " + json.dumps(example, ensure_ascii=False)
            yield "\n]\n"

        target = path / "result.json" if path.is_dir() else path
        write_atomic(target, chunks())
        return target

    def read(self, path: Path) -> list[tuple[str, dict]]:
        # JSON has no tuples: give back the tuples the export without a path returns
        with open(path, encoding="utf-8") as fh:
            return [(text, {**meta, "entities": [tuple(e) for e in meta.get("entities", [])]})
                    for text, meta in json.load(fh)]
