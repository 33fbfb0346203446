"""`workbench serve` copies the WAL back into the database file in a thread of its own,
so no save waits for a checkpoint while it holds the write lock, and the saves still
reach the database file (a copy of the file alone holds them)."""

from __future__ import annotations

import shutil
import sqlite3
import time

from workbench.review import users
from workbench.store.db import connect, insert_document
from workbench.web import create_app


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
