"""Label Studio's template gallery, template by template: each config parses (a config Label
Studio accepts is never refused) and jupylabel draws all of it but the tags listed here.

``UNDRAWN`` is the census: for each template (``<group folder>/<template>`` in
``tests/data/label-studio-templates``), the control and object tags jupylabel does not draw yet
(unknown tags, and tags registered for their results only). A tag that starts being drawn must
leave this table (the test fails until it does), and a template that stops drawing fails too.
``scripts/template_census.py`` prints the same table with each template's category.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.gallery import LABEL_STUDIO_VERSION, census, templates

UNDRAWN: dict[str, set[str]] = {
    "audio-speech-processing/automatic-speech-recognition": {"Audio"},
    "audio-speech-processing/automatic-speech-recognition-using-segments": {"Audio"},
    "audio-speech-processing/conversational-analysis": {"Audio"},
    "audio-speech-processing/intent-classification": {"Audio"},
    "audio-speech-processing/signal-quality-detection": {"Audio"},
    "audio-speech-processing/sound-event-detection": {"Audio"},
    "audio-speech-processing/speaker-segmentation": {"Audio"},
    "audio-speech-processing/speech-transcription": {"Audio"},
    "chat/chat_eval": {"Chat"},
    "chat/chat_llm_eval": {"Chat"},
    "chat/chat_red_team": {"Chat"},
    "chat/chat_rlhf": {"Chat"},
    "chat/chatbot": {"Chat"},
    "community-contributions/breast-cancer-mammogram-classification": set(),
    "community-contributions/html-ner-tagging-person-and-organization": set(),
    "community-contributions/ner-tagging-invoices-bio-format": set(),
    "community-contributions/ocr-invoices-pre-ner-bio-format": set(),
    "community-contributions/two-level-sentiment-analysis-of-x-twitter-posts": set(),
    "computer-vision/image-captioning": set(),
    "computer-vision/image-classification": set(),
    "computer-vision/inventory-tracking": set(),
    "computer-vision/keypoints": set(),
    "computer-vision/medical-image-classification-with-bboxes": set(),
    "computer-vision/multipage-documents": set(),
    "computer-vision/object-detection-with-bounding-boxes": set(),
    "computer-vision/optical-character-recognition": set(),
    "computer-vision/pdf_ocr": {"OcrLabels", "Pdf"},
    "computer-vision/semantic-segmentation-with-masks": set(),
    "computer-vision/semantic-segmentation-with-polygons": set(),
    "computer-vision/visual-genome": set(),
    "computer-vision/visual-question-answering": set(),
    "conversational-ai/coreference-resolution-and-entity-linking": set(),
    "conversational-ai/intent-classification-and-slot-filling": set(),
    "conversational-ai/response-generation": set(),
    "conversational-ai/response-selection": set(),
    "generative-ai/chatbot-assessment": set(),
    "generative-ai/human-feedback-collection": set(),
    "generative-ai/llm-ranker": set(),
    "generative-ai/response-grading": set(),
    "generative-ai/supervised-llm": set(),
    "generative-ai/visual-ranker": set(),
    "natural-language-processing/content-moderation": set(),
    "natural-language-processing/machine-translation": set(),
    "natural-language-processing/named-entity-recognition": set(),
    "natural-language-processing/question-answering": set(),
    "natural-language-processing/relation-extraction": set(),
    "natural-language-processing/taxonomy": set(),
    "natural-language-processing/text-classification": set(),
    "natural-language-processing/text-summarization": set(),
    "ranking-and-scoring/asr-hypotheses": {"Audio"},
    "ranking-and-scoring/content-based-image-search": set(),
    "ranking-and-scoring/document-retrieval": set(),
    "ranking-and-scoring/pairwise-classification": set(),
    "ranking-and-scoring/pairwise-regression": set(),
    "ranking-and-scoring/serp-ranking": set(),
    "ranking-and-scoring/text-to-image": set(),
    "structured-data-parsing/freeform-metadata": set(),
    "structured-data-parsing/html-entity-recognition": set(),
    "structured-data-parsing/pdf-classification": {"Pdf"},
    "structured-data-parsing/tabular-data": set(),
    "time-series-analysis/activity-recognition": {"Channel", "TimeSeries", "TimeSeriesLabels"},
    "time-series-analysis/change-point-detection": {"Channel", "TimeSeries", "TimeSeriesLabels"},
    "time-series-analysis/outliers-anomaly-detection": {"Channel", "TimeSeries", "TimeSeriesLabels"},
    "time-series-analysis/signal-quality": {"Channel", "TimeSeries", "TimeSeriesLabels"},
    "time-series-analysis/time-series-forecasting": {"Channel", "TimeSeries", "TimeSeriesLabels"},
    "videos/video-classification": {"Video"},
    "videos/video-frame-classification": {"TimelineLabels", "Video"},
    "videos/video-object-tracking": {"Video", "VideoRectangle"},
    "videos/video-timeline-segmentation": {"Audio", "Video"},
}

# Templates drawn fully: 13 of 69 before the gallery was a test (ranking-and-scoring/document-retrieval
# and computer-vision/pdf_ocr were refused then); document-retrieval opens since, and
# structured-data-parsing/tabular-data draws since <Table> does; twelve more since TextArea, Rating,
# Number and DateTime do, four since the polygon and key point kinds are drawn, three since
# Paragraphs and ParagraphLabels are, five since Taxonomy, Pairwise and Ranker are, one since
# Relations is, one since the brush mask kind is, two since HyperText and HyperTextLabels are.
FULLY_DRAWN = 44

# Label Studio's visual tags jupylabel does not know, shown as plain containers: none since
# <Style> (kept, never applied), <Collapse>/<Panel> and <Filter> are tags of their own.
UNKNOWN_VISUAL: set[str] = set()

# What parsing says of a gallery template that Label Studio accepts and jupylabel reads otherwise.
WARNINGS = {
    # its Rating has no toName: Label Studio's editor binds it to the one object tag
    "generative-ai/chatbot-assessment": [
        "<Rating> 'likert_scale' on line 41: has no toName; it labels 'dialogue', the only object "
        "tag, as in Label Studio, whose converter leaves it out of JSON_MIN, CSV and TSV (jupylabel "
        "too: write toName to keep it there)"],
    "ranking-and-scoring/document-retrieval": [
        "<Choice> on line 14: Choices 'selection' lists 'Two' twice (first on line 13); Label Studio "
        "accepts it and so does jupylabel: both stand for the same value"],
}

CENSUS = {entry.template.path: entry for entry in census()}
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "template_census.py"


def test_the_table_names_every_template_of_the_gallery():
    paths = [t.path for t in templates()]
    assert len(paths) == 69, f"Label Studio {LABEL_STUDIO_VERSION}'s gallery has 69 templates"
    assert sorted(UNDRAWN) == paths


@pytest.mark.parametrize("path", sorted(UNDRAWN))
def test_each_template_parses_and_draws_all_but_its_listed_tags(path):
    entry = CENSUS[path]  # parsed: census() raises the ConfigError of a refused template
    assert set(entry.undrawn) == UNDRAWN[path]
    assert list(entry.warnings) == WARNINGS.get(path, [])


def test_how_many_templates_draw_fully():
    fully = sorted(path for path, entry in CENSUS.items() if entry.draws_fully)
    print(f"\n{len(fully)} of {len(CENSUS)} gallery templates drawn fully")
    assert len(fully) == FULLY_DRAWN
    assert fully == sorted(path for path, tags in UNDRAWN.items() if not tags)


def test_the_census_page_is_current():
    spec = importlib.util.spec_from_file_location("template_census", SCRIPT)
    census_script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(census_script)
    assert census_script.DOC.read_text(encoding="utf-8") == census_script.document(census_script.rows()), (
        "docs/templates.md is out of date: run python3 scripts/template_census.py --write")


def test_visual_tags_not_drawn_are_only_those_listed():
    assert set().union(*(entry.unknown_visual for entry in CENSUS.values())) == UNKNOWN_VISUAL
