"""CONLL2003 export, written the way Label Studio writes it.

The file starts with ``-DOCSTART- -X- O``. Each annotation that was not skipped becomes one block:
a line ``<token> -X- _ <tag>`` per token of the text, then a blank line. Tokens are Label Studio's
Treebank tokens (:mod:`.treebank`); tags are BIO (``B-PER``, ``I-PER``, ``O``) from the spans of the
first ``Labels`` control in the annotation's result, using each span's first label. Annotations of a
task come newest first; a task with no annotation at all (exported with ``all_tasks=True``) is one
block of ``O``.

Label Studio's tagging rule is kept as it is, quirks included, so both tools write the same bytes:
spans are taken in order of ``start``; a token is tagged while it overlaps the current span, and a
token past the current span's end moves on to the next span that has not ended before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import user_warnings
from .export import Exporter, ExportOptions, write_atomic
from .treebank import span_tokenize

if TYPE_CHECKING:
    from ..config import LabelConfig
    from ..project import Project

DOCSTART = "-DOCSTART- -X- O\n"


def tokens_and_tags(text: str, spans: list[dict] | None) -> tuple[list[str], list[str]]:
    """Label Studio's ``create_tokens_and_tags``: the tokens of ``text`` and a BIO tag for each."""
    try:
        offsets = span_tokenize(text)
    except ValueError as exc:
        # Label Studio's export fails on such a text; here it falls back to whitespace tokens.
        user_warnings.warn(f"Treebank tokens do not line up with the text ({exc}); "
                      "using whitespace tokens for it", stacklevel=2)
        offsets = _whitespace_tokens(text)
    tokens = [text[s:e] for s, e in offsets]
    if not spans or any(s.get("start") is None or s.get("end") is None for s in spans):
        return tokens, ["O"] * len(tokens)
    queue = sorted(spans, key=lambda s: s["start"])
    span = queue.pop(0)
    span_start, span_last = span["start"], span["end"] - 1
    prefix = "B-"
    tags = []
    for token, (token_start, _) in zip(tokens, offsets):
        token_last = token_start + len(token) - 1
        if token_start > span_last:
            while queue:
                span = queue.pop(0)
                span_start, span_last = span["start"], span["end"] - 1
                prefix = "B-"
                if token_start <= span_last:
                    break
        if not span or token_last < span_start or not span.get("labels"):
            tags.append("O")
        elif span_start <= token_last and span_last >= token_start:
            tags.append(prefix + span["labels"][0])
            prefix = "I-"
        else:
            tags.append("O")
    return tokens, tags


def _whitespace_tokens(text: str) -> list[tuple[int, int]]:
    out, point = [], 0
    for token in text.split():
        start = text.find(token, point)
        point = start + len(token)
        out.append((start, point))
    return out


def annotation_blocks(tasks: Iterable[dict], config: LabelConfig) -> Iterator[str]:
    """One CoNLL block per exported annotation of Label Studio-shaped ``tasks``."""
    labels_controls = [name for name, c in config.controls.items() if c.tag == "Labels"]
    default = labels_controls[0] if labels_controls else None
    for task in tasks:
        for spans, control in _annotation_spans(task, labels_controls):
            text = _text_of(config, control or default, task["data"])
            tokens, tags = tokens_and_tags(text, spans)
            yield "".join(f"{token} -X- _ {tag}\n" for token, tag in zip(tokens, tags)) + "\n"


def _annotation_spans(task: dict, labels_controls: list[str]) -> Iterator[tuple[list[dict] | None, str | None]]:
    """For each exported annotation, newest first: the span values of its first Labels control
    (in result order) and that control's name."""
    annotations = task.get("annotations") or []
    if not annotations:
        yield None, None
        return
    kept = [a for a in annotations if not (a.get("was_cancelled") or a.get("skipped"))]
    for annotation in sorted(kept, key=lambda a: a.get("created_at") or "", reverse=True):
        first = None
        spans: list[dict] = []
        for item in annotation.get("result") or []:
            name = item.get("from_name")
            if name in labels_controls and first in (None, name):
                first = name
                spans.append(item.get("value") or {})
        yield (spans if first else None), first


def _text_of(config: LabelConfig, control: str | None, data: dict) -> str:
    if control is not None:
        for target in config.controls[control].to_name:
            obj = config.objects.get(target)
            if obj is not None and obj.tag == "Text":
                return obj.resolve(data)
    text = next((o for o in config.objects.values() if o.tag == "Text"), None)
    return text.resolve(data) if text is not None else ""


def span_controls_reason(config: LabelConfig) -> str | None:
    """Why a config has no spans to export (no ``Labels`` on a ``Text``), or None."""
    for control in config.controls.values():
        if control.tag == "Labels" and any(
                getattr(config.objects.get(t), "tag", None) == "Text" for t in control.to_name):
            return None
    return "it needs a <Labels> control on a <Text>"


class Conll2003Exporter(Exporter):
    name = "CONLL2003"
    title = "CONLL2003"
    description = "Popular format used for the CoNLL-2003 named entity recognition challenge."
    extension = "conll"
    tags = ("sequence labeling", "text tagging", "named entity recognition")

    def unsupported_reason(self, config: LabelConfig) -> str | None:
        return span_controls_reason(config)

    def write(self, project: Project, path: Path | None, options: ExportOptions) -> Any:
        def chunks() -> Iterator[str]:
            yield DOCSTART
            for batch in project.store.iter_tasks(project.id, only_annotated=not options.all_tasks,
                                                  batch_size=options.batch_size):
                yield from annotation_blocks(batch, project.config)

        if path is None:
            return "".join(chunks())
        target = path / "result.conll" if path.is_dir() else path
        write_atomic(target, chunks())
        return target
