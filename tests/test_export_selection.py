"""Which segments an export takes, and what each exported unit carries, on small
documents made by hand (no import, no MT: fast enough that mutation testing reaches
every mutant of workbench/exchange/export.py; see docs/mutation.md)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from workbench.exchange.export import (
    Selection,
    file_mt_note,
    tiny_models,
    units,
    xliff_document,
)
from workbench.mt.packages import tiny_note
from workbench.review.saves import save_segment
from workbench.store.db import default_project, insert_document

IMPORTED = "2026-01-01T00:00:00+00:00"


def document(db, title: str, segments: list[dict], **fields) -> int:
    return insert_document(
        db,
        {"title": title, "filename": f"{title}.txt", "source_lang": "en", "target_lang": "zh"}
        | fields,
        segments,
        "importer",
    )


def sources(db, selection: Selection | None = None) -> list[str]:
    return [unit.source for unit in units(db, selection or Selection())]


def test_by_default_only_approved_translatable_segments_with_a_target(db):
    document(
        db,
        "kinds",
        [
            {"source": "Approved.", "target": "批准。", "status": "approved"},
            {"source": "Approved, empty.", "target": "", "status": "approved"},
            {"source": "Not for translation.", "target": "不译。", "status": "approved",
             "translate": 0},
            {"source": "Draft.", "target": "草稿。", "status": "draft"},
            {"source": "New.", "target": "", "status": "new"},
        ],
    )  # fmt: skip
    assert sources(db) == ["Approved."]
    assert sources(db, Selection(statuses=())) == ["Approved.", "Draft."]  # any status
    assert sources(db, Selection(statuses=("draft", "approved"))) == ["Approved.", "Draft."]
    assert sources(db, Selection(statuses=("draft",))) == ["Draft."]


def test_document_project_and_date_filters(db):
    approved = {"target": "好。", "status": "approved"}
    first = document(
        db,
        "first",
        [
            {"source": "January.", "updated_at": "2026-01-15T10:00:00", **approved},
            {"source": "February.", "updated_at": "2026-02-01T00:00:00", **approved},
        ],
    )
    other = default_project(db, "Other")
    document(db, "second", [{"source": "Elsewhere.", **approved}], project_id=other)
    assert sources(db, Selection(document_id=first)) == ["January.", "February."]
    assert sources(db, Selection(project="Other")) == ["Elsewhere."]
    assert sources(db, Selection(project="Default")) == ["January.", "February."]
    assert sources(db, Selection(project="No such project")) == []
    # since is inclusive, until exclusive: consecutive periods share no segment
    assert sources(db, Selection(document_id=first, since="2026-02-01T00:00:00")) == ["February."]
    assert sources(db, Selection(document_id=first, until="2026-02-01T00:00:00")) == ["January."]
    assert sources(db, Selection(since="2026-01-15T10:00:00", until="2026-02-01")) == ["January."]


def test_a_unit_carries_its_history_scores_and_languages(db):
    doc = document(
        db,
        "history",
        [
            {"source": "Hello.", "target": "你好。", "mt": "你好。", "status": "translated",
             "confidence": 0.12345, "note": "greeting"},
            {"source": "Press <g0>OK</g0>.", "target": "按<g0>确定</g0>。", "status": "approved"},
        ],
        metadata=json.dumps({"source_tag": "en-GB", "target_tag": "zh-Hant"}),
    )  # fmt: skip
    hello, press = db.query("SELECT * FROM segments WHERE document_id = ? ORDER BY position", [doc])
    db.execute("UPDATE revisions SET created_at = ?", [IMPORTED])  # a day before the edit
    save_segment(db, hello["id"], base_version=1, author="rita", target="您好。", status="approved")
    first, second = units(db)
    assert first.tuid == f"wb-{doc}-{hello['id']}" and second.tuid == f"wb-{doc}-{press['id']}"
    assert (first.source, first.target) == ("Hello.", "您好。")
    assert (first.source_lang, first.target_lang) == ("en-GB", "zh-Hant")
    assert first.creator == "importer" and first.changer == "rita"  # who made it, who changed it
    assert first.created == datetime.fromisoformat(IMPORTED) < first.changed
    assert first.notes == ["greeting"] and second.notes == []
    assert first.props == {
        "status": "approved",
        "document": "history",
        "confidence": "0.123",
        "hter": "0.333",  # one edit (您 for 你) in three characters
    }
    assert second.props == {"status": "approved", "document": "history"}  # no MT, no score
    # inline codes: plain text in source/target, the codes beside them for TMX markup
    assert (second.source, second.target) == ("Press OK.", "按确定。")
    assert second.source_coded is not None and second.target_coded is not None
    assert first.source_coded is None and first.target_coded is None


def test_without_metadata_the_documents_languages_are_used(db):
    document(db, "plain", [{"source": "Yes.", "target": "是。", "status": "approved"}])
    (unit,) = units(db)
    assert (unit.source_lang, unit.target_lang) == ("en", "zh")


@pytest.mark.parametrize("model, named", [("en_zh-tiny", "en_zh-tiny"), (None, "unknown model")])
def test_tiny_model_mt_is_named_on_each_unit_and_for_the_file(db, model, named):
    approved = {"target": "好。", "status": "approved"}
    document(
        db,
        "tiny",
        [{"source": "With MT.", "mt": "好。", **approved}, {"source": "Without.", **approved}],
        mt_model=model,
        mt_tiny=1,
    )
    document(db, "real", [{"source": "Real MT.", "mt": "好。", **approved}], mt_model="opus")
    notes = {unit.source: unit.props.get("mt-note") for unit in units(db)}
    assert notes == {"With MT.": tiny_note(model), "Without.": None, "Real MT.": None}
    assert tiny_models(db) == [named]
    assert tiny_models(db, Selection(statuses=("draft",))) == []
    assert file_mt_note(tiny_models(db)) == tiny_note(named)
    assert file_mt_note([]) is None


def test_a_file_with_mt_of_two_tiny_models_names_both(db):
    approved = {"source": "With MT.", "mt": "好。", "target": "好。", "status": "approved"}
    for model in ("zh_en-tiny", "en_zh-tiny"):
        document(db, model, [approved], mt_model=model, mt_tiny=1)
    assert tiny_models(db) == ["en_zh-tiny", "zh_en-tiny"]
    assert file_mt_note(tiny_models(db)) == (
        "machine translation by a tiny test model (en_zh-tiny, zh_en-tiny), not meaningful"
    )


def test_xliff_document_takes_every_translatable_segment_in_order(db):
    doc = document(
        db,
        "whole",
        [
            {"source": "One.", "status": "new"},
            {"source": "Skip.", "target": "略。", "status": "approved", "translate": 0},
            {"source": "Two.", "target": "二。", "mt": "2。", "status": "draft", "note": "n"},
        ],
        mt_model="en_zh-tiny",
        mt_tiny=1,
        metadata=json.dumps({"target_tag": "zh-TW"}),
    )
    document(db, "other", [{"source": "Not this one.", "status": "new"}])
    xliff = xliff_document(db, doc)
    one, two = xliff.segments
    assert (one.source, one.target, one.status, one.mt, one.note) == ("One.", "", "new", None, None)
    assert (two.source, two.target, two.status, two.mt, two.note) == ("Two.", "二。", "draft",
                                                                      "2。", "n")  # fmt: skip
    assert two.resname == f"wb:{doc}:{two.id}:v1"
    assert (xliff.original, xliff.source_lang, xliff.target_lang) == ("whole.txt", "en", "zh-TW")
    assert xliff.notes == [tiny_note("en_zh-tiny")]
    untitled = document(db, "untitled", [{"source": "A."}], filename=None)
    assert xliff_document(db, untitled).original == "untitled"
    assert xliff_document(db, untitled).notes == []  # no tiny MT in it
    nameless = document(db, "nameless", [{"source": "B.", "mt": "乙。"}], mt_tiny=1)
    assert xliff_document(db, nameless).notes == [tiny_note("unknown model")]


def test_a_segment_without_history_still_exports(db):
    """Rows an older version left without revisions or a change time: no dates, no
    creator, and no crash."""
    document(db, "old", [{"source": "Old.", "target": "旧。", "status": "approved"}])
    db.execute("DELETE FROM revisions")
    db.execute("UPDATE segments SET updated_at = NULL, updated_by = NULL")
    (unit,) = units(db)
    assert (unit.source, unit.created, unit.changed, unit.creator, unit.changer) == (
        "Old.", None, None, None, None,
    )  # fmt: skip


def test_codes_kept_from_another_tools_xliff_reach_the_unit(db):
    """A segment imported from a CAT tool's XLIFF keeps the file's inline codes in
    ``markup``; an export must carry them, not just the plain text."""
    from workbench.formats.inline import Code, Coded, marker

    coded = Coded(f"Press {marker(0)}", [Code("standalone", "x", '<x id="1"/>')])
    markup = json.dumps({"source": coded.to_json()})
    document(db, "cat", [{"source": "Press ", "target": "按", "status": "approved",
                          "markup": markup}])  # fmt: skip
    (unit,) = units(db)
    assert unit.source_coded == coded and unit.target_coded is not None
