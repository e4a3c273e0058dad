"""Plugins: another package's exporter, importer and tag, found through its entry points.

Each test installs a small package the way pip leaves one on disk (the module beside a
``.dist-info`` folder holding ``METADATA`` and ``entry_points.txt``) on ``sys.path``, where
``importlib.metadata`` finds it, and uses it through jupylabel's public API.
"""

from __future__ import annotations

import sys
import textwrap
import warnings
from pathlib import Path

import pytest

import jupylabel as jl
from jupylabel.config.tags import REGISTRY
from jupylabel.errors import ConfigError, PluginError, ResultError, TaskDataError
from jupylabel.formats.export import EXPORTERS, ExportError
from jupylabel.formats.importers import IMPORTERS

from .conftest import SENTIMENT_XML

REGISTRIES = (EXPORTERS, IMPORTERS, REGISTRY)

STARS_PACKAGE = '''
"""A plugin for jupylabel: a <Stars> rating, an export of the stars, and .lines files."""

from jupylabel.config.tags import Attr, ControlTag
from jupylabel.config.tags.base import CONTROL_ATTRS
from jupylabel.formats.export import Exporter, TextOutput
from jupylabel.formats.importers import Importer
from jupylabel.formats.tasks_in import JsonListSource


class Stars(ControlTag):
    TAG = "Stars"
    TARGETS = ("Text",)
    ATTRS = {**CONTROL_ATTRS, "maxrating": Attr("int", 5)}
    FRAME = "number"
    BARE_RESULT_TYPES = ("int",)
    BARE_RESULT_WRAP = "scalar"

    def validate_value(self, value):
        stars, top = value.get("stars"), self.get("maxrating")
        if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= top:
            return f"value['stars'] must be a whole number from 1 to {top}, got {stars!r}"
        return None


class StarsExporter(Exporter):
    name = "MYFMT"
    title = "Stars"
    extension = "tsv"

    def unsupported_reason(self, config):
        if any(c.tag == "Stars" for c in config.controls.values()):
            return None
        return "it needs a <Stars>"

    def write(self, project, path, options):
        with TextOutput(path) as out:
            for batch in project.store.iter_tasks(project.id, only_annotated=not options.all_tasks):
                for task in batch:
                    stars = [r["value"]["stars"] for a in task["annotations"] for r in a["result"]]
                    out.write(f"{task['id']}\\t{task['data']['text']}\\t{','.join(map(str, stars))}\\n")
            return out.finish()


class LinesImporter(Importer):
    name = "lines"
    extensions = (".lines",)

    def source(self, path):
        return JsonListSource([{"text": line} for line in path.read_text().splitlines() if line])
'''

STARS_ENTRY_POINTS = """
[jupylabel.exporters]
MYFMT = jl_stars:StarsExporter

[jupylabel.tags]
Stars = jl_stars:Stars

[jupylabel.importers]
lines = jl_stars:LinesImporter
"""

STARS_XML = """<View><Text name="text" value="$text"/>
<Stars name="rating" toName="text" maxRating="5"/></View>"""


@pytest.fixture
def install(tmp_path):
    """``install(dist, module, source, entry_points)``: a package on ``sys.path``, found by
    ``importlib.metadata``; the registries read entry points again, and forget them after."""
    added: list[tuple[str, str]] = []

    def _install(dist: str, module: str, source: str | None, entry_points: str) -> Path:
        site = tmp_path / f"site-{dist}"
        info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
        (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))
        if source is not None:
            (site / f"{module}.py").write_text(source)
        sys.path.insert(0, str(site))
        added.append((str(site), module))
        for registry in REGISTRIES:
            registry.refresh()
        return site

    yield _install
    for site, module in added:
        sys.path.remove(site)
        sys.modules.pop(module, None)
    for registry in REGISTRIES:
        registry.refresh()


def test_a_plugin_adds_a_tag_an_importer_and_an_exporter(install, db_path, tmp_path):
    install("jl-stars", "jl_stars", STARS_PACKAGE, STARS_ENTRY_POINTS)
    project = jl.Project.create("stars", config=STARS_XML, db=db_path)

    # the tag: parsed from the config with its typed attribute, and checking its results
    rating = project.config.controls["rating"]
    assert type(rating).__module__ == "jl_stars" and rating.get("maxrating") == 5
    with pytest.raises(ResultError, match=r"from 1 to 5, got 9"):
        project.config.validate_result([{"from_name": "rating", "to_name": "text", "type": "stars",
                                         "value": {"stars": 9}}])

    # the importer: a .lines file, one task per line
    lines = tmp_path / "reviews.lines"
    lines.write_text("great\nfine\n\nawful\n")
    assert project.import_tasks(lines).task_count == 3
    assert [project.store.get_task(i)["data"] for i in (1, 2, 3)] == [
        {"text": "great"}, {"text": "fine"}, {"text": "awful"}]
    ana = project.store.user("ana@example.com")["id"]
    project.store.create_annotation(1, completed_by=ana, result=[
        {"from_name": "rating", "to_name": "text", "type": "stars", "value": {"stars": 4}}])
    # a bare prediction result stands for the tag that declares it takes one
    project.add_predictions([{"task": 3, "result": 1}])
    assert project.store.get_task(3)["predictions"][0]["result"] == [
        {"from_name": "rating", "to_name": "text", "type": "stars", "value": {"stars": 1}}]
    assert project.to_pandas()["rating"].tolist() == [4.0]

    # the exporter: by name, as text and as a file, and listed with the built-in formats
    assert project.export("MYFMT") == "1\tgreat\t4\n"
    out = project.export("myfmt", tmp_path / "out" / "stars.tsv", all_tasks=True)
    assert out.read_text() == "1\tgreat\t4\n2\tfine\t\n3\tawful\t\n"
    formats = {f["name"]: f for f in project.export_formats()}
    assert formats["MYFMT"] == {"name": "MYFMT", "title": "Stars", "description": ""}
    assert formats["CSV"] == {"name": "CSV", "title": "CSV", "description": formats["CSV"]["description"]}
    # the built-ins keep working beside it
    assert project.export("JSON")[0]["annotations"][0]["result"][0]["value"] == {"stars": 4}

    other = jl.Project.create("reviews", config=SENTIMENT_XML, db=db_path)
    with pytest.raises(ExportError, match="MYFMT does not fit this project: it needs a <Stars>"):
        other.export("MYFMT")


def test_without_the_plugin_its_names_are_unknown(db_path):
    project = jl.Project.create("stars", config=STARS_XML, db=db_path)
    assert type(project.config.tags[-1]).__name__ == "UnknownTag"
    with pytest.raises(ExportError, match="unknown export format 'MYFMT'"):
        project.export("MYFMT")


BROKEN_ENTRY_POINTS = """
[jupylabel.exporters]
BROKEN = jl_missing:Exporter
JSON = jl_missing:Json
WRONG = jl_half:NotAnExporter

[jupylabel.tags]
Broken = jl_missing:Broken

[jupylabel.importers]
parquet = jl_missing:Parquet
"""


def test_a_broken_plugin_is_named_and_the_built_ins_keep_working(install, project, tmp_path):
    install("jl-broken", "jl_half", "class NotAnExporter:\n    name = 'WRONG'\n", BROKEN_ENTRY_POINTS)
    # a plugin may not take a built-in's name: it is left out, jupylabel's JSON stays
    with pytest.warns(UserWarning, match=r"entry point 'JSON' = 'jl_missing:Json' \(from jl-broken\) is "
                                         r"left out: jupylabel has its own 'JSON'"):
        assert "BROKEN" in EXPORTERS.names()
    assert type(EXPORTERS["JSON"]).__module__ == "jupylabel.formats.ls_json"

    # an input a built-in importer reads never loads the plugins' importers (the import's hot path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        project.import_tasks([{"text": "a", "product": "P"}])
    # one no built-in reads does, and names the broken one
    (tmp_path / "tasks.parquet").write_bytes(b"PAR1")
    with pytest.warns(UserWarning, match=r"cannot load jupylabel.importers entry point 'parquet'"):
        with pytest.raises(TaskDataError, match=r"cannot import tasks.parquet: use \.json"):
            project.import_tasks(tmp_path / "tasks.parquet")
    project.store.create_annotation(1, completed_by=project.store.user("ana@example.com")["id"], result=[
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}])
    assert project.export("JSON")[0]["annotations"][0]["result"][0]["value"] == {"choices": ["Positive"]}

    # asked for by name: an error naming the plugin and why
    with pytest.raises(PluginError, match=r"cannot load jupylabel.exporters entry point 'BROKEN' = "
                                          r"'jl_missing:Exporter' \(from jl-broken\): ModuleNotFoundError"):
        project.export("BROKEN")
    with pytest.raises(PluginError, match=r"entry point 'WRONG' = 'jl_half:NotAnExporter' \(from jl-broken\): "
                                          r"TypeError: .* is neither a Exporter nor a subclass of it"):
        project.export("wrong")
    # listed: left out with a warning (once per process), the rest listed
    with pytest.warns(UserWarning) as warned:
        names = [f["name"] for f in project.export_formats()]
    assert names == ["COCO", "CONLL2003", "JSON_MIN", "CSV", "TSV", "JSON", "SPACY", "VOC", "YOLO",
                     "YOLO_OBB", "BRUSH_TO_NUMPY", "BRUSH_TO_PNG", "BRUSH_TO_COCO"]
    assert [str(w.message).split(" = ")[0] for w in warned.list] == [
        "cannot load jupylabel.exporters entry point 'BROKEN'", "cannot load jupylabel.exporters entry point 'WRONG'"]
    assert all(str(w.message).endswith("; it is left out") for w in warned.list)
    assert [f["name"] for f in project.export_formats()] == names  # no second warning
    # a config using the broken tag says which plugin failed, where
    with pytest.raises(ConfigError, match=r"cannot load jupylabel.tags entry point 'Broken' = 'jl_missing:Broken' "
                                         r"\(from jl-broken\): ModuleNotFoundError") as info:
        jl.parse_config("<View><Text name='t' value='$t'/>\n<Broken name='b' toName='t'/></View>")
    assert info.value.line == 2
