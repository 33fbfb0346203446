"""`workbench serve` copies the WAL back into the database file in a thread of its own,
so no save waits for a checkpoint while it holds the write lock, and the saves still
reach the database file (a copy of the file alone holds them)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time

from workbench.review import users
from workbench.store.db import connect, insert_document
from workbench.web import create_app
from workbench.web.database import Checkpointer


def make_document(path) -> tuple[int, str]:
    db = connect(path)
    rows = [{"source": f"第{i}句话。", "mt": f"Sentence {i}."} for i in range(40)]
    document = {"title": "WAL", "filename": "wal.txt", "source_lang": "zh", "target_lang": "en"}
    insert_document(db, document, rows, "test")
    users.add(db, "rita", "reviewer", "reviewer-pass")
    token = users.new_token(db, "rita")
    db.close()
    return token


def save_many(client, token: str, saves: int) -> str:
    headers = {"Authorization": f"Bearer {token}"}
    versions: dict[int, int] = {}
    target = ""
    for n in range(saves):
        segment = 1 + n % 40
        target = f"save {n} of segment {segment}, " + "x" * 400
        body = {"target": target, "status": "draft", "version": versions.get(segment, 1)}
        reply = client.put(f"/api/segments/{segment}", json=body, headers=headers)
        assert reply.status_code == 200, reply.get_json()
        versions[segment] = reply.get_json()["version"]
    return target


def file_alone_holds(path, tmp_path, target: str) -> bool:
    """Whether the database file without its -wal holds ``target`` (what a checkpoint did)."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    try:
        found = conn.execute("SELECT COUNT(*) FROM segments WHERE target = ?", [target]).fetchone()
    finally:
        conn.close()
    return found[0] == 1


def test_the_server_checkpoints_in_its_own_thread(db_path, tmp_path):
    token = make_document(db_path)
    app = create_app(str(db_path), TESTING=True, WAL_CHECKPOINTER=True)
    checkpointer = app.extensions["workbench.checkpointer"]
    try:
        with app.test_client() as client:
            last = save_many(client, token, 300)  # some 1,000 WAL pages and more
            database = app.extensions["workbench.connections"].db
            assert database.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        deadline = time.monotonic() + 10
        while not file_alone_holds(db_path, tmp_path, last) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert file_alone_holds(db_path, tmp_path, last)
    finally:
        checkpointer.stop()
    assert not checkpointer.is_alive()


def test_an_app_without_the_checkpointer_keeps_sqlite_s_own(db_path):
    token = make_document(db_path)
    app = create_app(str(db_path), TESTING=True)
    assert "workbench.checkpointer" not in app.extensions
    with app.test_client() as client:
        save_many(client, token, 3)
        database = app.extensions["workbench.connections"].db
        assert database.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000


def grown_log_and_a_reader(db_path) -> tuple[str, sqlite3.Connection]:
    """300 saves with no checkpointer running (the log only grows, to some 4 MB), then a
    reader holding its snapshot; returns the last target saved and the reader."""
    token = make_document(db_path)
    app = create_app(str(db_path), TESTING=True, WAL_CHECKPOINTER=True)
    app.extensions["workbench.checkpointer"].stop()
    with app.test_client() as client:
        last = save_many(client, token, 300)
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM segments").fetchone()  # holds its snapshot
    return last, reader


def test_a_log_grown_past_its_limit_is_truncated_once_older_readers_finish(db_path, tmp_path):
    """A burst of saves with a reader always active grows the log (SQLite restarts it only
    when no reader holds an older snapshot); past its limit the checkpointer truncates it,
    waiting for such a reader rather than cutting it off."""
    last, reader = grown_log_and_a_reader(db_path)
    wal = db_path.parent / f"{db_path.name}-wal"
    assert wal.stat().st_size > 2**20
    checkpointer = Checkpointer(str(db_path), interval=0.05, limit=2**20, wait_ms=20, backoff=0.2)
    checkpointer.start()
    try:
        time.sleep(0.5)
        assert wal.stat().st_size > 2**20  # the reader's snapshot is not cut off
        assert reader.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == 40
        reader.rollback()
        deadline = time.monotonic() + 10
        while wal.stat().st_size > 2**20 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wal.stat().st_size <= 2**20
        assert file_alone_holds(db_path, tmp_path, last)
    finally:
        checkpointer.stop()
        reader.close()


class CountingLock:
    """The server's write lock, counting how often the checkpointer held it."""

    def __init__(self) -> None:
        self.lock, self.taken = threading.Lock(), 0

    def __enter__(self):
        self.lock.acquire()
        self.taken += 1

    def __exit__(self, *exc) -> None:
        self.lock.release()


def test_a_reader_that_outlasts_the_wait_is_not_waited_for_every_round(db_path):
    """A long export reading while the log is over its limit: the checkpointer holds the
    saves once, then not again for its back-off, instead of every half second."""
    _, reader = grown_log_and_a_reader(db_path)
    lock = CountingLock()
    checkpointer = Checkpointer(
        str(db_path), interval=0.02, limit=2**20, lock=lock, wait_ms=10, backoff=60
    )
    checkpointer.start()
    try:
        time.sleep(1)
    finally:
        checkpointer.stop()
        reader.close()
    assert lock.taken == 1
