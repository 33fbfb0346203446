"""The web app's database: a connection per worker thread, one writer at a time."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from pathlib import Path

import sqlite_utils
from flask import g

try:
    import fcntl
except ImportError:  # Windows: one server process, no lock file
    fcntl = None


class WriteLock:
    """One writer at a time: among this process's threads and, once ``share``d, among
    the processes of one server (``workbench serve --processes``).

    Threads queue on a ``threading.Lock``; processes on an exclusive ``flock`` of a
    file beside the database, which the kernel hands over as soon as it is released
    and drops with a process that dies holding it. Each process opens the file
    itself: a descriptor inherited across ``fork`` would be one lock shared by all.
    """

    def __init__(self) -> None:
        self.threads = threading.Lock()
        self.path: str | None = None
        self.fd: int | None = None
        self.fd_pid = 0

    def share(self, path: str) -> None:
        """From now on, also exclude every other process that shares ``path``."""
        self.path = path

    def __enter__(self) -> WriteLock:
        self.threads.acquire()
        if self.path is not None:
            try:
                fcntl.flock(self.own_fd(), fcntl.LOCK_EX)
            except BaseException:
                self.threads.release()
                raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.path is not None:
                fcntl.flock(self.own_fd(), fcntl.LOCK_UN)
        finally:
            self.threads.release()

    def own_fd(self) -> int:
        """This process's descriptor of the lock file (a forked child opens its own)."""
        if self.fd is None or self.fd_pid != os.getpid():
            if self.fd is not None:
                os.close(self.fd)  # the parent's: this process's copy of it
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self.fd_pid = os.getpid()
        return self.fd


WRITE_LOCK = WriteLock()
WAL_LIMIT_BYTES = 16 * 2**20  # the log's size past which the Checkpointer truncates it


class Checkpointer(threading.Thread):
    """Copies the WAL back into the database file off the request path.

    SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL
    pages, while that save holds the write lock, so every other save waits for the
    checkpoint's writes and fsync: that, not the saves, set the server's tail
    latency (``bench/ui_load.py``). ``workbench serve`` starts one of these; its
    PASSIVE checkpoint, on its own connection, never blocks a writer or a reader.

    A PASSIVE checkpoint never restarts the log, though: SQLite writes it from the
    start again only when no reader holds an older snapshot, and under a sustained
    burst of saves some reader always does, so the file grew by ~3 MB a second
    (67 MB in 20 s, ``bench/ui_load.py --think-ms 0``). Past ``limit`` bytes the
    checkpointer truncates it instead: it holds the server's own writers (``lock``)
    and waits at most ``wait_ms`` for older readers, so a save waits for it once,
    briefly, rather than the disk filling for as long as the burst lasts. A reader
    that outlasts the wait (a long export) is not waited for again until ``backoff``
    seconds later: saves are held for a moment once in that time at most.
    """

    def __init__(
        self,
        path: str,
        interval: float = 0.5,
        limit: int = WAL_LIMIT_BYTES,
        lock: contextlib.AbstractContextManager = WRITE_LOCK,
        wait_ms: int = 100,
        backoff: float = 10.0,
    ) -> None:
        super().__init__(daemon=True, name="wal-checkpointer")
        self.path, self.interval, self.limit, self.lock = path, interval, limit, lock
        self.wait_ms, self.backoff = wait_ms, backoff
        self.truncate_after = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {self.wait_ms}")
        wal = Path(f"{self.path}-wal")
        try:
            while not self.stopped.wait(self.interval):
                with contextlib.suppress(sqlite3.Error):  # busy now: the next round
                    self.checkpoint(conn, wal)
        finally:
            conn.close()

    def checkpoint(self, conn: sqlite3.Connection, wal: Path) -> None:
        if wal_size(wal) <= self.limit or time.monotonic() < self.truncate_after:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            return
        self.truncate_after = time.monotonic() + self.backoff  # if a reader holds on
        with self.lock:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if not busy:
            self.truncate_after = 0.0

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def wal_size(wal: Path) -> int:
    try:
        return wal.stat().st_size
    except OSError:  # no log yet, or just truncated away
        return 0


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
    """A write transaction, one at a time in this server (``WRITE_LOCK``).

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
