"""The floor under `workbench serve`'s saves: waitress and sqlite3 doing the SQL, nothing else.

    python bench/raw_save_server.py DATABASE PORT [THREADS [PROCESSES]]

``bench/ui_load.py`` runs its clients against this and against the real server in
the same run and prints the ratio: what the machine, waitress and SQLite cost by
themselves, and what Workbench adds (Flask, sessions, roles, QA, the diff and the
HTER of the reply). It answers ``PUT /api/segments/<id>`` as the real server does
for a save (bearer token checked against the users table, one ``BEGIN IMMEDIATE``
with the version check, the revision row, a JSON reply with the new version, 409
on a stale version), with the same per-thread connection, write lock, processes
(``workbench.web.processes``) and WAL checkpoints off the request path
(``Checkpointer``; without it, SQLite's automatic checkpoint runs inside a save's
COMMIT, as it did in the real server before it had one).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import threading
import time

import waitress

from workbench.web.database import WRITE_LOCK, Checkpointer
from workbench.web.processes import serve_forked

LOCAL = threading.local()


def connection(path: str) -> sqlite3.Connection:
    conn = getattr(LOCAL, "conn", None)
    if conn is None:
        conn = LOCAL.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")  # the Checkpointer's job
    return conn


def reply(start_response, status: str, payload: dict) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def save(conn: sqlite3.Connection, segment: int, body: dict, author: str) -> tuple[str, dict]:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    with WRITE_LOCK:
        conn.execute("BEGIN IMMEDIATE")
        try:
            updated = conn.execute(
                "UPDATE segments SET target = ?, status = ?, version = version + 1,"
                " updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
                [body["target"], body["status"], stamp, author, segment, body["version"]],
            ).rowcount
            version, target, status = conn.execute(
                "SELECT version, target, status FROM segments WHERE id = ?", [segment]
            ).fetchone()
            if updated:
                conn.execute(
                    "INSERT INTO revisions"
                    " (segment_id, version, target, status, author, action, created_at)"
                    " VALUES (?, ?, ?, ?, ?, 'save', ?)",
                    [segment, version, target, status, author, stamp],
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    if not updated:
        return "409 Conflict", {"error": "stale", "current": {"version": version}}
    return "200 OK", {"id": segment, "version": version, "status": status, "target": target}


def make_app(path: str):
    def app(environ, start_response):
        conn = connection(path)
        header = environ.get("HTTP_AUTHORIZATION", "")
        digest = hashlib.sha256(header[7:].strip().encode()).hexdigest()
        user = conn.execute("SELECT name FROM users WHERE token_hash = ?", [digest]).fetchone()
        if not header.startswith("Bearer ") or user is None:
            return reply(start_response, "401 Unauthorized", {"error": "invalid API token"})
        prefix = "/api/segments/"
        path_info = environ["PATH_INFO"]
        if environ["REQUEST_METHOD"] != "PUT" or not path_info.startswith(prefix):
            return reply(start_response, "404 Not Found", {"error": "not found"})
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length))
        status, payload = save(conn, int(path_info[len(prefix) :]), body, user[0])
        return reply(start_response, status, payload)

    return app


def main() -> None:
    database, port = sys.argv[1], int(sys.argv[2])
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    processes = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    app = make_app(database)
    if processes == 1:
        Checkpointer(database).start()
        waitress.serve(app, host="127.0.0.1", port=port, threads=threads)
        return
    sys.exit(serve_forked(app, database, "127.0.0.1", port, processes, threads=threads))


if __name__ == "__main__":
    main()
