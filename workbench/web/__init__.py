"""The review UI: a Flask app factory in the style of Flask's tutorial."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g

from workbench import db as storage

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def create_app(db_path: str | None = None, **config) -> Flask:
    """Build the app for one database file; ``config`` overrides for tests."""
    app = Flask(__name__, template_folder=str(TEMPLATES))
    app.config.from_mapping(
        DATABASE=str(storage.db_path(db_path)),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update(config)
    storage.connect(app.config["DATABASE"]).close()  # create the schema once, up front

    @app.teardown_appcontext
    def close_db(exception: BaseException | None = None) -> None:
        database = g.pop("db", None)
        if database is not None:
            database.close()

    from workbench.web import api, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    return app


def get_db():
    """One connection per request, closed at teardown."""
    from flask import current_app

    if "db" not in g:
        g.db = storage.connect(current_app.config["DATABASE"])
    return g.db
