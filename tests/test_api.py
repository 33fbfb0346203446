"""The JSON API of the review UI, route by route, on a small document built for the
test: the status codes, JSON fields and stored rows a user (or a script) sees of the
read-only routes, saves, history, revert, TM and concordance, repairs and their undo,
bulk approval and its undo. No seed article, no MT and no password hashing per test
(scripts' bearer tokens), so mutation testing (``bench/mutation.py api``) can run these
for each mutant."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
from review_support import PASSWORDS

from workbench.formats.units import TranslationUnit
from workbench.review import permissions, saves, users
from workbench.store.db import connect, insert_document
from workbench.tm import memory as tm
from workbench.web import create_app

#: The segments of the test document, in order (index = position).
SEGMENTS = [
    {  # 0: untouched, the MT pre-filled in the editor
        "source": "市长在开幕式上发表了讲话。",
        "mt": "The mayor gave a speech at the opening.",
        "status": "new",
        "confidence": 0.9,
    },
    {  # 1: a clean draft
        "source": "她说，港口将为城市带来新的就业机会。",
        "target": "She said the harbour would bring new jobs to the city.",
        "status": "draft",
        "confidence": 0.3,
    },
    {  # 2: page furniture, not for translation
        "source": "分享到微信",
        "translate": 0,
        "furniture": "share",
    },
    {  # 3: a clean translation, post-edited MT
        "source": "第一艘货船于上午十点抵达。",
        "mt": "First cargo ship arrived at ten.",
        "target": "The first cargo ship arrived at ten in the morning.",
        "status": "translated",
        "confidence": 0.8,
    },
    {  # 4: a draft QA flags (the number is wrong)
        "source": "船上装载了三百个集装箱。",
        "target": "It carried two hundred containers.",
        "status": "draft",
        "confidence": 0.1,
    },
    {  # 5: approved
        "source": "工人们花了六个小时卸货。",
        "target": "Workers spent six hours unloading it.",
        "status": "approved",
        "confidence": 0.95,
    },
]
NAMES = {"translator": "tom", "reviewer": "rita"}


@dataclass
class Api:
    """A test client, the database and the test document's segment ids in order."""

    client: object
    path: object
    doc: int
    ids: list[int]
    tokens: dict[str, str]

    def call(self, method: str, url: str, role: str = "translator", **kwargs):
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url: str, role: str = "translator", **kwargs):
        return self.call("GET", url, role, **kwargs)

    def put(self, index: int, role: str = "translator", query: str = "", **body):
        body.setdefault("version", self.row(index)["version"])
        return self.call("PUT", f"/api/segments/{self.ids[index]}{query}", role, json=body)

    def post(self, url: str, role: str = "translator", body=None):
        return self.call("POST", url, role, json=body)

    def repair(self, index: int, op: str, role: str = "translator", **extra):
        """Repair the segment now at ``index`` (a merge or split changes who is where)."""
        url = f"/api/segments/{self.rows()[index]['id']}/repair"
        return self.post(url, role, {"op": op, **extra})

    def row(self, index: int) -> dict:
        return self.row_by_id(self.ids[index])

    def row_by_id(self, segment_id: int) -> dict:
        db = connect(self.path)
        try:
            return db["segments"].get(segment_id)
        finally:
            db.close()

    def rows(self) -> list[dict]:
        db = connect(self.path)
        try:
            return list(
                db.query(
                    "SELECT * FROM segments WHERE document_id = ? ORDER BY position", [self.doc]
                )
            )
        finally:
            db.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "template.db"
    db = connect(path)
    tokens = {}
    for role, name in NAMES.items():
        users.add(db, name, role, PASSWORDS[name])
        tokens[role] = users.new_token(db, name)
    other = insert_document(
        db,
        {"title": "Other", "filename": "other.txt", "source_lang": "zh", "target_lang": "en"},
        [{"source": "你好。", "target": "Hello.", "status": "approved"}],
        "test",
    )
    doc = insert_document(
        db,
        {"title": "Harbour", "filename": "harbour.txt", "source_lang": "zh", "target_lang": "en"},
        SEGMENTS,
        "test",
    )
    assert other != doc
    db.close()
    return path, doc, tokens


@pytest.fixture
def api(template, tmp_path) -> Api:
    path = tmp_path / "w.db"
    shutil.copy(template[0], path)
    client = create_app(str(path), TESTING=True).test_client()
    db = connect(path)
    ids = [
        r["id"]
        for r in db.query(
            "SELECT id FROM segments WHERE document_id = ? ORDER BY position", [template[1]]
        )
    ]
    db.close()
    return Api(client, path, template[1], ids, template[2])


def history(api: Api, index: int) -> list[dict]:
    return api.get(f"/api/segments/{api.ids[index]}/history").get_json()


# ------------------------------------------------------------------------ read-only routes


def test_the_document_list_counts_each_documents_segments(api):
    listed = {d["title"]: d for d in api.get("/api/documents").get_json()}
    assert set(listed) == {"Other", "Harbour"}
    harbour = listed["Harbour"]
    assert (harbour["segments"], harbour["for_translation"]) == (6, 5)
    assert (harbour["approved"], harbour["draft"], harbour["translated"]) == (1, 2, 1)


def test_a_document_with_its_counts_or_a_404(api):
    doc = api.get(f"/api/documents/{api.doc}").get_json()
    assert doc["title"] == "Harbour" and doc["id"] == api.doc
    assert (doc["source_lang"], doc["target_lang"]) == ("zh", "en")
    assert doc["counts"] == {"new": 1, "draft": 2, "translated": 1, "approved": 1, "rejected": 0}
    missing = api.get("/api/documents/9999")
    assert missing.status_code == 404 and missing.get_json() == {"error": "no document 9999"}


def test_stats_give_counts_and_words_or_counts_only(api):
    counts = {"new": 1, "draft": 2, "translated": 1, "approved": 1, "rejected": 0}
    lean = api.get(f"/api/documents/{api.doc}/stats?words=0")
    assert lean.status_code == 200 and lean.get_json() == {"counts": counts}
    full = api.get(f"/api/documents/{api.doc}/stats").get_json()
    assert full["counts"] == counts
    targets = [s.get("target", "") for s in SEGMENTS if s.get("translate", 1)]
    assert full["words"]["target"] == sum(len(t.split()) for t in targets)
    assert full["words"]["source"] > 0
    missing = api.get("/api/documents/9999/stats")
    assert missing.status_code == 404 and missing.get_json()["error"] == "no document 9999"


def segment_list(api: Api, query: str = ""):
    response = api.get(f"/api/documents/{api.doc}/segments{query}")
    assert response.status_code == 200, response.get_json()
    return [api.ids.index(s["id"]) for s in response.get_json()], response


def test_segments_filtered_paged_and_by_id(api):
    everything, response = segment_list(api)
    assert everything == [0, 1, 2, 3, 4, 5] and response.headers["X-Total-Count"] == "6"
    assert response.get_json()[1]["target"] == SEGMENTS[1]["target"]
    assert segment_list(api, "?status=draft")[0] == [1, 4]
    assert segment_list(api, "?q=货船")[0] == [3]
    assert segment_list(api, "?below=0.5")[0] == [1, 4]
    flagged, response = segment_list(api, "?qa=numbers")
    assert flagged == [4] and response.headers["X-Total-Count"] == "1"
    assert "qa" not in response.get_json()[0]  # the flags are for filtering, not sent
    page, response = segment_list(api, "?offset=1&limit=2")
    assert page == [1, 2] and response.headers["X-Total-Count"] == "6"
    assert segment_list(api, "?offset=4")[0] == [4, 5]
    assert segment_list(api, "?limit=1")[0] == [0]
    assert segment_list(api, "?limit=0")[0] == everything
    picked, response = segment_list(api, f"?status=new&ids={api.ids[5]}, ,{api.ids[1]},")
    assert picked == [1, 5] and response.headers["X-Total-Count"] == "2"  # filters off
    for query, message in [
        ("?below=x", "below must be a number"),
        ("?offset=x", "offset, limit and ids must be integers"),
        ("?limit=x", "offset, limit and ids must be integers"),
        ("?ids=1,x", "offset, limit and ids must be integers"),
    ]:
        bad = api.get(f"/api/documents/{api.doc}/segments{query}")
        assert bad.status_code == 400 and message in bad.get_json()["error"], query
    missing = api.get("/api/documents/9999/segments")
    assert missing.status_code == 404 and missing.get_json()["error"] == "no document 9999"


def test_next_unfinished_segment_depends_on_the_role_and_wraps_around(api):
    def next_after(after: str = "", role: str = "translator") -> int | None:
        found = api.get(f"/api/documents/{api.doc}/next{after}", role).get_json()
        if found["id"] is None:
            return None
        index = api.ids.index(found["id"])
        assert found["position"] == index
        return index

    assert next_after() == 0
    assert next_after("?after=x") == 0
    assert next_after("?after=0") == 1
    # furniture (2, status "new") and a translation (3) are not a translator's to do
    assert next_after("?after=1") == 4
    assert next_after("?after=1", "reviewer") == 3
    assert next_after("?after=4") == 0  # wraps around
    other = api.doc - 1 if api.doc > 1 else api.doc + 1
    done = api.get(f"/api/documents/{other}/next").get_json()
    assert done == {"id": None, "message": "every segment is done"}


def test_a_segment_with_its_qa_flags_prefilled_mt_and_effort(api):
    untouched = api.get(f"/api/segments/{api.ids[0]}").get_json()
    assert untouched["prefilled"] == SEGMENTS[0]["mt"] and untouched["effort"] is None
    assert untouched["source"] == SEGMENTS[0]["source"] and untouched["status"] == "new"
    edited = api.get(f"/api/segments/{api.ids[3]}").get_json()
    assert edited["prefilled"] is None and edited["qa"] == []
    assert 0 < edited["effort"]["hter"] <= 1 and "<ins>" in edited["effort"]["diff"]
    flagged = api.get(f"/api/segments/{api.ids[4]}").get_json()
    assert [f["code"] for f in flagged["qa"]] == ["numbers"] and flagged["qa"][0]["message"]
    missing = api.get("/api/segments/9999")
    assert missing.status_code == 404 and missing.get_json() == {"error": "no segment 9999"}


# ------------------------------------------------------------------------------- saves

SURROGATE = '"\\ud800"'


def test_every_bad_save_is_refused_with_its_reason_and_changes_nothing(api):
    url = f"/api/segments/{api.ids[1]}"
    before = api.rows()
    version = before[1]["version"]
    # whole messages: the editor shows them as they are
    expected_version = "version (an integer: the version you loaded) is required"
    edit_ms = "edit_ms must be an integer number of milliseconds (0 to one day)"
    cases = [
        ("not an object", [1], 400, "expected a JSON object with target, status and version"),
        ("no version", {"target": "x"}, 400, expected_version),
        ("version true", {"version": True}, 400, expected_version),
        ("version text", {"version": str(version)}, 400, expected_version),
        ("version 2^63", {"version": 2**63}, 400, expected_version),
        ("version below -2^63", {"version": -(2**63) - 1}, 400, expected_version),
        ("target a number", {"target": 5}, 400, "target must be a string"),
        (
            "unknown status",
            {"status": "done"},
            400,
            "status must be one of new, draft, translated, approved, rejected",
        ),
        ("edit_ms negative", {"edit_ms": -1}, 400, edit_ms),
        ("edit_ms over a day", {"edit_ms": 86_400_001}, 400, edit_ms),
        ("edit_ms text", {"edit_ms": "5"}, 400, edit_ms),
        ("note a number", {"note": 5}, 400, "note must be a string of valid Unicode"),
        ("note too long", {"note": "x" * 2001}, 413, "a note may have at most 2000 characters"),
        (
            "target too long",
            {"target": "x" * 2001},
            413,
            "the target has 2,001 characters; a segment's target may have at most 2,000"
            " (its source has 18): split the segment",
        ),
        ("reject without reason", {"status": "rejected"}, 400, "a rejection needs a reason (note)"),
        (
            "reject, blank reason",
            {"status": "rejected", "note": " "},
            400,
            "a rejection needs a reason (note)",
        ),
        (
            "stale",
            {"version": version - 1, "target": "x"},
            409,
            "someone else saved this segment since you loaded it",
        ),
    ]
    for name, body, code, message in cases:
        if isinstance(body, dict):
            body = {"version": version, **body} if name not in ("no version", "stale") else body
        response = api.call("PUT", url, "reviewer", json=body)
        assert response.status_code == code, (name, response.get_json())
        assert response.get_json()["error"] == message, name
    for field, message in [
        ("target", "target is not valid Unicode (it holds a lone surrogate)"),
        ("note", "note must be a string of valid Unicode"),
    ]:
        raw = f'{{"version": {version}, "{field}": {SURROGATE}}}'
        response = api.call("PUT", url, data=raw, content_type="application/json")
        assert response.status_code == 400 and response.get_json()["error"] == message, field
    # a script's body that is not JSON at all gets the same refusal as a JSON non-object
    for raw, content_type in [
        (f'{{"version": {version}, "target": "cut off', "application/json"),
        (f"version={version}&target=x", "application/x-www-form-urlencoded"),
    ]:
        response = api.call("PUT", url, data=raw, content_type=content_type)
        assert response.status_code == 400, (raw, response.get_json())
        assert (
            response.get_json()["error"] == "expected a JSON object with target, status and version"
        )
    assert api.rows() == before


def test_a_stale_save_shows_the_current_row(api):
    api.put(1, target="Saved first.")
    stale = api.put(1, target="Mine.", version=1)
    assert stale.status_code == 409
    current = stale.get_json()["current"]
    assert (current["target"], current["version"]) == ("Saved first.", 2)
    assert api.row(1)["target"] == "Saved first."


def test_a_save_that_loses_the_race_inside_its_write_is_a_conflict(api, monkeypatch):
    """Another user's save can commit between this save's version check and its write
    (two server threads); the write itself then refuses: a 409 with the row the other
    user left, and nothing of this save (target, editing time) stored."""
    check = permissions.save

    def another_user_saves_meanwhile(user, current, status):
        db = connect(api.path)
        saves.save_segment(
            db, current["id"], base_version=current["version"], author="rita", target="Rita's."
        )
        db.close()
        return check(user, current, status)

    monkeypatch.setattr(permissions, "save", another_user_saves_meanwhile)
    lost = api.put(1, target="Tom's.", edit_ms=500)
    assert lost.status_code == 409
    body = lost.get_json()
    assert body["error"] == "someone else saved this segment since you loaded it"
    assert (body["current"]["target"], body["current"]["version"]) == ("Rita's.", 2)
    assert body["current"]["updated_by"] == "rita"
    stored = api.row(1)
    assert (stored["target"], stored["version"], stored["edit_ms"]) == ("Rita's.", 2, None)


@pytest.mark.parametrize("version", [2**63 - 1, -(2**63)])
def test_the_largest_versions_sqlite_stores_are_versions_not_bad_input(api, version):
    assert api.put(1, target="x", version=version).status_code == 409


def test_a_long_source_allows_a_target_eight_times_its_length(api):
    """The target limit is 2,000 characters or 8 per source character, whichever is more."""
    db = connect(api.path)
    meta = {"title": "Long", "filename": "long.txt", "source_lang": "zh", "target_lang": "en"}
    doc = insert_document(db, meta, [{"source": "港" * 300}], "test")
    segment = db.execute("SELECT id FROM segments WHERE document_id = ?", [doc]).fetchone()[0]
    db.close()
    url = f"/api/segments/{segment}"
    refused = api.call("PUT", url, json={"version": 1, "target": "x" * 2401})
    assert refused.status_code == 413
    assert refused.get_json()["error"] == (
        "the target has 2,401 characters; a segment's target may have at most 2,400"
        " (its source has 300): split the segment"
    )
    saved = api.call("PUT", url, json={"version": 1, "target": "x" * 2400})
    assert saved.status_code == 200 and len(api.row_by_id(segment)["target"]) == 2400


def test_refusals_of_a_segment_no_one_may_save(api):
    missing = api.call("PUT", "/api/segments/9999", json={"version": 1})
    assert missing.status_code == 404 and missing.get_json()["error"] == "no segment 9999"
    furniture = api.put(2, target="Share")
    assert furniture.status_code == 400
    assert furniture.get_json()["error"] == "this segment is page furniture, not for translation"
    locked = api.put(5, target="Changed.")
    assert locked.status_code == 403
    assert locked.get_json()["error"] == (
        f"segment {api.ids[5]} is approved and locked; ask a reviewer to reopen it"
    )
    assert api.row(5)["target"] == SEGMENTS[5]["target"]


def test_an_empty_target_cannot_be_approved(api):
    for index, body in [(0, {}), (1, {"target": "   "}), (0, {"target": ""})]:
        refused = api.put(index, "reviewer", status="approved", **body)
        assert refused.status_code == 400, (index, body)
        assert refused.get_json()["error"] == "an empty target cannot be approved"
    assert api.row(1)["status"] == "draft"
    assert api.put(1, "reviewer", status="approved").get_json()["status"] == "approved"
    assert api.put(0, "reviewer", status="approved", target="Yes.").status_code == 200


def test_a_save_answers_and_stores_the_row_as_saved(api):
    saved = api.put(0, target="The mayor spoke at the opening ceremony.")
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert body["target"] == "The mayor spoke at the opening ceremony."
    assert (body["status"], body["version"], body["updated_by"]) == ("draft", 2, "tom")
    assert body["prefilled"] is None and body["qa"] == []
    assert body["effort"]["hter"] > 0 and body["source"] == SEGMENTS[0]["source"]
    assert body["edit_ms"] is None  # no editing time sent, none counted
    stored = api.row(0)
    assert stored["edit_ms"] is None
    assert (stored["target"], stored["status"], stored["updated_by"]) == (
        body["target"],
        "draft",
        "tom",
    )
    latest = history(api, 0)[0]
    assert (latest["author"], latest["action"], latest["status"]) == ("tom", "save", "draft")


def test_a_save_keeps_the_status_unless_a_first_target_makes_a_draft(api):
    assert api.put(3, target="The first ship came at ten.").get_json()["status"] == "translated"
    assert api.put(0).get_json()["status"] == "new"  # no target, no status: still untouched
    body = api.put(0, target="Done.", status="translated").get_json()
    assert body["status"] == "translated" and api.row(0)["status"] == "translated"
    assert api.put(4, status="draft").get_json()["target"] == SEGMENTS[4]["target"]


def test_editing_time_adds_up(api):
    first = api.put(3, target="One.", edit_ms=1500).get_json()
    assert first["edit_ms"] == 1500 and first["effort"]["edit_ms"] == 1500
    second = api.put(3, target="Two.", edit_ms=86_400_000).get_json()
    assert second["edit_ms"] == 86_401_500 and api.row(3)["edit_ms"] == 86_401_500
    third = api.put(3, target="Three.", edit_ms=0).get_json()
    assert third["edit_ms"] == 86_401_500 and third["effort"]["edit_ms"] == 86_401_500


def test_a_lean_save_answers_with_id_version_and_status_only(api):
    lean = api.put(1, query="?lean=1", target="Short.")
    assert lean.get_json() == {"id": api.ids[1], "version": 2, "status": "draft"}
    assert api.row(1)["target"] == "Short."


def test_a_rejection_keeps_its_reason_and_other_saves_ignore_notes(api):
    assert api.put(1, target="Mine.", note="x" * 2000).status_code == 200
    assert api.row(1)["note"] is None
    rejected = api.put(1, "reviewer", status="rejected", note="Wrong tense.")
    assert rejected.status_code == 200, rejected.get_json()
    body = rejected.get_json()
    assert (body["status"], body["note"], body["updated_by"]) == (
        "rejected",
        "Wrong tense.",
        "rita",
    )
    assert api.row(1)["note"] == "Wrong tense."
    latest = history(api, 1)[0]
    assert (latest["status"], latest["note"], latest["author"]) == (
        "rejected",
        "Wrong tense.",
        "rita",
    )
    assert history(api, 1)[1]["note"] is None


def test_history_is_newest_first_or_a_404(api):
    api.put(1, target="Second.")
    api.put(1, target="Third.")
    entries = history(api, 1)
    assert [(h["version"], h["target"]) for h in entries] == [
        (3, "Third."),
        (2, "Second."),
        (1, SEGMENTS[1]["target"]),
    ]
    assert [h["action"] for h in entries] == ["save", "save", "import"]
    missing = api.get("/api/segments/9999/history")
    assert missing.status_code == 404 and missing.get_json()["error"] == "no segment 9999"


# ------------------------------------------------------------------------------ revert


def revert(api: Api, index: int, role: str = "translator", **body):
    return api.post(f"/api/segments/{api.ids[index]}/revert", role, body)


def test_revert_brings_back_an_earlier_revision_as_a_new_one(api):
    api.put(3, target="Changed.", status="draft")
    reverted = revert(api, 3, to_version=1, version=2)
    assert reverted.status_code == 200, reverted.get_json()
    body = reverted.get_json()
    assert (body["target"], body["status"], body["version"]) == (
        SEGMENTS[3]["target"],
        "translated",
        3,
    )
    assert "effort" in body and "qa" in body  # the whole row, as the editor shows it
    latest = history(api, 3)[0]
    assert (latest["action"], latest["author"]) == ("revert to 1", "tom")
    assert api.row(3)["target"] == SEGMENTS[3]["target"]


def test_revert_refusals(api):
    for body in [{}, {"to_version": 1}, {"to_version": "1", "version": 1}, {"version": 1}]:
        refused = revert(api, 1, **body)
        assert refused.status_code == 400, body
        assert refused.get_json()["error"] == (
            "to_version (the revision to restore) and version are required"
        )
    missing = api.post("/api/segments/9999/revert", body={"to_version": 1, "version": 1})
    assert missing.status_code == 404 and missing.get_json()["error"] == "no segment 9999"
    unknown = revert(api, 1, to_version=7, version=1)
    assert unknown.status_code == 400
    assert unknown.get_json()["error"] == f"segment {api.ids[1]} has no version 7"
    api.put(1, target="Changed.")
    stale = revert(api, 1, to_version=1, version=1)
    assert stale.status_code == 409 and stale.get_json()["current"]["target"] == "Changed."
    assert stale.get_json()["error"] == "someone else saved this segment since you loaded it"
    locked = revert(api, 5, to_version=1, version=1)
    assert locked.status_code == 403 and "approved and locked" in locked.get_json()["error"]
    assert api.row(1)["target"] == "Changed." and api.row(5)["version"] == 1


# --------------------------------------------------------------------- TM and concordance


def units(*pairs: tuple[str, str]) -> list[TranslationUnit]:
    return [TranslationUnit(source, target, "zh", "en") for source, target in pairs]


def test_tm_matches_of_a_segment(api):
    db = connect(api.path)
    tm.import_units(
        db,
        units(
            (SEGMENTS[1]["source"], "She said the port will create jobs."),
            (SEGMENTS[3]["source"], SEGMENTS[3]["target"]),  # its own text: no suggestion
        ),
        origin="tmx:old.tmx",
    )
    db.close()
    matches = api.get(f"/api/segments/{api.ids[1]}/tm").get_json()["matches"]
    assert [(m["target"], m["score"], m["origin"]) for m in matches] == [
        ("She said the port will create jobs.", 100, "tmx:old.tmx")
    ]
    assert matches[0]["source"] == SEGMENTS[1]["source"] and "diff" in matches[0]
    assert api.get(f"/api/segments/{api.ids[3]}/tm").get_json() == {"matches": []}
    missing = api.get("/api/segments/9999/tm")
    assert missing.status_code == 404 and missing.get_json()["error"] == "no segment 9999"


def test_concordance_finds_tm_units_within_its_limits(api):
    db = connect(api.path)
    tm.import_units(db, units(*[(f"港口第{i}号码头", f"Harbour pier {i}") for i in range(510)]))
    db.close()

    def found(query: str) -> int:
        response = api.get(f"/api/concordance?q={query}")
        assert response.status_code == 200, response.get_json()
        return len(response.get_json())

    assert found("号码头") == 50
    assert found("号码头&limit=3") == 3
    assert found("号码头&limit=0") == 1
    assert found("号码头&limit=-5") == 1
    assert found("号码头&limit=900") == 500
    first = api.get("/api/concordance", query_string={"q": "pier 7", "limit": 500}).get_json()
    assert {u["target"] for u in first} == {"Harbour pier 7"} | {
        f"Harbour pier {i}" for i in range(70, 80)
    }
    assert found("港" * 1000 + "&limit=1") == 0
    for query, message in [
        ("", "q (the text to look for) is required"),
        ("?q=%20%20", "q (the text to look for) is required"),
        ("?q=" + "港" * 1001, "q may have at most 1000 characters"),
    ]:
        refused = api.get(f"/api/concordance{query}")
        assert refused.status_code == 400 and refused.get_json()["error"] == message, query


# ------------------------------------------------------------------------------ repairs


def test_each_repair_does_what_it_says(api):
    def author(index: int) -> str:  # of the latest revision of the segment now at index
        return api.get(f"/api/segments/{api.rows()[index]['id']}/history").get_json()[0]["author"]

    merged = api.repair(0, "merge", version=1)
    assert merged.status_code == 200, merged.get_json()
    assert merged.get_json() == {"ok": True, "document_id": api.doc, "op": "merge"}
    rows = api.rows()
    assert rows[0]["source"] == SEGMENTS[0]["source"] + SEGMENTS[1]["source"]
    assert len(rows) == 5 and author(0) == "tom"
    split = api.repair(0, "split", source_offset=len(SEGMENTS[0]["source"]), target_offset=0)
    assert split.status_code == 200, split.get_json()
    assert [(r["source"], r["target"]) for r in api.rows()[:2]] == [
        (SEGMENTS[0]["source"], ""),  # the target split at the cursor: all of it after it
        (SEGMENTS[1]["source"], SEGMENTS[1]["target"]),
    ]
    assert (author(0), author(1)) == ("tom", "tom")
    assert api.repair(3, "move-up").status_code == 200
    rows = api.rows()
    assert rows[3]["target"] == "" and rows[1]["target"].endswith(SEGMENTS[3]["target"])
    assert (author(1), author(3)) == ("tom", "tom")
    assert api.repair(1, "move-down", "reviewer").status_code == 200
    assert api.rows()[3]["target"] == SEGMENTS[3]["target"] and author(3) == "rita"
    marked = api.repair(4, "no-counterpart")
    assert marked.status_code == 200 and marked.get_json()["op"] == "no-counterpart"
    rows = api.rows()
    assert (rows[4]["source"], rows[4]["target"]) == (SEGMENTS[4]["source"], "")
    assert (rows[5]["source"], rows[5]["target"]) == ("", SEGMENTS[4]["target"])
    assert history(api, 4)[0]["author"] == "tom"


def test_repair_refusals(api):
    before = api.rows()
    ops = "op must be one of merge, split, move-up, move-down, no-counterpart"
    offsets = "split needs source_offset and target_offset (integers)"
    for body, message in [  # whole messages: the editor shows them as they are
        ({"op": "explode"}, ops),
        ({}, ops),
        ({"op": "split"}, offsets),
        ({"op": "split", "source_offset": 2}, offsets),
        ({"op": "split", "target_offset": 2}, offsets),
        ({"op": "split", "source_offset": 2, "target_offset": 2**63}, offsets),
        ({"op": "merge", "version": "1"}, "version must be an integer (the version you loaded)"),
    ]:
        refused = api.post(f"/api/segments/{api.ids[1]}/repair", body=body)
        assert refused.status_code == 400, body
        assert refused.get_json()["error"] == message, body
    missing = api.post("/api/segments/9999/repair", body={"op": "merge"})
    assert missing.status_code == 404 and missing.get_json()["error"] == "no segment 9999"
    edge = api.repair(0, "move-up")
    assert edge.status_code == 400
    assert edge.get_json()["error"] == "there is no previous segment to move the sentence to"
    locked = api.repair(4, "merge")  # into the approved segment 5
    assert locked.status_code == 403
    assert locked.get_json()["error"] == (
        f"segment {api.ids[5]} is approved and locked; ask a reviewer to reopen it"
    )
    stale = api.repair(1, "move-down", version=7)
    assert stale.status_code == 409
    assert stale.get_json()["error"] == (
        "someone else saved this segment since you loaded it; reload before repairing"
    )
    assert stale.get_json()["current"]["target"] == SEGMENTS[1]["target"]
    assert api.rows() == before


@pytest.mark.parametrize(
    "index, op, extra",
    [
        (0, "merge", {}),
        (1, "split", {"source_offset": 3, "target_offset": 3}),
        (3, "move-up", {}),
        (1, "move-down", {}),
        (4, "no-counterpart", {}),
    ],
)
def test_a_repair_of_a_version_the_user_did_not_see_is_a_conflict(api, index, op, extra):
    before = api.rows()
    stale = api.repair(index, op, version=before[index]["version"] + 1, **extra)
    assert stale.status_code == 409, stale.get_json()
    assert stale.get_json()["current"]["id"] == before[index]["id"]
    assert api.rows() == before


def test_undo_of_a_repair(api):
    nothing = api.post(f"/api/documents/{api.doc}/undo")
    assert nothing.status_code == 400 and "nothing to undo" in nothing.get_json()["error"]
    before = [(r["source"], r["target"]) for r in api.rows()]
    assert api.repair(3, "move-up", "reviewer").status_code == 200
    refused = api.post(f"/api/documents/{api.doc}/undo")  # a translator, a reviewer's repair
    assert refused.status_code == 403 and "only a reviewer" in refused.get_json()["error"]
    undone = api.post(f"/api/documents/{api.doc}/undo", "reviewer")
    assert undone.status_code == 200
    assert undone.get_json() == {"ok": True, "document_id": api.doc}
    assert [(r["source"], r["target"]) for r in api.rows()] == before
    assert history(api, 3)[0]["author"] == "rita"


# ------------------------------------------------------------------------ bulk approval


def bulk(api: Api, action: str, body=None, doc: int | None = None):
    return api.post(f"/api/documents/{doc or api.doc}/bulk-{action}", "reviewer", body)


def test_bulk_approval_approves_only_clean_segments_with_a_target(api):
    done = bulk(api, "approve", {})
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    # 1 and 3 are clean; 0 has no target, 4 a QA flag; 2 is furniture and 5 approved already
    assert (body["approved"], body["skipped"]) == (2, 2) and len(body["batch"]) == 12
    assert [r["status"] for r in api.rows()] == [
        "new",
        "approved",
        "new",
        "approved",
        "draft",
        "approved",
    ]
    latest = history(api, 1)[0]
    assert (latest["action"], latest["author"]) == (f"bulk-approve {body['batch']}", "rita")


def test_bulk_approval_follows_the_filters(api):
    translated = bulk(api, "approve", {"status": "translated"}).get_json()
    assert (translated["approved"], translated["skipped"]) == (1, 0)
    assert api.row(3)["status"] == "approved" and api.row(1)["status"] == "draft"
    flagged = bulk(api, "approve", {"qa": "numbers"}).get_json()
    assert (flagged["approved"], flagged["skipped"]) == (0, 1)
    bad = bulk(api, "approve", {"below": "x"})
    assert bad.status_code == 400 and "below must be a number" in bad.get_json()["error"]
    missing = bulk(api, "approve", {}, doc=9999)
    assert missing.status_code == 404 and missing.get_json()["error"] == "no document 9999"


def test_bulk_undo_restores_the_statuses_and_leaves_later_edits(api):
    batch = bulk(api, "approve", {}).get_json()["batch"]
    api.put(3, "reviewer", target="Edited after the approval.")
    undone = bulk(api, "undo", {"batch": batch})
    assert undone.status_code == 200
    assert undone.get_json() == {"restored": 1, "changed_since": 1}
    assert (api.row(1)["status"], api.row(1)["target"]) == ("draft", SEGMENTS[1]["target"])
    assert api.row(3)["target"] == "Edited after the approval."
    assert history(api, 1)[0]["action"] == f"undo bulk-approve {batch}"
    assert history(api, 1)[0]["author"] == "rita"
    for body in [{}, {"batch": ""}, {"batch": 5}, None]:
        refused = bulk(api, "undo", body)
        assert refused.status_code == 400
        assert refused.get_json()["error"] == "batch (from the bulk approval) is required"
    unknown = bulk(api, "undo", {"batch": batch}, doc=api.doc - 1 or api.doc + 1)
    assert unknown.status_code == 400
    assert unknown.get_json()["error"].startswith(f"no bulk approval {batch} in document")
