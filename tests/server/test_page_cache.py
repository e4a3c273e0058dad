"""The server keeps ready task pages (``server/page_cache.py``): a client walking a project's
pages gets blocks of them rendered at once. Every page it answers must be, byte for byte, what
the store's general path writes at that moment (``task_page`` then ``tasks_json``): after every
kind of write a page shows, whoever made it (a route, a notebook on the same store, a bare SQL
statement), and for each caller only what their role lets them see."""

from __future__ import annotations

import json

import pytest

from jupylabel.server.page_cache import Family, PageCache, listing_text

from .conftest import choice


def expected(store, pid, page, page_size, *, descending=False, full=True, only_by=None, maximum=1,
             listing=True, expand_users=True) -> str | None:
    """The reply the general path gives (None: past the last page)."""
    found = store.task_page(pid, page=page, page_size=page_size, descending=descending, maximum=maximum)
    if found is None:
        return None
    ids, totals = found
    text = store.tasks_json(pid, ids, maximum=maximum, full=full, expand_users=expand_users, whole_range=True,
                            predictions=totals["total_predictions"] > 0, only_by=only_by)
    return listing_text(text, totals) if listing else text


def walk(client, pid, *, page_size=1, token=None, fields="all", descending=False, only_by=None, maximum=1,
         listing=True) -> list[str]:
    """Every page, 1, 2, 3 … as a client walks them (so the cache renders blocks), each checked
    against the general path; the replies' texts."""
    pages, page = [], 1
    query = {"ordering": ["-id"]} if descending else None
    while True:
        if listing:
            params = {"project": pid, "page": page, "page_size": page_size, "fields": fields}
            if query:
                params["query"] = json.dumps(query)
            r = client.api("GET", "/api/tasks", token=token, params=params)
        else:
            r = client.api("GET", f"/api/projects/{pid}/tasks", token=token,
                           params={"page": page, "page_size": page_size})
        want = expected(client.store, pid, page, page_size, descending=descending, full=fields == "all",
                        only_by=only_by, maximum=maximum, listing=listing, expand_users=listing)
        if want is None:
            assert r.status_code == 404, (page, r.text)
            return pages
        assert r.status_code == 200, r.text
        assert r.text == want, f"page {page}"
        pages.append(r.text)
        page += 1


@pytest.fixture
def project(client):
    pid = client.project("cached pages")
    ids = client.import_texts(pid, [f"text {i}" for i in range(13)])
    return pid, ids


def test_a_walk_is_rendered_in_blocks_and_matches_the_general_path(client, project):
    pid, ids = project
    first = walk(client, pid)
    assert len(first) == 13
    cache = client.server.app.state.ctx.pages
    family = Family(pid, 1, False, 1, True, True, None, True)
    # pages 9-16 were one render: page 9 opened the block, the others were kept beside it
    assert all((family, p) in cache._pages for p in range(1, 14))
    again = walk(client, pid)  # answered from memory, the same bytes
    assert again == first
    for page_size in (3, 100):
        for descending in (False, True):
            for fields in ("all", "task_only"):
                walk(client, pid, page_size=page_size, descending=descending, fields=fields)
    walk(client, pid, page_size=2, listing=False)  # /api/projects/{id}/tasks: the bare array


def _annotation(client, task_id, label="Positive", token=None):
    r = client.api("POST", f"/api/tasks/{task_id}/annotations", token=token, json={"result": choice(label)})
    assert r.status_code == 201, r.text
    return r.json()


def _prediction(client, task_id, score=0.5):
    r = client.api("POST", "/api/predictions", json={"task": task_id, "result": choice("Neutral"), "score": score,
                                                     "model_version": "m1"})
    assert r.status_code == 201, r.text
    return r.json()


# Each write changes what some page shows; the walk after it must show it. ``ready()`` walks
# the pages (so they are cached) just before the write.
def w_import(client, pid, ids, store, ready):
    ready()
    client.import_texts(pid, ["later one", "later two"])


def w_annotation_created(client, pid, ids, store, ready):
    ready()
    _annotation(client, ids[10])


def w_annotation_updated(client, pid, ids, store, ready):
    ann = _annotation(client, ids[10])
    ready()
    r = client.api("PATCH", f"/api/annotations/{ann['id']}", json={"result": choice("Negative")})
    assert r.status_code == 200, r.text


def w_annotation_deleted(client, pid, ids, store, ready):
    ann = _annotation(client, ids[11])
    ready()
    assert client.api("DELETE", f"/api/annotations/{ann['id']}").status_code == 204


def w_annotation_from_a_notebook(client, pid, ids, store, ready):
    ready()
    store.create_annotation(ids[12], result=choice("Neutral"), completed_by=store.user("owner@example.com")["id"])


def w_prediction_created(client, pid, ids, store, ready):
    ready()
    _prediction(client, ids[9])


def w_prediction_updated(client, pid, ids, store, ready):
    pred = _prediction(client, ids[9])
    ready()
    assert client.api("PATCH", f"/api/predictions/{pred['id']}", json={"score": 0.25}).status_code == 200


def w_prediction_deleted(client, pid, ids, store, ready):
    pred = _prediction(client, ids[9])
    ready()
    assert client.api("DELETE", f"/api/predictions/{pred['id']}").status_code == 204


def w_task_updated(client, pid, ids, store, ready):
    ready()
    r = client.api("PATCH", f"/api/tasks/{ids[10]}", json={"data": {"text": "changed"}})
    assert r.status_code == 200, r.text


def w_task_deleted(client, pid, ids, store, ready):
    ready()
    assert client.api("DELETE", f"/api/tasks/{ids[10]}").status_code == 204


def w_annotator_renamed_by_sql(client, pid, ids, store, ready):
    # a statement no store method counts: the database file's own change shows it
    _annotation(client, ids[10])
    ready()
    store.cursor().execute("UPDATE users SET first_name = 'Zoë' WHERE email = 'owner@example.com'")


def w_task_data_by_sql(client, pid, ids, store, ready):
    ready()
    store.cursor().execute("UPDATE tasks SET data = '{\"text\": \"by hand\"}' WHERE id = ?", [ids[11]])


WRITES = [w_import, w_annotation_created, w_annotation_updated, w_annotation_deleted, w_annotation_from_a_notebook,
          w_prediction_created, w_prediction_updated, w_prediction_deleted, w_task_updated, w_task_deleted,
          w_annotator_renamed_by_sql, w_task_data_by_sql]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__[2:] for w in WRITES])
def test_a_write_between_two_walks_shows_in_the_next(client, project, write):
    pid, ids = project
    before = []

    def ready():
        before[:] = walk(client, pid)
        walk(client, pid, page_size=100)

    write(client, pid, ids, client.store, ready)
    assert before, "the write walked the pages before writing"
    after = walk(client, pid)  # each page checked against the general path, read now
    assert after != before
    walk(client, pid, page_size=100)


def test_maximum_annotations_decides_is_labeled(client, project):
    pid, ids = project
    _annotation(client, ids[8])
    labeled = walk(client, pid)
    assert '"is_labeled":true' in labeled[8]
    assert client.api("PATCH", f"/api/projects/{pid}", json={"maximum_annotations": 2}).status_code == 200
    unlabeled = walk(client, pid, maximum=2)
    assert '"is_labeled":false' in unlabeled[8]


def test_a_shared_cache_shows_each_caller_only_what_they_may_see(client, project):
    pid, ids = project
    store = client.store
    ana = store.add_user("ana@example.com", projects={pid: "annotator"})
    bo = store.add_user("bo@example.com", projects={pid: "annotator"})
    rita = store.add_user("rita@example.com", projects={pid: "reviewer"})
    ana_id, bo_id = store.user("ana@example.com")["id"], store.user("bo@example.com")["id"]
    for task in ids[8:12]:
        _annotation(client, task, "Positive", token=ana)
        _annotation(client, task, "Negative", token=bo)

    def annotators(pages):
        return {a["completed_by"]["id"] for text in pages for t in json.loads(text)["tasks"] for a in t["annotations"]}

    for token, user_id, seen in ((ana, ana_id, {ana_id}), (bo, bo_id, {bo_id}), (rita, None, {ana_id, bo_id}),
                                 (ana, ana_id, {ana_id}), (None, None, {ana_id, bo_id})):
        for page_size in (1, 100):
            pages = walk(client, pid, page_size=page_size, token=token, only_by=user_id)
            assert annotators(pages) == seen
    # the bare list too
    bare = walk(client, pid, page_size=3, token=bo, only_by=bo_id, listing=False)
    assert {a["completed_by"] for text in bare for t in json.loads(text) for a in t["annotations"]} == {bo_id}


def test_memory_is_bounded(client, project):
    pid, ids = project
    for task in ids:
        _annotation(client, task)
    cache = PageCache(client.store, max_bytes=6_000)
    family = Family(pid, 1, False, 1, True, True, None, True)
    for page in range(1, 15):
        reply = cache.page(family, page)
        want = expected(client.store, pid, page, 1)
        assert (reply.decode() if reply is not None else None) == want
        assert cache._bytes <= 6_000
        assert cache._bytes == sum(len(v[1]) for v in cache._pages.values())
    assert 0 < len(cache._pages) < 13


def test_pages_stay_true_while_writes_keep_coming(client, project):
    pid, ids = project
    other = client.project("elsewhere")
    others = client.import_texts(other, [f"other {i}" for i in range(20)])
    page = 1
    while True:  # a walk with a write after every page: in another project, and now and then in this one
        r = client.api("GET", "/api/tasks", params={"project": pid, "page": page, "page_size": 1, "fields": "all"})
        want = expected(client.store, pid, page, 1)
        if want is None:
            assert r.status_code == 404
            break
        assert r.text == want, f"page {page}"
        _annotation(client, others[page])
        if page % 3 == 0:
            _annotation(client, ids[min(page + 1, 12)])  # a page the walk has not reached yet
        page += 1
    cache = client.server.app.state.ctx.pages
    # blocks thrown away before they were read made the walk's blocks smaller
    assert cache._walks[Family(pid, 1, False, 1, True, True, None, True)].shift > 0
    walk(client, pid)
    walk(client, pid)
