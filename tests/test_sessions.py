"""Server-side sessions: the cookie is a random id that the server can revoke (logout,
password or role change, removal), user ids are never reused, the key is not in the
database, and sessions expire when idle and after an absolute lifetime."""

from __future__ import annotations

import sqlite3
import stat
import time

import pytest
from review_support import PASSWORDS, add_users, login, session_token

from workbench.review import users
from workbench.store.db import connect
from workbench.web import create_app
from workbench.web.sessions import ServerSession

COOKIE = "workbench_session"


@pytest.fixture
def app(db_path):
    connect(db_path).close()
    add_users(db_path)
    return create_app(str(db_path), TESTING=True)


def cookie(client) -> str:
    return client.get_cookie(COOKIE).value


def with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie(COOKIE, value)
    return other


def logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_logout_ends_the_session_on_the_server(app):
    client = login(app.test_client(), "rita")
    stolen = cookie(client)
    assert logged_in(with_cookie(app, stolen))
    out = client.post("/logout")
    assert out.status_code == 302 and out.headers["Location"].endswith("/login")
    assert not logged_in(with_cookie(app, stolen))  # a copy of the cookie is worth nothing


def test_logging_in_issues_a_new_session_id(app):
    """Session fixation: an id handed out before login (the login page's session), which
    an attacker could have planted, is worth nothing after it."""
    client = app.test_client()
    client.get("/login")
    planted = cookie(client)
    login(client, "rita")
    assert cookie(client) != planted and logged_in(client)
    assert not logged_in(with_cookie(app, planted))


@pytest.mark.parametrize(
    "change",
    [
        lambda db: users.set_password(db, "tom", "another-long-passphrase"),
        lambda db: users.set_role(db, "tom", "reviewer"),
        lambda db: users.remove(db, "tom"),
    ],
    ids=["password change", "role change", "removal"],
)
def test_account_changes_end_the_users_sessions(app, db_path, change):
    client = login(app.test_client(), "tom")
    rita = login(app.test_client(), "rita")
    assert logged_in(client)
    db = connect(db_path)
    change(db)
    db.close()
    assert not logged_in(client)
    assert logged_in(rita)  # other users keep theirs


def test_a_removed_users_cookie_never_opens_a_later_users_account(app, db_path):
    db = connect(db_path)
    users.add(db, "kim", "translator", "kims-long-passphrase")
    client = app.test_client()
    client.get("/login")
    token = session_token(client)
    client.post(
        "/login", data={"name": "kim", "password": "kims-long-passphrase", "csrf_token": token}
    )
    old = cookie(client)
    kim_id = users.get(db, "kim")["id"]
    users.remove(db, "kim")
    boss = users.add(db, "boss", "admin", "bosses-long-passphrase")
    db.close()
    assert boss["id"] != kim_id  # ids are never reused
    assert not logged_in(with_cookie(app, old))


def test_the_cookie_carries_only_a_random_id(app, db_path):
    client = login(app.test_client(), "rita")
    value = cookie(client)
    assert "." not in value and len(value) >= 40  # not a signed payload
    with sqlite3.connect(db_path) as conn:
        stored = [r[0] for r in conn.execute("SELECT id FROM sessions")]
        settings = dict(conn.execute("SELECT key, value FROM settings"))
    assert stored and value not in stored  # the database holds an HMAC of it, not the id
    assert app.secret_key not in settings.values()


def test_the_key_lives_beside_the_database_readable_by_the_owner_only(app, db_path):
    key_file = db_path.with_name(db_path.name + ".key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == app.secret_key
    assert app.secret_key.encode() not in db_path.read_bytes()


def test_a_copy_of_the_database_without_the_key_gives_no_session(app, db_path, tmp_path):
    client = login(app.test_client(), "rita")
    value = cookie(client)
    copy = tmp_path / "copy" / "workbench.db"
    copy.parent.mkdir()
    copy.write_bytes(db_path.read_bytes())
    elsewhere = create_app(str(copy), TESTING=True)  # makes its own key: not the original
    assert elsewhere.secret_key != app.secret_key
    assert not logged_in(with_cookie(elsewhere, value))


def test_the_key_can_come_from_the_environment(db_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_SECRET_KEY", "k" * 40)
    assert create_app(str(db_path), TESTING=True).secret_key == "k" * 40
    assert not db_path.with_name(db_path.name + ".key").exists()
    monkeypatch.setenv("WORKBENCH_SECRET_KEY", "short")
    with pytest.raises(ValueError, match="at least 32"):
        create_app(str(db_path), TESTING=True)


@pytest.mark.parametrize("column", ["last_seen", "created_at"])
def test_sessions_expire_when_idle_and_after_their_lifetime(db_path, column):
    connect(db_path).close()
    add_users(db_path)
    app = create_app(
        str(db_path), TESTING=True, SESSION_IDLE_SECONDS=600, SESSION_ABSOLUTE_SECONDS=3600
    )
    client = login(app.test_client(), "rita")
    assert logged_in(client)
    assert client.get_cookie(COOKIE).expires.timestamp() == pytest.approx(time.time() + 3600, abs=5)
    age = 601 if column == "last_seen" else 3601
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"UPDATE sessions SET {column} = {column} - ?", [age])
    assert not logged_in(client)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0


def test_user_ids_use_autoincrement(db_path):
    db = connect(db_path)
    schema = db.execute("SELECT sql FROM sqlite_master WHERE name = 'users'").fetchone()[0]
    assert "AUTOINCREMENT" in schema
    db.close()


def backdate(db_path, column: str, seconds: float) -> None:
    """Move every session's ``column`` (last_seen or created_at) into the past."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"UPDATE sessions SET {column} = {column} - ?", [seconds])


def set_cookie_header(response) -> str:
    (header,) = [v for v in response.headers.getlist("Set-Cookie") if v.startswith(COOKIE)]
    return header


def test_the_default_limits_are_eight_hours_idle_and_seven_days_in_all(app, db_path):
    """The figures SECURITY.md promises, seconds from either side of each limit."""
    client = login(app.test_client(), "rita")
    backdate(db_path, "last_seen", 8 * 3600 - 30)
    assert logged_in(client)  # and that request counts as activity
    backdate(db_path, "created_at", 7 * 24 * 3600 - 30)
    assert logged_in(client)
    backdate(db_path, "created_at", 34)
    assert not logged_in(client)
    again = login(app.test_client(), "rita")
    backdate(db_path, "last_seen", 8 * 3600 + 4)
    assert not logged_in(again)


def test_a_session_in_use_outlives_the_idle_limit(db_path):
    connect(db_path).close()
    add_users(db_path)
    app = create_app(str(db_path), TESTING=True, SESSION_IDLE_SECONDS=600)
    client = login(app.test_client(), "rita")
    backdate(db_path, "last_seen", 300)
    assert logged_in(client)  # five minutes later: the request moves last_seen up
    backdate(db_path, "last_seen", 400)  # 700 s after login, 400 s after that request
    assert logged_in(client)


def test_requests_within_a_minute_write_nothing(app, db_path):
    """last_seen is written at most once a minute: a write per page view would queue
    every reader behind the savers (see TOUCH_SECONDS)."""
    client = login(app.test_client(), "rita")
    backdate(db_path, "last_seen", 30)
    with sqlite3.connect(db_path) as conn:
        before = conn.execute("SELECT last_seen FROM sessions").fetchone()[0]
    response = client.get("/account")
    assert response.status_code == 200 and not response.headers.getlist("Set-Cookie")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT last_seen FROM sessions").fetchone()[0] == before


def test_the_cookie_is_http_only_same_site_and_ends_with_the_session(db_path):
    connect(db_path).close()
    add_users(db_path)
    app = create_app(str(db_path), TESTING=True, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    client.get("/login")
    token = session_token(client)
    started = time.time()
    response = client.post(
        "/login", data={"name": "rita", "password": PASSWORDS["rita"], "csrf_token": token}
    )
    header = set_cookie_header(response)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" in header
    assert "Path=/;" in header or header.endswith("Path=/")
    assert "Cookie" in response.vary  # no cache hands one user's page to another
    expires = client.get_cookie(COOKIE).expires.timestamp()
    assert abs(expires - (started + 7 * 24 * 3600)) < 5
    backdate(app.config["DATABASE"], "last_seen", 120)
    backdate(app.config["DATABASE"], "created_at", 3600)  # as if logged in an hour ago
    later = client.get("/account")  # writes last_seen; the expiry stays login + 7 days
    assert client.get_cookie(COOKIE).expires.timestamp() == pytest.approx(expires - 3600, abs=1)
    assert "Secure" in set_cookie_header(later)


def test_logout_removes_the_cookie_from_the_browser(app):
    client = login(app.test_client(), "rita")
    client.post("/logout")
    assert client.get_cookie(COOKIE) is None


def test_the_cookie_is_set_and_removed_on_the_configured_path_and_domain(db_path):
    """Behind a path prefix or on a named domain: the removal must name the cookie's
    own path and domain, or the browser keeps the dead cookie."""
    connect(db_path).close()
    app = create_app(
        str(db_path), TESTING=True, SESSION_COOKIE_PATH="/wb", SESSION_COOKIE_DOMAIN="wb.test"
    )
    with app.test_request_context("/wb/login", method="POST"):
        session = ServerSession()
        session["uid"] = 1
        given = app.response_class()
        app.session_interface.save_session(app, session, given)
        session.clear()  # logout
        removed = app.response_class()
        app.session_interface.save_session(app, session, removed)
    for header in set_cookie_header(given), set_cookie_header(removed):
        assert "Path=/wb" in header and "Domain=wb.test" in header
    assert "1970" in set_cookie_header(removed) and "1970" not in set_cookie_header(given)


def test_a_change_to_a_logged_in_session_is_kept(app):
    """What an upload's message relies on: set in one request, shown by the next."""
    client = login(app.test_client(), "rita")
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Imported harbour.txt")]
    page = client.get("/account").get_data(as_text=True)
    assert "Imported harbour.txt" in page and logged_in(client)
    with sqlite3.connect(app.config["DATABASE"]) as conn:
        (data,) = conn.execute("SELECT data FROM sessions").fetchone()
    assert "_flashes" not in data  # shown once, then gone from the stored session too


def test_a_key_file_made_readable_to_others_is_closed_again(app, db_path):
    key_file = db_path.with_name(db_path.name + ".key")
    key_file.chmod(0o644)
    assert create_app(str(db_path), TESTING=True).secret_key == app.secret_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_key_of_fewer_than_32_characters_is_refused(db_path, monkeypatch):
    key_file = db_path.with_name(db_path.name + ".key")
    key_file.write_text("k" * 31 + "\n")
    with pytest.raises(ValueError, match="holds no usable key; delete it"):
        create_app(str(db_path), TESTING=True)
    key_file.write_text("k" * 32 + "\n")
    assert create_app(str(db_path), TESTING=True).secret_key == "k" * 32
    monkeypatch.setenv("WORKBENCH_SECRET_KEY", "e" * 32)
    assert create_app(str(db_path), TESTING=True).secret_key == "e" * 32
    monkeypatch.setenv("WORKBENCH_SECRET_KEY", "e" * 31)
    with pytest.raises(ValueError, match="at least 32"):
        create_app(str(db_path), TESTING=True)
