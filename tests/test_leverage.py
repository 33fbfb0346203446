"""TM leverage: pre-translation on import (exact, ICE, a near miss that is not exact, fuzzy
pre-fill), repetitions propagated and undone in one step, and match analysis bands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from review_support import EN_SENTENCES, ZH_SENTENCES, ZH_TEXT, add_users, login

from aligner.tokens import word_count
from workbench.cli import cli
from workbench.ingest.importer import import_article
from workbench.store.db import connect, default_project, insert_document
from workbench.tm import leverage
from workbench.tm import memory as tm
from workbench.web import create_app

TITLE = "港口重新开放"


def remember(db, pairs):
    for source, target in pairs:
        tm.add_unit(db, source, target, "zh", "en", origin="approved")


def test_fold_equates_width_and_spacing_not_words():
    assert leverage.fold("第一艘货船于上午十点抵达。") == leverage.fold(
        "第一艘货船 于上午十点抵达."
    )
    assert leverage.fold("她说，港口") == leverage.fold("她说, 港口")
    assert leverage.fold("船上装载了三百个集装箱。") != leverage.fold("船上装载了四百个集装箱。")
    assert leverage.fold("The port") != leverage.fold("the port")


@pytest.fixture
def tm_db(db):
    remember(db, [(TITLE, "Harbour Reopens")])
    remember(db, zip(ZH_SENTENCES[:3], EN_SENTENCES[:3], strict=True))
    # the same sentence with half-width punctuation and a stray space: still exact
    remember(db, [("第一艘货船 于上午十点抵达.", EN_SENTENCES[3])])
    # a near miss: one numeral differs
    remember(db, [("船上装载了四百个集装箱。", "It carried four hundred containers.")])
    return db


def test_import_pretranslates_exact_and_ice_and_keeps_mt(tm_db, installed_models):
    result = import_article(tm_db, ZH_TEXT, filename="harbour.txt", project="Port")
    rows = list(
        tm_db.query(
            "SELECT source, target, mt, status, tm_match, tm_origin FROM segments"
            " WHERE document_id = ? ORDER BY position",
            [result.document_id],
        )
    )
    marks = [r["tm_match"] for r in rows]
    # title + first three sentences: the whole passage is in the TM → ICE;
    # the fourth is exact but its next neighbour is not → TM 100%; the near miss and
    # the last sentence are left to the MT.
    assert marks == ["ICE", "ICE", "ICE", "ICE", "TM 100%", None, None]
    assert rows[4]["target"] == EN_SENTENCES[3] and rows[4]["status"] == "draft"
    assert rows[1]["tm_origin"] == "approved"
    assert rows[5]["target"] == "" and rows[5]["status"] == "new"
    assert all(r["mt"] for r in rows)  # the MT is still there, for scoring
    assert {r["status"] for r in rows[:4]} == {"draft"}  # ICE auto-confirm is off by default


def test_ice_auto_confirm_and_fuzzy_prefill_are_project_settings(tm_db, db_path, installed_models):
    settings = CliRunner().invoke(
        cli,
        ["projects", "set", "Port", "--ice-auto-confirm", "--fuzzy-prefill", "70", "--json"]
        + ["--db", str(db_path)],
    )
    assert json.loads(settings.stdout) == {
        "project": "Port",
        "ice_auto_confirm": True,
        "fuzzy_prefill": 70,
    }
    bad = CliRunner().invoke(
        cli, ["projects", "set", "Port", "--fuzzy-prefill", "101", "--db", str(db_path)]
    )
    assert bad.exit_code == 2
    result = import_article(tm_db, ZH_TEXT, filename="harbour.txt", project="Port")
    rows = list(
        tm_db.query(
            "SELECT target, status, tm_match FROM segments WHERE document_id = ? ORDER BY position",
            [result.document_id],
        )
    )
    assert [r["status"] for r in rows[:4]] == ["translated"] * 4
    near = rows[5]
    assert near["tm_match"].startswith("TM ") and near["tm_match"] != "TM 100%"
    assert 70 <= int(near["tm_match"][3:-1]) < 100
    assert near["target"] == "It carried four hundred containers." and near["status"] == "draft"


# --- repetitions ---------------------------------------------------------------------------

DATELINE = "新华社大连9月1日电"


@pytest.fixture
def repeated(db_path):
    db = connect(db_path)
    project = default_project(db, "News")
    sources = [DATELINE, "第一句。", DATELINE + " ", "第二句。", DATELINE]
    doc = insert_document(
        db,
        {"title": "a", "source_lang": "zh", "target_lang": "en", "project_id": project},
        [{"source": s} for s in sources],
        "test",
    )
    other = insert_document(
        db,
        {"title": "b", "source_lang": "zh", "target_lang": "en", "project_id": project},
        [{"source": DATELINE}, {"source": "别的。"}],
        "test",
    )
    db.close()
    add_users(db_path)
    return db_path, doc, other


def segments_of(client, doc):
    return client.get(f"/api/documents/{doc}/segments").get_json()


def test_propagate_to_repetitions_and_undo_in_one_step(repeated):
    path, doc, other = repeated
    client = login(create_app(str(path), TESTING=True).test_client(), "tom")
    first = segments_of(client, doc)[0]
    client.put(
        f"/api/segments/{first['id']}",
        json={"target": "DALIAN, Sept. 1 (Xinhua)", "status": "translated", "version": 1},
    )
    offer = client.get(f"/api/segments/{first['id']}/repetitions").get_json()
    assert offer["count"] == 2  # positions 2 (trailing space) and 4
    wider = client.get(f"/api/segments/{first['id']}/repetitions?scope=project").get_json()
    assert wider["count"] == 3
    done = client.post(f"/api/segments/{first['id']}/propagate", json={"scope": "project"})
    batch = done.get_json()["batch"]
    rows = segments_of(client, doc)
    assert [r["target"] for r in rows] == [
        "DALIAN, Sept. 1 (Xinhua)",
        "",
        "DALIAN, Sept. 1 (Xinhua)",
        "",
        "DALIAN, Sept. 1 (Xinhua)",
    ]
    assert rows[2]["status"] == "translated"
    assert segments_of(client, other)[0]["target"] == "DALIAN, Sept. 1 (Xinhua)"
    # someone edits one copy; the undo leaves that one and restores the others
    client.put(
        f"/api/segments/{rows[4]['id']}",
        json={"target": "Dalian, Sept 1", "version": rows[4]["version"]},
    )
    undone = client.post(f"/api/propagations/{batch}/undo").get_json()
    assert len(undone["restored"]) == 2 and undone["changed_since"] == [rows[4]["id"]]
    rows = segments_of(client, doc)
    assert [r["target"] for r in rows] == ["DALIAN, Sept. 1 (Xinhua)", "", "", "", "Dalian, Sept 1"]
    assert rows[2]["status"] == "new"
    assert segments_of(client, other)[0]["target"] == ""
    assert client.post(f"/api/propagations/{batch}x/undo").status_code == 400
    empty = segments_of(client, doc)[1]
    assert client.post(f"/api/segments/{empty['id']}/propagate", json={}).status_code == 400


# --- analysis ------------------------------------------------------------------------------


def test_analysis_bands_on_known_repetitions_and_tm(tm_db, tmp_path, db_path):
    extra = "工人们花了六个小时卸货。"
    text = ZH_TEXT + f"\n{extra}\n\n港口重新开放\n"
    path = tmp_path / "harbour.txt"
    path.write_text(text, encoding="utf-8")
    tm_db.close()
    result = CliRunner().invoke(cli, ["analyze", str(path), "--json", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    bands = report["bands"]

    def words(*sentences):
        return sum(word_count(s, "zh") for s in sentences)

    assert bands["ICE"]["words"] == words(TITLE, *ZH_SENTENCES[:3])
    # the 4th sentence (exact) and the title again (exact, its neighbour is not in the TM)
    assert bands["100%"]["segments"] == 2
    assert bands["100%"]["words"] == words(ZH_SENTENCES[3], TITLE)
    assert bands["repetitions"] == {"segments": 1, "words": words(extra)}
    fuzzy = [b for b in ("95-99", "85-94", "75-84", "50-74") if bands[b]["segments"]]
    assert len(fuzzy) == 1 and bands[fuzzy[0]]["words"] == words(ZH_SENTENCES[4])
    assert bands["no match"]["words"] == words(ZH_SENTENCES[5])
    assert report["total"]["words"] == sum(b["words"] for b in bands.values())
    shown = CliRunner().invoke(cli, ["analyze", str(path), "--db", str(db_path)])
    assert "repetitions" in shown.output and "no match" in shown.output
    assert CliRunner().invoke(cli, ["analyze", "--db", str(db_path)]).exit_code == 2


def test_analysis_of_a_stored_document_through_cli_and_api(repeated):
    path, doc, _ = repeated
    db = connect(path)
    remember(db, [("第一句。", "The first sentence.")])
    db.close()
    result = CliRunner().invoke(
        cli, ["analyze", "--document", str(doc), "--json", "--db", str(path)]
    )
    (report,) = json.loads(result.stdout)
    assert report["bands"]["repetitions"]["segments"] == 2
    assert report["bands"]["100%"]["segments"] == 1
    client = login(create_app(str(path), TESTING=True).test_client(), "tom")
    assert client.get(f"/api/documents/{doc}/analysis").get_json()["bands"] == report["bands"]
    assert client.get("/api/documents/999/analysis").status_code == 404
