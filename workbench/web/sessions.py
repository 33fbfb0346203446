"""Server-side, revocable sessions: the cookie carries only a random id.

Flask's default session is a signed cookie: valid until it expires whatever
happens on the server, and forgeable by whoever holds the signing key. Here the
cookie holds 32 random bytes; the ``sessions`` table holds the session's data
under an HMAC of that id (keyed with the secret key, which lives outside the
database), so neither a copy of the database nor the key alone gives a usable
cookie. Deleting a row ends a session: logout, a password or role change and
the removal of a user do (``users.end_sessions``). A session also ends after
``SESSION_IDLE_SECONDS`` without a request and ``SESSION_ABSOLUTE_SECONDS`` after
login, whichever comes first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import time
from pathlib import Path

import sqlite_utils
from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from workbench.web.database import get_db, writing

IDLE_SECONDS = 8 * 3600
ABSOLUTE_SECONDS = 7 * 24 * 3600
#: ``last_seen`` is written at most this often: a write per page view would queue
#: every read behind the savers.
TOUCH_SECONDS = 60
KEY_ENV = "WORKBENCH_SECRET_KEY"


def secret_key(db_path: str | os.PathLike) -> str:
    """The key for session ids: ``WORKBENCH_SECRET_KEY``, else the file ``<db>.key``
    beside the database (made on first use, mode 0600), never the database itself."""
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        if len(from_env) < 32:
            raise ValueError(f"{KEY_ENV} must have at least 32 characters")
        return from_env
    path = Path(f"{db_path}.key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(0o600)  # a copy made readable to others is closed again
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise ValueError(f"{path} holds no usable key; delete it to make a new one") from None
        return key
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip()


class ServerSession(CallbackDict, SessionMixin):
    """The session's data; ``sid`` is the cookie's id (None until stored)."""

    def __init__(self, initial=None, sid: str | None = None, created: float | None = None):
        def changed(_self) -> None:
            self.modified = True

        super().__init__(initial, changed)
        self.sid = sid
        self.created = created or time.time()
        self.modified = False
        self.rotate = False
        self.touch = False

    def clear(self) -> None:
        """Clearing (login, logout) also drops the id: a new one is issued, so an id
        planted before login (session fixation) is worth nothing after it."""
        super().clear()
        self.rotate = True


def _digest(app: Flask, sid: str) -> str:
    return hmac.new(app.secret_key.encode(), sid.encode(), hashlib.sha256).hexdigest()


def _db(app: Flask) -> sqlite_utils.Database:
    return get_db()


def _write(db: sqlite_utils.Database):
    return writing(db)


class DatabaseSessions(SessionInterface):
    """Sessions in the ``sessions`` table (see the module docstring)."""

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid or len(sid) > 100:
            return ServerSession()
        db = _db(app)
        row = db.execute(
            "SELECT data, created_at, last_seen FROM sessions WHERE id = ?", [_digest(app, sid)]
        ).fetchone()
        now = time.time()
        if row is None:
            return ServerSession()
        data, created, last_seen = row
        idle = app.config.get("SESSION_IDLE_SECONDS", IDLE_SECONDS)
        absolute = app.config.get("SESSION_ABSOLUTE_SECONDS", ABSOLUTE_SECONDS)
        if now - last_seen > idle or now - created > absolute:
            with _write(db):
                db.execute("DELETE FROM sessions WHERE id = ?", [_digest(app, sid)])
            return ServerSession()
        session = ServerSession(json.loads(data), sid, created)
        session.touch = now - last_seen > TOUCH_SECONDS
        return session

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        name, domain = self.get_cookie_name(app), self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        db = _db(app)
        if session.sid and (session.rotate or not session):
            with _write(db):
                db.execute("DELETE FROM sessions WHERE id = ?", [_digest(app, session.sid)])
            session.sid = None
        if not session:
            if session.rotate or session.modified:
                response.delete_cookie(name, domain=domain, path=path)
            return
        if not (session.modified or session.rotate or session.touch or session.sid is None):
            return
        if session.sid is None:
            session.sid = secrets.token_urlsafe(32)
            session.created = time.time()
        uid = session.get("uid")
        with _write(db):
            db.execute(
                "INSERT INTO sessions (id, user_id, data, created_at, last_seen)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id,"
                " data = excluded.data, last_seen = excluded.last_seen",
                [
                    _digest(app, session.sid),
                    uid if isinstance(uid, int) else None,
                    json.dumps(dict(session)),
                    session.created,
                    time.time(),
                ],
            )
        absolute = app.config.get("SESSION_ABSOLUTE_SECONDS", ABSOLUTE_SECONDS)
        response.set_cookie(
            name,
            session.sid,
            expires=session.created + absolute,
            httponly=self.get_cookie_httponly(app),
            domain=domain,
            path=path,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")
