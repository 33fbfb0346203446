"""Alignment repair: each operation, its revisions/versions, positions, and undo."""

from __future__ import annotations

import pytest

from workbench.review import repair
from workbench.review.repair import RepairError, merge_split
from workbench.review.saves import save_segment
from workbench.store.db import ConflictError, connect, insert_document


def make_document(db, segments, source_lang="zh", target_lang="en") -> int:
    document = {
        "title": "aligned",
        "source_lang": source_lang,
        "target_lang": target_lang,
        "kind": "aligned",
    }
    return insert_document(db, document, segments, "importer")


@pytest.fixture
def doc(db):
    """A zh→en aligned document of four segments with one alignment error."""
    return make_document(
        db,
        [
            {"source": "第一句。", "target": "First. Second.", "mt": "One.", "confidence": 0.9},
            {"source": "第二句。", "target": "", "mt": "Two.", "confidence": 0.4},
            {
                "source": "第三句。第四句。",
                "target": "Third. Fourth.",
                "mt": "Three. Four.",
                "confidence": 0.8,
            },
            {"source": "第五句。", "target": "Fifth.", "mt": "Five.", "confidence": 0.7},
        ],
    )


def rows(db, document_id) -> list[dict]:
    return list(
        db.query("SELECT * FROM segments WHERE document_id = ? ORDER BY position", [document_id])
    )


def ids(db, document_id) -> list[int]:
    return [r["id"] for r in rows(db, document_id)]


def state(db, document_id) -> list[tuple]:
    return [(r["source"], r["target"], r["mt"]) for r in rows(db, document_id)]


def assert_positions_contiguous(db, document_id):
    assert [r["position"] for r in rows(db, document_id)] == list(range(len(rows(db, document_id))))


def revisions(db, segment_id) -> list[tuple]:
    return [
        (r["version"], r["action"], r["author"])
        for r in db.query("SELECT * FROM revisions WHERE segment_id = ? ORDER BY id", [segment_id])
    ]


def test_tables_exist(db):
    assert "repairs" in db.table_names()


def test_join_text():
    assert repair.join_text("First.", "Second.", "en") == "First. Second."
    assert repair.join_text("第一句。", "第二句。", "zh") == "第一句。第二句。"
    assert repair.join_text("使用 Python", "3 版本", "zh") == "使用 Python 3 版本"
    assert repair.join_text("", "Second.", "en") == "Second."
    assert repair.join_text(None, None, "en") == ""


def test_merge(db, doc):
    first, second, third, fourth = rows(db, doc)
    merged = repair.merge(db, second["id"], "ann")
    assert merged["source"] == "第二句。第三句。第四句。"
    assert merged["target"] == "Third. Fourth."
    assert merged["mt"] == "Two. Three. Four."
    assert merged["confidence"] == 0.4
    assert merged["status"] == "draft"
    assert merged["version"] == second["version"] + 1
    assert merged["updated_by"] == "ann"
    assert ids(db, doc) == [first["id"], second["id"], fourth["id"]]
    assert_positions_contiguous(db, doc)
    # The removed segment's history moved to the merged segment.
    assert (1, "import", "importer") in revisions(db, second["id"])
    assert revisions(db, second["id"])[-1] == (2, "merge", "ann")
    assert sum(1 for r in revisions(db, second["id"]) if r[1] == "import") == 2


def test_merge_errors(db, doc):
    last = rows(db, doc)[-1]
    with pytest.raises(RepairError, match="last segment"):
        repair.merge(db, last["id"], "ann")
    with pytest.raises(RepairError, match="does not exist"):
        repair.merge(db, 9999, "ann")
    furniture_doc = make_document(
        db,
        [
            {"source": "第一句。"},
            {"source": "分享到：", "translate": 0, "furniture": "share"},
        ],
    )
    with pytest.raises(RepairError, match="furniture"):
        repair.merge(db, ids(db, furniture_doc)[0], "ann")


def test_merge_then_undo_restores_everything(db, doc):
    before = rows(db, doc)
    before_revisions = {r["id"]: revisions(db, r["id"]) for r in before}
    repair.merge(db, before[1]["id"], "ann")
    result = repair.undo(db, doc, "bob")
    assert result["action"] == "merge"
    assert result["segment_ids"] == [before[1]["id"], before[2]["id"]]
    after = rows(db, doc)
    assert [r["id"] for r in after] == [r["id"] for r in before]
    assert state(db, doc) == [(r["source"], r["target"], r["mt"]) for r in before]
    assert [r["confidence"] for r in after] == [r["confidence"] for r in before]
    assert [r["status"] for r in after] == [r["status"] for r in before]
    assert_positions_contiguous(db, doc)
    # Versions went up (stale editors get a conflict); history is back where it was.
    assert after[1]["version"] == 3 and after[2]["version"] == 2
    assert revisions(db, before[2]["id"])[0] == before_revisions[before[2]["id"]][0]
    assert revisions(db, before[2]["id"])[-1] == (2, "undo", "bob")


def test_split(db, doc):
    third = rows(db, doc)[2]
    first, second = repair.split(db, third["id"], len("第三句。"), len("Third."), "ann")
    assert (first["source"], first["target"], first["mt"]) == ("第三句。", "Third.", "Three.")
    assert (second["source"], second["target"], second["mt"]) == ("第四句。", "Fourth.", "Four.")
    assert first["version"] == third["version"] + 1 and second["version"] == 1
    assert first["status"] == second["status"] == "draft"
    assert second["confidence"] == third["confidence"]
    assert ids(db, doc)[2:4] == [third["id"], second["id"]]
    assert_positions_contiguous(db, doc)
    assert revisions(db, second["id"]) == [(1, "split", "ann")]


def test_split_without_target_offset_and_mt_mismatch(db):
    document = make_document(
        db, [{"source": "第一句。第二句。", "target": "All of it.", "mt": "One MT sentence only."}]
    )
    segment_id = ids(db, document)[0]
    first, second = repair.split(db, segment_id, 4, None, "ann")
    assert (first["target"], second["target"]) == ("All of it.", "")
    # The MT cannot be split sentence by sentence (nor at a clause): both parts keep
    # MT, cut at the word break nearest to where the source was cut (half way).
    assert (first["mt"], second["mt"]) == ("One MT", "sentence only.")
    # A part without a target is not a draft: it is new, its MT pre-filled.
    assert (first["status"], second["status"]) == ("draft", "new")


def test_split_of_a_machine_translated_segment_keeps_mt_for_both_halves(db):
    document = make_document(
        db,
        [
            {
                "source": "市长发表了讲话，工人们开始卸货。",
                "target": "",
                "mt": "The mayor gave a speech, and the workers began unloading.",
            }
        ],
    )
    segment_id = ids(db, document)[0]
    first, second = repair.split(db, segment_id, len("市长发表了讲话，"), 0, "ann")
    assert (first["mt"], second["mt"]) == (
        "The mayor gave a speech,",
        "and the workers began unloading.",
    )
    assert (first["target"], second["target"]) == ("", "")
    assert first["status"] == second["status"] == "new"


@pytest.mark.parametrize("offset", [0, -1, 4.5, 100, len("第三句。第四句。")])
def test_split_rejects_bad_source_offsets(db, doc, offset):
    with pytest.raises(RepairError, match="source split point"):
        repair.split(db, rows(db, doc)[2]["id"], offset, None, "ann")
    assert len(rows(db, doc)) == 4


def test_split_rejects_bad_target_offset_and_blank_parts(db, doc):
    third = rows(db, doc)[2]
    with pytest.raises(RepairError, match="target split point"):
        repair.split(db, third["id"], 4, 99, "ann")
    spaced = make_document(db, [{"source": "Hello   ", "target": "你好"}], "en", "zh")
    with pytest.raises(RepairError, match="both parts"):
        repair.split(db, ids(db, spaced)[0], 6, None, "ann")


def test_split_then_undo(db, doc):
    before = state(db, doc)
    third = rows(db, doc)[2]
    _, new = repair.split(db, third["id"], 4, 6, "ann")
    repair.undo(db, doc, "ann")
    assert state(db, doc) == before
    assert_positions_contiguous(db, doc)
    assert db.execute("SELECT COUNT(*) FROM segments WHERE id = ?", [new["id"]]).fetchone()[0] == 0
    assert revisions(db, new["id"]) == []


def test_move_target_down_and_up(db, doc):
    first, second, third, _ = rows(db, doc)
    moved_from, moved_to = repair.move_target(db, first["id"], "down", "ann")
    assert moved_from["target"] == "First."
    assert moved_to["id"] == second["id"] and moved_to["target"] == "Second."
    assert moved_from["version"] == 2 and moved_to["version"] == 2
    assert revisions(db, first["id"])[-1] == (2, "move-down", "ann")
    # "up": the FIRST target sentence goes to the END of the previous segment.
    moved_from, moved_to = repair.move_target(db, third["id"], "up", "ann")
    assert moved_from["target"] == "Fourth."
    assert moved_to["target"] == "Second. Third."


def test_move_target_chinese_target(db):
    document = make_document(
        db,
        [
            {"source": "One.", "target": "第一句。第二句。"},
            {"source": "Two.", "target": "第三句。"},
        ],
        "en",
        "zh",
    )
    first, second = ids(db, document)
    repair.move_target(db, first, "down", "ann")
    assert [t for _, t, _ in state(db, document)] == ["第一句。", "第二句。第三句。"]


def test_move_target_skips_furniture(db):
    document = make_document(
        db,
        [
            {"source": "第一句。", "target": "First."},
            {"source": "分享到：", "translate": 0, "furniture": "share"},
            {"source": "第二句。", "target": "Second. Extra."},
        ],
    )
    first, furniture, third = ids(db, document)
    repair.move_target(db, third, "up", "ann")
    assert [t for _, t, _ in state(db, document)] == ["First. Second.", "", "Extra."]


def test_move_target_errors(db, doc):
    first, second, _, last = rows(db, doc)
    with pytest.raises(RepairError, match="no previous segment"):
        repair.move_target(db, first["id"], "up", "ann")
    with pytest.raises(RepairError, match="no next segment"):
        repair.move_target(db, last["id"], "down", "ann")
    with pytest.raises(RepairError, match="no target text"):
        repair.move_target(db, second["id"], "up", "ann")
    with pytest.raises(RepairError, match="direction"):
        repair.move_target(db, first["id"], "sideways", "ann")


def test_mark_no_counterpart(db, doc):
    before = state(db, doc)
    fourth = rows(db, doc)[3]
    emptied, orphan = repair.mark_no_counterpart(db, fourth["id"], "ann")
    assert (emptied["source"], emptied["target"]) == ("第五句。", "")
    assert (orphan["source"], orphan["target"], orphan["mt"]) == ("", "Fifth.", None)
    assert ids(db, doc)[-2:] == [fourth["id"], orphan["id"]]
    assert_positions_contiguous(db, doc)
    with pytest.raises(RepairError, match="already has no target"):
        repair.mark_no_counterpart(db, fourth["id"], "ann")
    with pytest.raises(RepairError, match="no source"):
        repair.mark_no_counterpart(db, orphan["id"], "ann")
    repair.undo(db, doc, "ann")
    assert state(db, doc) == before


def test_stale_saves_conflict_after_a_repair(db, doc):
    second = rows(db, doc)[1]
    repair.merge(db, second["id"], "ann")
    with pytest.raises(ConflictError):
        save_segment(db, second["id"], base_version=second["version"], author="bob", target="x")


def test_base_version_guards_the_repair(db, doc):
    first = rows(db, doc)[0]
    save_segment(db, first["id"], base_version=1, author="bob", target="First edited. Second.")
    with pytest.raises(ConflictError):
        repair.move_target(db, first["id"], "down", "ann", base_version=1)
    repair.move_target(db, first["id"], "down", "ann", base_version=2)


def test_concurrent_connections_see_version_bumps(db_path, doc, db):
    """A second connection (another request) holding an old version gets a conflict."""
    other = connect(db_path)
    try:
        segment = rows(other, doc)[0]
        repair.move_target(db, segment["id"], "down", "ann")
        with pytest.raises(ConflictError):
            save_segment(
                other, segment["id"], base_version=segment["version"], author="bob", target="stale"
            )
        fresh = rows(other, doc)[0]
        save_segment(other, fresh["id"], base_version=fresh["version"], author="bob", target="ok")
    finally:
        other.close()


def test_undo_refused_after_an_edit(db, doc):
    first = rows(db, doc)[0]
    moved_from, _ = repair.move_target(db, first["id"], "down", "ann")
    save_segment(db, first["id"], base_version=moved_from["version"], author="bob", target="Mine.")
    with pytest.raises(RepairError, match="changed by bob"):
        repair.undo(db, doc, "ann")
    assert rows(db, doc)[0]["target"] == "Mine."


def test_undo_steps_back_through_history(db, doc):
    original = state(db, doc)
    first, second, third, _ = rows(db, doc)
    repair.move_target(db, first["id"], "down", "ann")
    after_move = state(db, doc)
    repair.split(db, third["id"], 4, 6, "ann")
    repair.merge(db, first["id"], "ann")
    assert repair.last_repair(db, doc)["action"] == "merge"
    assert repair.undo(db, doc, "ann")["action"] == "merge"
    assert repair.undo(db, doc, "ann")["action"] == "split"
    assert state(db, doc) == after_move
    assert repair.undo(db, doc, "ann")["action"] == "move-down"
    assert state(db, doc) == original
    assert repair.last_repair(db, doc) is None
    with pytest.raises(RepairError, match="nothing to undo"):
        repair.undo(db, doc, "ann")
    assert_positions_contiguous(db, doc)


def test_bulk_set_status_and_single_undo(db, doc):
    segment_ids = ids(db, doc)
    versions = [r["version"] for r in rows(db, doc)]
    assert repair.bulk_set_status(db, segment_ids[:3] + [segment_ids[0]], "approved", "rev") == 3
    after = rows(db, doc)
    assert [r["status"] for r in after] == ["approved"] * 3 + ["new"]
    assert [r["version"] for r in after[:3]] == [v + 1 for v in versions[:3]]
    assert revisions(db, segment_ids[0])[-1] == (2, "bulk-status", "rev")
    # Already approved segments are left alone.
    assert repair.bulk_set_status(db, segment_ids, "approved", "rev") == 1
    repair.undo(db, doc, "rev")
    repair.undo(db, doc, "rev")  # one step per bulk action
    assert [r["status"] for r in rows(db, doc)] == ["new"] * 4


def test_bulk_set_status_errors(db, doc):
    with pytest.raises(RepairError, match="unknown status"):
        repair.bulk_set_status(db, ids(db, doc), "done", "rev")
    with pytest.raises(RepairError, match="no such segment"):
        repair.bulk_set_status(db, [ids(db, doc)[0], 12345], "approved", "rev")
    assert [r["status"] for r in rows(db, doc)] == ["new"] * 4  # nothing changed
    assert repair.bulk_set_status(db, [], "approved", "rev") == 0


def test_bulk_set_status_across_documents(db, doc):
    other = make_document(db, [{"source": "另一句。", "target": "Another."}])
    changed = repair.bulk_set_status(db, ids(db, doc)[:1] + ids(db, other), "approved", "rev")
    assert changed == 2
    repair.undo(db, other, "rev")  # one record per document
    assert rows(db, other)[0]["status"] == "new"
    assert rows(db, doc)[0]["status"] == "approved"


def test_repairs_in_one_document_leave_others_alone(db, doc):
    other = make_document(db, [{"source": "另一句。", "target": "Another. More."}])
    before = state(db, other)
    repair.merge(db, ids(db, doc)[0], "ann")
    repair.split(db, ids(db, doc)[0], 4, None, "ann")
    assert state(db, other) == before
    with pytest.raises(RepairError, match="nothing to undo"):
        repair.undo(db, other, "ann")


def test_failed_repair_changes_nothing(db, doc, monkeypatch):
    before = rows(db, doc)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(merge_split, "record", explode)
    with pytest.raises(RuntimeError):
        repair.merge(db, before[0]["id"], "ann")
    assert rows(db, doc) == before
    assert not db.conn.in_transaction


def test_hostile_text_survives_round_trip(db):
    hostile = "'; DROP TABLE segments; -- <script>alert(1)</script>"
    document = make_document(
        db, [{"source": "第一句。", "target": hostile}, {"source": "第二句。", "target": "Fine."}]
    )
    repair.merge(db, ids(db, document)[0], "ann")
    assert rows(db, document)[0]["target"] == hostile + " Fine."
    repair.undo(db, document, "ann")
    assert rows(db, document)[0]["target"] == hostile
