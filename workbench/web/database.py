"""The web app's database: a connection per worker thread, one writer at a time."""

from __future__ import annotations

import contextlib
import sqlite3
import threading

import sqlite_utils
from flask import g

WRITE_LOCK = threading.Lock()


class Checkpointer(threading.Thread):
    """Copies the WAL back into the database file off the request path.

    SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL
    pages, while that save holds the write lock, so every other save waits for the
    checkpoint's writes and fsync: that, not the saves, set the server's tail
    latency (``bench/ui_load.py``). ``workbench serve`` starts one of these; its
    PASSIVE checkpoint, on its own connection, never blocks a writer or a reader.
    """

    def __init__(self, path: str, interval: float = 0.5) -> None:
        super().__init__(daemon=True, name="wal-checkpointer")
        self.path, self.interval = path, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        try:
            while not self.stopped.wait(self.interval):
                with contextlib.suppress(sqlite3.Error):  # busy now: the next round
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class Connections(threading.local):
    """One SQLite connection per app and worker thread, reused request after request.

    Opening a connection and setting its PRAGMAs costs more than a save's
    statements, and a kept connection also keeps its prepared statements.
    Between requests a connection holds no transaction: ``release`` rolls back
    whatever a request left open, as closing the connection used to.
    """

    def __init__(self, checkpoints_elsewhere: bool = False) -> None:
        self.db: sqlite_utils.Database | None = None
        self.key: tuple | None = None
        self.checkpoints_elsewhere = checkpoints_elsewhere

    def get(self, path: str, synchronous: str) -> sqlite_utils.Database:
        if self.db is None or self.key != (path, synchronous):
            self.discard()
            conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
            db = sqlite_utils.Database(conn)
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute(f"PRAGMA synchronous = {synchronous}")
            if self.checkpoints_elsewhere:
                db.execute("PRAGMA wal_autocheckpoint = 0")  # a Checkpointer's job
            self.db, self.key = db, (path, synchronous)
        return self.db

    def release(self, db: sqlite_utils.Database) -> None:
        try:
            if db.conn.in_transaction:
                db.conn.rollback()
        except sqlite3.Error:
            if db is self.db:
                self.discard()  # a connection in doubt is not kept
            raise

    def discard(self) -> None:
        db, self.db, self.key = self.db, None, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()


def get_db() -> sqlite_utils.Database:
    """The request's connection, this worker thread's own, returned at teardown.

    The schema was upgraded by ``create_app``, so this skips the migrations: it
    is on the path of every save.
    """
    from flask import current_app

    if "db" not in g:
        g.db = current_app.extensions["workbench.connections"].get(
            current_app.config["DATABASE"], current_app.config["SQLITE_SYNCHRONOUS"]
        )
    return g.db


@contextlib.contextmanager
def writing(db: sqlite_utils.Database):
    """A write transaction, one at a time in this process.

    Request threads queue on a lock, which hands over at once, rather than on
    SQLite's busy handler, which sleeps up to 100 ms between retries: under
    load that sleep, not the write, would set the tail latency of saves.
    """
    with WRITE_LOCK:
        db.execute("BEGIN IMMEDIATE")  # the write lock before the first read
        try:
            yield db
        except BaseException:
            db.conn.rollback()
            raise
        else:
            db.execute("COMMIT")
