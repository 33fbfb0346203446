"""The review UI: a Flask app factory in the style of Flask's tutorial."""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import threading
from pathlib import Path

import sqlite_utils
from flask import Flask, g, jsonify, render_template, request

from workbench import db as storage
from workbench import users

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PAGE_SIZE = 100
WRITE_LOCK = threading.Lock()


def secret_key(db: sqlite_utils.Database) -> str:
    """The session-signing key of this database, made on first use.

    Stored in the database rather than in the code so that every installation
    has its own and sessions survive a restart of ``workbench serve``.
    """
    with db.atomic():
        db.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES ('secret_key', ?)",
            [secrets.token_hex(32)],
        )
    return db.execute("SELECT value FROM settings WHERE key = 'secret_key'").fetchone()[0]


def create_app(db_path: str | None = None, **config) -> Flask:
    """Build the app for one database file; ``config`` overrides for tests."""
    app = Flask(__name__, template_folder=str(TEMPLATES))
    app.config.from_mapping(
        DATABASE=str(storage.db_path(db_path)),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="workbench_session",
        PAGE_SIZE=PAGE_SIZE,
        # WAL with synchronous=NORMAL: a commit survives a crash of the server but not
        # of the machine; FULL waits for an fsync per save (about 4 ms here), which
        # caps saves near 250/s for the whole team. WORKBENCH_SQLITE_SYNCHRONOUS=FULL
        # chooses durability against power loss instead.
        SQLITE_SYNCHRONOUS=os.environ.get("WORKBENCH_SQLITE_SYNCHRONOUS", "NORMAL").upper(),
    )
    app.json.sort_keys = False
    app.config.update(config)
    if app.config["SQLITE_SYNCHRONOUS"] not in ("FULL", "NORMAL", "EXTRA"):
        raise ValueError("WORKBENCH_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
    database = storage.connect(app.config["DATABASE"])  # creates the schema once, up front
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(database)
    if users.count(database) == 0 and not app.testing:
        app.logger.warning(
            "No users yet: open the UI from this machine to create the first administrator,"
            " or run `workbench users add NAME --role admin`."
        )
    database.close()
    app.extensions["workbench.connections"] = Connections()

    @app.teardown_appcontext
    def close_db(exception: BaseException | None = None) -> None:
        database = g.pop("db", None)
        if database is not None:
            app.extensions["workbench.connections"].release(database)

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        message = f"the upload is larger than the {limit} MB limit; split it into smaller files"
        if request.path.startswith("/api/"):
            return jsonify({"error": message}), 413
        return render_template("message.html", title="Too large", message=message), 413

    from workbench.web import api, auth, scores, views

    app.before_request(auth.authenticate)
    app.context_processor(auth.template_globals)
    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(scores.bp)
    return app


class Connections(threading.local):
    """One SQLite connection per app and worker thread, reused request after request.

    Opening a connection and setting its PRAGMAs costs more than a save's
    statements, and a kept connection also keeps its prepared statements.
    Between requests a connection holds no transaction: ``release`` rolls back
    whatever a request left open, as closing the connection used to.
    """

    def __init__(self) -> None:
        self.db: sqlite_utils.Database | None = None
        self.key: tuple | None = None

    def get(self, path: str, synchronous: str) -> sqlite_utils.Database:
        if self.db is None or self.key != (path, synchronous):
            self.discard()
            conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
            db = sqlite_utils.Database(conn)
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute(f"PRAGMA synchronous = {synchronous}")
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

    The schema was made by ``create_app``, so this skips ``ensure_schema``: it
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
