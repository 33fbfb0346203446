"""Logging in: throttling per account and per address with growing delays (429 and
Retry-After), the password policy on every way of setting one, the CSRF check and the
login redirect (``?next=``) that must stay on this site."""

from __future__ import annotations

import http.cookiejar
import re
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from review_support import PASSWORDS, add_users, import_harbour, login, session_token

from workbench.cli import cli
from workbench.review import users
from workbench.store.db import connect
from workbench.web import create_app


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app(db_path):
    connect(db_path).close()
    add_users(db_path)
    app = create_app(str(db_path), TESTING=True)
    app.extensions["workbench.throttle"].clock = Clock()
    return app


def attempt(client, name: str, password: str, address: str = "10.0.0.1"):
    client.get("/login")
    token = session_token(client)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_wrong_passwords_for_one_account_meet_growing_delays(app):
    client, clock = app.test_client(), app.extensions["workbench.throttle"].clock
    for _ in range(5):
        assert attempt(client, "rita", "wrong-guess").status_code == 401
    waits = []
    for _ in range(4):
        refused = attempt(client, "rita", "wrong-guess")
        assert refused.status_code == 429 and "Too many failed logins" in refused.get_data(True)
        waits.append(int(refused.headers["Retry-After"]))
        clock.now += waits[-1]
        assert attempt(client, "rita", "wrong-guess").status_code == 401  # checked, and counted
    assert waits == sorted(waits) and waits[-1] > waits[0]  # the delays grow
    # while throttled even the right password is not checked; after the wait it works
    assert attempt(client, "rita", PASSWORDS["rita"]).status_code == 429
    clock.now += 3600
    assert attempt(client, "rita", PASSWORDS["rita"]).status_code == 302
    assert attempt(client, "rita", "wrong-guess").status_code == 401  # a success cleared it


def name_field(page: str) -> str:
    return re.search(r'<input name="name"[^>]*value="([^"]*)"', page)[1]


def test_a_refused_login_says_why_and_keeps_the_name_typed(app):
    """The message the user reads (whole, as shown) and the name left in its field, for a
    wrong password and for a throttled attempt."""
    client = app.test_client()
    wrong = attempt(client, "rita", "wrong-guess")
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 401 and name_field(page) == "rita"
    assert '<p class="flash flash-message" role="status">Wrong name or password.</p>' in page
    for _ in range(4):
        attempt(client, "rita", "wrong-guess")
    throttled = attempt(client, "rita", "wrong-guess")
    page = throttled.get_data(as_text=True)
    assert throttled.status_code == 429 and name_field(page) == "rita"
    assert re.search(r">Too many failed logins: try again in 1 second\.</p>", page)
    assert "Wrong name or password." not in page  # the password was not even checked


def test_a_login_post_without_name_or_password_is_refused_not_a_crash(app):
    """A hand-made POST (a script, a broken form) gets the login page's answer, not a 500."""
    client = app.test_client()
    client.get("/login")
    token = session_token(client)
    bare = client.post("/login", data={"csrf_token": token})
    page = bare.get_data(as_text=True)
    assert bare.status_code == 401 and "Wrong name or password." in page
    assert name_field(page) == ""  # nothing made up in the name field
    nameless = client.post("/login", data={"password": PASSWORDS["rita"], "csrf_token": token})
    assert nameless.status_code == 401


def test_another_account_from_another_address_is_not_slowed(app):
    client = app.test_client()
    for _ in range(8):
        attempt(client, "rita", "wrong-guess")
    assert attempt(client, "rita", "wrong-guess").status_code == 429
    assert attempt(client, "tom", PASSWORDS["tom"], address="10.0.0.2").status_code == 302


def test_one_address_trying_many_accounts_is_throttled(app):
    client = app.test_client()
    for number in range(20):
        assert attempt(client, f"user{number}", "Summer2024!").status_code == 401
    refused = attempt(client, "tom", "Summer2024!")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert attempt(client, "tom", PASSWORDS["tom"], address="10.0.0.9").status_code == 302


WEAK = [
    ("12345678", "at least 10"),
    ("password", "at least 10"),
    (" " * 12, "only spaces"),
    ("kimberley01", "user name"),
    ("password1234", "too weak"),
    ("qwertyuiop", "too weak"),
    ("1234567890", "too weak"),
]


@pytest.mark.parametrize("password, message", WEAK)
def test_the_password_policy_refuses_weak_passwords(db, password, message):
    name = "kimberley01"
    with pytest.raises(users.UserError, match=message):
        users.add(db, name, "translator", password)
    users.add(db, name, "translator", "a quiet harbour at dawn")
    with pytest.raises(users.UserError, match=message):
        users.set_password(db, name, password)


def test_users_add_and_passwd_refuse_a_weak_password(db_path):
    runner = CliRunner()
    added = runner.invoke(
        cli, ["users", "add", "kim", "--role", "admin", "--password", "password1234", "--db",
              str(db_path)],
    )  # fmt: skip
    assert added.exit_code == 2 and "too weak" in added.output
    ok = ["users", "add", "kim", "--role", "admin", "--password", "tidal-lantern-47"]
    assert runner.invoke(cli, [*ok, "--db", str(db_path)]).exit_code == 0
    changed = runner.invoke(
        cli, ["users", "passwd", "kim", "--password", "kim", "--db", str(db_path)]
    )
    assert changed.exit_code == 2 and "at least 10" in changed.output


def test_the_setup_page_refuses_a_weak_password(db_path):
    connect(db_path).close()
    local = create_app(str(db_path), TESTING=True).test_client()
    local.get("/setup")
    token = session_token(local)
    for weak, message in [("boss", "at least 10"), ("password123", "too weak")]:
        response = local.post(
            "/setup",
            data={"name": "boss", "password": weak, "confirm": weak, "csrf_token": token},
        )
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert users.count(connect(db_path)) == 0


def test_a_successful_login_clears_the_accounts_failures(app):
    client = app.test_client()
    for _ in range(4):
        assert attempt(client, "rita", "wrong-guess").status_code == 401
    assert attempt(client, "rita", PASSWORDS["rita"]).status_code == 302
    for _ in range(4):  # a fresh count: four more typos are not yet throttled
        assert attempt(client, "rita", "wrong-guess").status_code == 401


def test_first_run_setup_creates_an_admin_only_from_this_machine(db_path, db):
    db["documents"].count  # noqa: B018 - the schema exists
    app = create_app(str(db_path), TESTING=True)
    remote = app.test_client()
    remote.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert "No users exist yet" in remote.get("/login").get_data(as_text=True)
    assert remote.get("/setup").status_code == 403
    unknown = app.test_client()  # no usable client address (a proxy, a socket): not local
    assert unknown.get("/setup", environ_base={"REMOTE_ADDR": ""}).status_code == 403
    remote.get("/login")
    remote_token = session_token(remote)
    form = {"name": "boss", "password": "long-enough", "confirm": "long-enough"}
    assert remote.post("/setup", data={**form, "csrf_token": remote_token}).status_code == 403
    assert users.count(connect(db_path)) == 0
    local = app.test_client()
    assert local.get("/login").headers["Location"].endswith("/setup")
    assert local.get("/setup").status_code == 200  # the form, for this machine
    token = session_token(local)
    short = local.post(
        "/setup",
        data={"name": "boss", "password": "short", "confirm": "short", "csrf_token": token},
    )
    assert short.status_code == 400 and "at least 10" in short.get_data(as_text=True)
    differ = local.post("/setup", data={**form, "confirm": "long-enougH", "csrf_token": token})
    assert differ.status_code == 400 and "the two passwords differ" in differ.get_data(True)
    assert users.count(connect(db_path)) == 0
    made = local.post("/setup", data={**form, "csrf_token": token})
    assert made.status_code == 302 and made.headers["Location"].endswith("/")
    assert users.get(connect(db_path), "boss")["role"] == "admin"
    assert local.get("/account").status_code == 200  # logged in as the new admin
    # only once: the page and the form are gone, for this machine too
    assert local.get("/setup").headers["Location"].endswith("/login")
    token = session_token(local)  # a new session (and token) since the login
    again = {"name": "boss2", "password": "another-long-one", "confirm": "another-long-one"}
    assert local.post("/setup", data={**again, "csrf_token": token}).status_code == 302
    assert users.count(connect(db_path)) == 1


def test_csrf_token_must_be_the_sessions_own(app):
    client = login(app.test_client(), "rita")
    segment = client.get("/api/documents").get_json()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = "x" * 43  # non-empty, but not the session's
    refused = client.post("/logout")
    assert refused.status_code == 403
    page = refused.get_data(as_text=True)  # a page that says why, to a browser
    assert "Not allowed" in page and "missing or invalid CSRF token" in page
    assert client.get("/account").status_code == 200  # still logged in: logout was refused
    assert segment == []
    api = client.post("/api/documents/1/undo")  # to a script: JSON, with the reason
    assert api.status_code == 403 and "invalid CSRF token" in api.get_json()["error"]
    # the page's own token, sent in the header as the editor's scripts do, is accepted
    page = client.get("/account").get_data(as_text=True)
    own = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)[1]
    client.environ_base["HTTP_X_CSRF_TOKEN"] = own
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302  # logged out: to the login page


def test_a_bearer_token_works_without_session_or_csrf(app, db_path):
    doc = import_harbour(db_path)
    token = users.new_token(connect(db_path), "tom")
    script = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    segments = script.get(f"/api/documents/{doc}/segments", headers=headers)
    segment = next(s for s in segments.get_json() if s["translate"])
    saved = script.put(
        f"/api/segments/{segment['id']}",
        headers=headers,
        json={"target": "From a script.", "status": "translated", "version": segment["version"]},
    )
    assert saved.status_code == 200
    assert connect(db_path)["segments"].get(segment["id"])["updated_by"] == "tom"
    bad = script.get("/api/documents", headers={"Authorization": "Bearer wb_wrong"})
    assert bad.status_code == 401
    assert bad.get_json() == {
        "error": "invalid API token; make one with `workbench users token NAME`"
    }


def test_a_forged_request_without_a_session_is_refused(app):
    """A cross-site form posts with a made-up token and no session of ours: 403, not 500."""
    forged = app.test_client().post("/logout", headers={"X-CSRF-Token": "x" * 43})
    assert forged.status_code == 403


def test_the_api_tells_a_script_to_log_in(app):
    refused = app.test_client().get("/api/documents")
    assert refused.status_code == 401
    assert refused.get_json() == {"error": "log in first, or send Authorization: Bearer TOKEN"}


@pytest.mark.parametrize(
    "target, lands",
    [
        ("/account", "/account"),
        ("/documents/1?status=draft", "/documents/1?status=draft"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("///evil.example/phish", "/"),  # browsers skip any number of slashes to the host
        ("/\t/evil.example", "/"),  # browsers drop the tab: "//evil.example"
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_the_login_redirect_stays_on_this_site(app, target, lands):
    client = app.test_client()
    client.get("/login")
    token = session_token(client)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"name": "rita", "password": PASSWORDS["rita"], "csrf_token": token},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == lands or location.endswith("//localhost" + lands), location


@pytest.mark.parametrize(
    "asked", ["/account", "/documents/1?status=draft", "/terms?project=Project%20X"]
)
def test_a_page_asked_for_before_logging_in_opens_after_it(app, asked):
    """The login page remembers the whole address asked for (path and query) and goes
    there after the login."""
    client = app.test_client()
    sent = client.get(asked)
    assert sent.status_code == 302
    location = urllib.parse.urlsplit(sent.headers["Location"])
    assert location.path == "/login"
    assert urllib.parse.parse_qs(location.query) == {"next": [asked]}
    assert client.get(sent.headers["Location"]).status_code == 200  # the login page
    token = session_token(client)
    landed = client.post(
        "/login?" + location.query,
        data={"name": "rita", "password": PASSWORDS["rita"], "csrf_token": token},
    )
    assert landed.status_code == 302 and landed.headers["Location"] == asked


def failures(db_path) -> dict[tuple[str, str], int]:
    with sqlite3.connect(db_path) as conn:
        return {
            (k, v): c for k, v, c in conn.execute("SELECT kind, key, count FROM login_failures")
        }


def test_the_counts_survive_a_restart_and_are_shared_by_server_processes(app, db_path):
    client, clock = app.test_client(), app.extensions["workbench.throttle"].clock
    for _ in range(5):
        assert attempt(client, "rita", "wrong-guess").status_code == 401
    assert failures(db_path)[("account", "rita")] == 5
    # A second server process on the same database, or this one restarted: same counts.
    other = create_app(str(db_path), TESTING=True)
    other.extensions["workbench.throttle"].clock = clock
    refused = attempt(other.test_client(), "rita", PASSWORDS["rita"], address="10.0.0.7")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    clock.now += 1
    assert attempt(other.test_client(), "rita", "wrong-again").status_code == 401
    refused = attempt(client, "rita", PASSWORDS["rita"])  # the first process sees it too
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"


def test_a_success_clears_the_account_and_gives_the_address_its_attempt_back(app, db_path):
    client = app.test_client()
    for _ in range(3):
        attempt(client, "rita", "wrong-guess")
    assert attempt(client, "rita", PASSWORDS["rita"]).status_code == 302
    assert failures(db_path) == {("address", "10.0.0.1"): 3}


def test_rows_without_a_failure_for_an_hour_are_pruned(app, db_path):
    from workbench.web.throttle import FORGET

    client, clock = app.test_client(), app.extensions["workbench.throttle"].clock
    for number in range(30):
        attempt(client, f"user{number}", "wrong", address=f"10.1.0.{number}")
    assert len(failures(db_path)) == 60
    clock.now += FORGET + 1
    attempt(client, "tom", "wrong", address="10.2.0.1")
    assert failures(db_path) == {("account", "tom"): 1, ("address", "10.2.0.1"): 1}


def test_attempts_sent_at_once_are_counted_before_any_password_is_checked(app):
    """Twenty wrong guesses sent together to a threaded server: only the five free ones
    are checked; a check-then-count throttle would let all twenty through."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    start = threading.Barrier(20)
    answers: list[int] = []

    def guess(number: int) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(base + "/login", timeout=60) as page:
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode())[1]
        form = {"name": "rita", "password": f"guess-{number}", "csrf_token": token}
        start.wait()
        try:
            opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=60)
        except urllib.error.HTTPError as error:
            answers.append(error.code)

    try:
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.shutdown()
    assert sorted(answers) == [401] * 5 + [429] * 15
