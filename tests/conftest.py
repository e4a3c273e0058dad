"""Shared fixtures: a fresh DuckDB file per test, a real JupyterLab and Chromium for e2e tests."""

from __future__ import annotations

import pytest

import jupylabel as jl
from jupylabel.store.database import OPEN_STORES

SENTIMENT_XML = """<View>
  <Header value="Review of $product"/>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive" hotkey="p"/>
    <Choice value="Negative"/>
    <Choice value="Neutral"/>
  </Choices>
</View>"""
TEXT_ONLY_SENTIMENT_XML = SENTIMENT_XML.replace("Review of $product", "Review")


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "labels.duckdb"
    yield path
    store = OPEN_STORES.get(str(path.resolve()))
    if store is not None:
        store.close()


@pytest.fixture
def project(db_path):
    """A sentiment project whose tasks need only ``text`` (every ``$variable`` of a config is
    required at import, the Header's ``$product`` included)."""
    return jl.Project.create("reviews", config=TEXT_ONLY_SENTIMENT_XML, db=db_path)
