"""The review UI: a Flask app factory in the style of Flask's tutorial, blueprints, JSON API.

Everything a browser or an API client reaches.
May import: every workbench package but ``cli``."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, g, jsonify, render_template, request

from workbench.review import users
from workbench.store import db as storage
from workbench.terms.entries import KeptTerms
from workbench.web.database import Checkpointer, Connections
from workbench.web.sessions import DatabaseSessions, secret_key
from workbench.web.throttle import LoginThrottle

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PAGE_SIZE = 100


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
        app.config["SECRET_KEY"] = secret_key(app.config["DATABASE"])
    if users.count(database) == 0 and not app.testing:
        app.logger.warning(
            "No users yet: open the UI from this machine to create the first administrator,"
            " or run `workbench users add NAME --role admin`."
        )
    database.close()
    # `workbench serve` checkpoints the WAL off the request path (WAL_CHECKPOINTER): True
    # starts the Checkpointer thread here, "elsewhere" when another process of the server
    # runs it (--processes); False leaves it to SQLite, inside a COMMIT.
    checkpointer = app.config.get("WAL_CHECKPOINTER", False)
    app.extensions["workbench.connections"] = Connections(checkpoints_elsewhere=bool(checkpointer))
    if checkpointer is True:
        app.extensions["workbench.checkpointer"] = Checkpointer(app.config["DATABASE"])
        app.extensions["workbench.checkpointer"].start()
    app.session_interface = DatabaseSessions()
    app.extensions["workbench.throttle"] = LoginThrottle()
    app.extensions["workbench.terms"] = KeptTerms()

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

    from workbench.web import api, auth, errors, headers, leverage, scores, terms, views

    errors.register(app)
    headers.register(app)

    app.before_request(auth.authenticate)
    app.context_processor(auth.template_globals)
    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(scores.bp)
    app.register_blueprint(leverage.bp)
    app.register_blueprint(terms.bp)
    return app
