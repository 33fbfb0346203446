"""The write path of the store: a write either happens whole or not at all, a writer
that reads first still gets its turn (no "database is locked"), and a save based on
a stale version changes nothing. Real SQLite files, two real connections."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlite_utils

from workbench.review.saves import BatchUndo, save_segment, undo_batch
from workbench.store.db import (
    MAX_SEGMENT_CHARS,
    ConflictError,
    DuplicateDocument,
    connect,
    insert_document,
    now,
    write_transaction,
)
from workbench.store.db import db_path as database_path  # not the fixture of that name


def projects(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT name FROM projects ORDER BY id")]


def test_a_failed_write_leaves_nothing_and_the_next_write_works(db, db_path):
    with pytest.raises(RuntimeError, match="halfway"), write_transaction(db):
        db.execute("INSERT INTO projects (name, created_at) VALUES ('lost', 'now')")
        raise RuntimeError("halfway")
    assert projects(db) == [] and not db.conn.in_transaction
    with write_transaction(db):
        db.execute("INSERT INTO projects (name, created_at) VALUES ('kept', 'now')")
    assert projects(connect(db_path)) == ["kept"]  # committed: another connection sees it


def test_a_nested_write_that_fails_undoes_only_itself(db):
    with write_transaction(db):
        db.execute("INSERT INTO projects (name, created_at) VALUES ('outer', 'now')")
        with pytest.raises(RuntimeError), write_transaction(db):
            db.execute("INSERT INTO projects (name, created_at) VALUES ('inner', 'now')")
            raise RuntimeError("inner step failed")
    assert projects(db) == ["outer"]


def test_a_writer_that_reads_first_waits_for_the_lock_instead_of_failing(db_path):
    """Two connections: while one holds the write lock, the other starts a
    read-then-write transaction. It must wait (busy timeout) and then see the
    first write; a deferred BEGIN would read an old snapshot and fail at its write
    with "database is locked" at once (issue 12, finding 7)."""
    first, second = connect(db_path), connect(db_path)
    outcome: dict = {}
    reading = threading.Event()

    def read_then_write() -> None:
        try:
            with write_transaction(second):
                reading.set()
                seen = second.execute("SELECT COUNT(*) FROM projects").fetchone()[0]
                second.execute("INSERT INTO projects (name, created_at) VALUES ('b', 'now')")
            outcome["seen"] = seen
        except Exception as error:  # noqa: BLE001 - the failure is what is asserted on
            outcome["error"] = error

    with write_transaction(first):
        first.execute("INSERT INTO projects (name, created_at) VALUES ('a', 'now')")
        worker = threading.Thread(target=read_then_write)
        worker.start()
        reading.wait(0.5)  # it cannot get in while this transaction holds the lock
    worker.join(30)
    assert outcome == {"seen": 1}  # waited, then read the committed row and wrote
    assert projects(first) == ["a", "b"]


def test_an_over_long_segment_refuses_the_whole_document(db):
    segments = [{"source": "一句。"}, {"source": "长" * (MAX_SEGMENT_CHARS + 1)}]
    refusal = (
        f"segment 2 has {MAX_SEGMENT_CHARS + 1:,} characters; at most {MAX_SEGMENT_CHARS:,}"
        " fit in one segment: check the file's sentence breaks"
    )
    with pytest.raises(ValueError, match=refusal):
        insert_document(db, {"title": "t", "source_lang": "zh", "target_lang": "en"}, segments, "a")
    assert db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == 0


def test_an_imported_document_starts_new_with_one_revision_per_segment(db):
    doc = insert_document(
        db,
        {"title": "t", "source_lang": "zh", "target_lang": "en"},
        [{"source": "一。"}, {"source": "二。", "target": "Two."}],
        "importer",
    )
    rows = list(db.query("SELECT * FROM segments WHERE document_id = ? ORDER BY position", [doc]))
    # translate is 1, not merely true: the document's progress counts SUM(translate)
    assert [
        (r["position"], r["version"], r["status"], r["target"], r["translate"]) for r in rows
    ] == [
        (0, 1, "new", "", 1),
        (1, 1, "new", "Two.", 1),
    ]
    revisions = db.execute(
        "SELECT segment_id, version, target, author, action FROM revisions ORDER BY segment_id"
    ).fetchall()
    assert revisions == [
        (rows[0]["id"], 1, "", "importer", "import"),
        (rows[1]["id"], 1, "Two.", "importer", "import"),
    ]


def test_a_segment_keeps_the_status_target_and_translate_flag_it_comes_with(db):
    """A CAT tool's XLIFF brings each unit's status, target and translate="no"; the
    defaults fill in only what a segment lacks."""
    given = {"source": "二。", "target": "Two.", "status": "translated", "translate": 0}
    doc = insert_document(
        db, {"title": "t", "source_lang": "zh", "target_lang": "en"}, [given], "importer"
    )
    row = db.execute(
        "SELECT source, target, status, translate, version, updated_by FROM segments"
        " WHERE document_id = ?",
        [doc],
    ).fetchone()
    assert row == ("二。", "Two.", "translated", 0, 1, "importer")
    revision = db.execute("SELECT target, status, action FROM revisions").fetchone()
    assert revision == ("Two.", "translated", "import")


def test_documents_without_a_project_share_the_default_one(db):
    meta = {"title": "t", "source_lang": "zh", "target_lang": "en"}
    first = insert_document(db, meta, [{"source": "一。"}], "a")
    second = insert_document(db, meta, [{"source": "二。"}], "a")
    owners = db.execute(
        "SELECT DISTINCT project_id FROM documents WHERE id IN (?, ?)", [first, second]
    ).fetchall()
    assert projects(db) == ["Default"] and len(owners) == 1


def test_the_same_file_imported_twice_at_once_is_stored_once(db):
    """The importers check for the file's content before parsing it; two imports of
    one file running at the same time both pass that check, so ``insert_document``
    checks again inside its write and names the document the other one stored."""
    meta = {"title": "t", "source_lang": "zh", "target_lang": "en"}
    meta |= {"content_sha256": "ab" * 32, "kind": "txt"}
    first = insert_document(db, meta, [{"source": "一。"}], "a")
    with pytest.raises(DuplicateDocument, match=f"^already imported as document {first}$") as d:
        insert_document(db, meta, [{"source": "一。"}], "b")
    assert d.value.document_id == first
    assert db.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == 1
    assert insert_document(db, {**meta, "kind": "md"}, [{"source": "一。"}], "a") != first


def test_a_stale_save_changes_nothing_and_returns_the_current_row(db):
    doc = insert_document(
        db, {"title": "t", "source_lang": "zh", "target_lang": "en"}, [{"source": "一。"}], "a"
    )
    segment = db.execute("SELECT id FROM segments WHERE document_id = ?", [doc]).fetchone()[0]
    saved = save_segment(db, segment, base_version=1, author="rita", target="One.")
    assert (saved["version"], saved["target"], saved["updated_by"]) == (2, "One.", "rita")
    with pytest.raises(ConflictError, match=f"segment {segment} changed since you loaded it") as c:
        save_segment(db, segment, base_version=1, author="tom", target="Uno.")
    assert (c.value.current["version"], c.value.current["target"]) == (2, "One.")
    history = db.execute(
        "SELECT version, target, author, action, created_at FROM revisions"
        " WHERE segment_id = ? ORDER BY id",
        [segment],
    ).fetchall()
    assert [row[:4] for row in history] == [(1, "", "a", "import"), (2, "One.", "rita", "save")]
    assert history[1][4] == saved["updated_at"] >= history[0][4]  # when, for the history
    with pytest.raises(sqlite_utils.db.NotFoundError):
        save_segment(db, segment + 1000, base_version=1, author="rita", target="x")
    statuses = "new, draft, translated, approved, rejected"
    with pytest.raises(ValueError, match=f"unknown status 'done'; expected one of {statuses}"):
        save_segment(db, segment, base_version=2, author="rita", status="done")
    assert db["segments"].get(segment)["version"] == 2


def test_undoing_a_batch_puts_back_each_segment_it_changed_unless_saved_since(db):
    """A bulk approval or a propagation is many saves of one action name; its undo gives
    each segment its previous revision back in a save of its own, leaves a segment
    somebody saved since alone and says so, and touches no other document."""
    meta = {"title": "t", "source_lang": "zh", "target_lang": "en"}
    here = insert_document(
        db, meta, [{"source": "一。"}, {"source": "二。"}, {"source": "三。"}], "a"
    )
    other = insert_document(db, meta, [{"source": "四。"}], "a")
    one, two, three, elsewhere = [
        row[0] for row in db.execute("SELECT id FROM segments ORDER BY document_id, position")
    ]
    save_segment(db, one, base_version=1, author="rita", target="One.", status="translated")
    batch = {"author": "boss", "action": "propagate 7"}
    save_segment(db, one, base_version=2, target="One!", status="approved", **batch)
    save_segment(db, two, base_version=1, target="Two.", status="translated", **batch)
    save_segment(db, three, base_version=1, target="Three.", status="translated", **batch)
    save_segment(db, three, base_version=2, author="tom", target="Three!")  # saved since
    save_segment(db, elsewhere, base_version=1, target="Four.", status="translated", **batch)

    done = undo_batch(db, "propagate 7", "ulla", document_id=here)
    assert done == BatchUndo(restored=[one, two], changed_since=[three])
    rows = {
        row[0]: row[1:]
        for row in db.execute("SELECT id, target, status, version, updated_by FROM segments")
    }
    assert rows == {
        one: ("One.", "translated", 4, "ulla"),
        two: ("", "new", 3, "ulla"),
        three: ("Three!", "translated", 3, "tom"),
        elsewhere: ("Four.", "translated", 2, "boss"),
    }
    last = db.execute(
        "SELECT segment_id, target, status, author, action FROM revisions"
        " WHERE id > (SELECT MAX(id) - 2 FROM revisions) ORDER BY id"
    ).fetchall()
    assert last == [
        (one, "One.", "translated", "ulla", "undo propagate 7"),
        (two, "", "new", "ulla", "undo propagate 7"),
    ]
    assert undo_batch(db, "propagate 8", "ulla") is None
    assert undo_batch(db, "propagate 7", "ulla", document_id=other + 1) is None
    assert db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 4 + 6 + 2


def test_undoing_an_approval_batch_restores_the_status_only(db):
    """A bulk approval changed statuses only: its undo (``restore_target`` off) keeps
    each target as it is now, across every document when none is named."""
    meta = {"title": "t", "source_lang": "zh", "target_lang": "en"}
    insert_document(db, meta, [{"source": "一。", "target": "One."}], "a")
    insert_document(db, meta, [{"source": "二。"}], "a")
    one, two = [row[0] for row in db.execute("SELECT id FROM segments ORDER BY id")]
    save_segment(db, two, base_version=1, author="rita", target="Two.", status="translated")
    for segment, version in ((one, 1), (two, 2)):
        save_segment(
            db, segment, base_version=version, author="boss", status="approved", action="bulk 1"
        )
    done = undo_batch(db, "bulk 1", "ulla", restore_target=False, fallback_status="translated")
    assert done == BatchUndo(restored=[one, two], changed_since=[])
    assert list(db.execute("SELECT id, target, status FROM segments ORDER BY id")) == [
        (one, "One.", "new"),
        (two, "Two.", "translated"),
    ]


# ------------------------------------------------------------------- the connection itself


def test_the_database_is_the_one_named_then_workbench_db_then_the_working_directorys(
    tmp_path, monkeypatch
):
    """``--db``, else ``WORKBENCH_DB``, else ``workbench.db`` where the command runs."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    assert database_path() == Path("workbench.db")
    connect().close()
    assert (tmp_path / "workbench.db").is_file()
    from_environment, named = tmp_path / "env.db", tmp_path / "named.db"
    monkeypatch.setenv("WORKBENCH_DB", str(from_environment))
    assert (database_path(), database_path(named)) == (from_environment, named)
    connect(named).close()
    assert named.is_file() and not from_environment.exists()
    connect().close()
    assert "documents" in sqlite_utils.Database(from_environment).table_names()


def test_a_connection_writes_ahead_checks_references_and_waits_for_the_lock(db_path):
    """WAL (the UI reads while an import writes), foreign keys enforced, and a writer
    waits up to 30 s for the lock rather than failing with "database is locked"."""
    db = connect(db_path)
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with sqlite3.connect(db_path) as other:  # WAL is the file's mode, not the connection's
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    meta = {"title": "t", "source_lang": "zh", "target_lang": "en", "project_id": 999}
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        insert_document(db, meta, [{"source": "一。"}], "a")
    assert db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    db.close()


def test_timestamps_are_utc_to_the_second():
    stamp = now()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", stamp), stamp
    assert abs(datetime.fromisoformat(stamp) - datetime.now(timezone.utc)) < timedelta(seconds=5)
