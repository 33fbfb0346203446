"""Server-side sessions: the cookie is a random id that the server can revoke (logout,
password or role change, removal), user ids are never reused, the key is not in the
database, and sessions expire when idle and after an absolute lifetime."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from review_support import add_users, login

from workbench.review import users
from workbench.store.db import connect
from workbench.web import create_app

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
    with client.session_transaction() as session:
        token = session["csrf"]
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
