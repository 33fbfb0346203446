"""Faults: kill -9 in the middle of work, then check what a user would check.

* The real server (`workbench serve`, waitress, a real SQLite file) is killed with
  SIGKILL while several logged-in translators and reviewers save through the JSON
  API (the real login form and CSRF token, as the editor does); after a restart
  every save that got a 2xx reply is in the database with its text and version,
  and the same browser sessions go on saving.
* `workbench import` of a long article is killed with SIGKILL during machine
  translation and again as it finishes: there is never a partial document (none,
  or one with every segment), and a rerun ends with exactly one complete document
  without translating again what the killed run had cached.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import EVAL, REPO, free_port
from review_support import PASSWORDS, add_users, long_document

from workbench.store.db import connect

FLORES = EVAL / "mt-dev" / "flores200-devtest"
CLIENTS = {"tom": 3, "rita": 3}  # logged-in browsers per user (translator, reviewer)


def workbench(*args: str) -> list[str]:
    return [sys.executable, "-c", "from workbench.cli import cli; cli()", *args]


def start_server(db_path: Path, port: int, *options: str) -> subprocess.Popen:
    """`workbench serve` in its own process; returns once it answers."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        workbench("serve", "--db", str(db_path), "--port", str(port), *options),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
                return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    process.kill()
    pytest.fail("the server did not answer within 120 s")


class Browser:
    """One logged-in user as the editor is: a cookie jar and the page's CSRF token."""

    def __init__(self, base: str, name: str) -> None:
        self.base, self.name = base, name
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def page_token(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            html = response.read().decode()
        found = re.search(r'name="csrf[-_]token" (?:content|value)="([^"]+)"', html)
        assert found, html[:500]
        return found.group(1)

    def log_in(self) -> Browser:
        form = {"name": self.name, "password": PASSWORDS[self.name]}
        form["csrf_token"] = self.page_token("/login")
        data = urllib.parse.urlencode(form).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=60) as response:
            assert response.status == 200 and "/login" not in response.url, response.url
        self.csrf = self.page_token("/")  # a new token comes with the new session
        return self

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("X-CSRF-Token", self.csrf)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


def test_no_acknowledged_save_is_lost_when_the_server_is_killed(db_path):
    connect(db_path).close()
    add_users(db_path)
    document = long_document(db_path, 120)
    with sqlite3.connect(db_path) as conn:
        ids = [
            r[0] for r in conn.execute("SELECT id FROM segments WHERE document_id = ?", [document])
        ]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db_path, port)
    browsers = [Browser(base, name).log_in() for name, n in CLIENTS.items() for _ in range(n)]
    acknowledged: list[tuple[int, int, str, str]] = []  # segment, version, target, status
    refused: list[tuple[int, dict]] = []
    lock = threading.Lock()
    kill_after = 300

    def save_burst(number: int, browser: Browser) -> None:
        """Save this client's own segments over and over until the server is gone."""
        mine = ids[number :: len(browsers)]
        turn = 0
        while True:
            segment = mine[turn % len(mine)]
            turn += 1
            try:
                status, row = browser.call("GET", f"/api/segments/{segment}")
                if status != 200:
                    refused.append((status, row))
                    return
                target = (
                    f"{browser.name}-{number} save {turn}: the meeting discussed {turn} issues."
                )
                body = {"target": target, "version": row["version"]}
                if browser.name == "rita":  # reviewers approve; the TM is written as well
                    body["status"] = "approved" if turn % 2 else "translated"
                status, row = browser.call("PUT", f"/api/segments/{segment}?lean=1", body)
            except (OSError, http.client.HTTPException):  # URLError, reset, IncompleteRead
                return  # the server was killed: this save got no reply
            if status != 200:
                refused.append((status, row))
                return
            with lock:  # the lean reply: id, version, status; the text is what we sent
                acknowledged.append((segment, row["version"], target, row["status"]))

    def client(number: int, browser: Browser) -> None:
        try:
            save_burst(number, browser)
        except Exception as problem:  # noqa: BLE001 - reported by the test, not lost
            refused.append((0, {"error": repr(problem)}))

    threads = [
        threading.Thread(target=client, args=(i, b), daemon=True) for i, b in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 300
    while len(acknowledged) < kill_after and time.monotonic() < deadline and not refused:
        time.sleep(0.005)
    server.send_signal(signal.SIGKILL)  # mid-burst: saves are in flight
    server.wait()
    for thread in threads:
        thread.join(timeout=120)
    assert server.returncode == -signal.SIGKILL
    assert not refused, refused[:3]
    assert len(acknowledged) >= kill_after, "the clients barely saved: nothing was tested"
    print(f"{len(acknowledged)} saves acknowledged before the kill")

    server = start_server(db_path, port)
    try:
        with sqlite3.connect(db_path) as conn:
            revisions = {
                (segment, version): (target, status)
                for segment, version, target, status in conn.execute(
                    "SELECT segment_id, version, target, status FROM revisions"
                )
            }
            current = dict(conn.execute("SELECT id, version FROM segments"))
            approved_in_tm = {r[0] for r in conn.execute("SELECT target FROM tm_units")}
        for segment, version, target, status in acknowledged:
            assert revisions.get((segment, version)) == (target, status), (segment, version)
            assert current[segment] >= version
        last = {}
        for segment, version, target, status in acknowledged:
            last[segment] = max(last.get(segment, (0, "", "")), (version, target, status))
        # The restarted server shows the same: its sessions survived, so do the saves.
        for browser in browsers:
            mine = [s for s in ids[browsers.index(browser) :: len(browsers)] if s in last]
            for segment in mine:
                status, row = browser.call("GET", f"/api/segments/{segment}")
                assert status == 200, row
                assert row["version"] >= last[segment][0]
                if row["version"] == last[segment][0]:  # no unacknowledged save after it
                    assert row["target"] == last[segment][1]
                    if last[segment][2] == "approved":
                        assert row["target"] in approved_in_tm
            segment = mine[0]
            status, row = browser.call("GET", f"/api/segments/{segment}")
            status, saved = browser.call(
                "PUT",
                f"/api/segments/{segment}",
                {"target": "After the restart.", "version": row["version"]},
            )
            assert status == 200, saved
            assert saved["version"] == row["version"] + 1
    finally:
        server.kill()
        server.wait()


# --------------------------------------------------------------------------- import


def long_article(path: Path, lines: int = 600) -> Path:
    """A Chinese article of FLORES devtest sentences, ten to a paragraph."""
    if not FLORES.is_dir():
        pytest.fail(f"{FLORES} is missing: the tests need ../shared/eval beside the repository")
    text = (FLORES / "zho_Hans.devtest").read_text("utf-8").splitlines()[:lines]
    paragraphs = ["".join(text[i : i + 10]) for i in range(0, len(text), 10)]
    path.write_text("长篇报道\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")
    return path


def expected_segments(article: Path) -> tuple[int, int, int]:
    """The article's segments, those for translation, and their distinct sentences
    (what the MT cache holds when the import is done)."""
    from workbench.ingest.importer import article_segments
    from workbench.ingest.readers import as_article, read_input

    segments = article_segments(as_article(read_input(str(article)).text))
    todo = [s["source"] for s in segments if s["translate"]]
    return len(segments), len(todo), len(set(todo))


def counts(db_path: Path) -> tuple[int, int, list[tuple[int, int, int]]]:
    """(MT cache rows, documents, per document: segments, revisions, segments for
    translation with their MT stored)."""
    if not db_path.exists():
        return 0, 0, []
    try:
        with sqlite3.connect(db_path, timeout=5) as conn:
            cache = conn.execute("SELECT COUNT(*) FROM mt_cache").fetchone()[0]
            documents = [r[0] for r in conn.execute("SELECT id FROM documents")]
            per = [
                conn.execute(
                    "SELECT COUNT(*), (SELECT COUNT(*) FROM revisions r JOIN segments t"
                    " ON t.id = r.segment_id WHERE t.document_id = ?),"
                    " SUM(translate AND mt IS NOT NULL) FROM segments"
                    " WHERE document_id = ?",
                    [doc, doc],
                ).fetchone()
                for doc in documents
            ]
            orphans = conn.execute(
                "SELECT COUNT(*) FROM segments WHERE document_id NOT IN (SELECT id FROM documents)"
            ).fetchone()[0]
            assert orphans == 0
            return cache, len(documents), per
    except sqlite3.OperationalError:
        return 0, 0, []  # the schema is not there yet


def test_an_import_killed_midway_leaves_no_partial_document_and_a_rerun_completes(
    tmp_path, installed_models
):
    article = long_article(tmp_path / "long.txt")
    total, translating, distinct = expected_segments(article)
    db_path = tmp_path / "import.db"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = workbench("import", str(article), "--db", str(db_path))

    def complete(state) -> bool:
        return all(segs == revs == total and mt == translating for segs, revs, mt in state[2])

    # Killed during MT: some batches are in the cache, no document.
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while counts(db_path)[0] < 40 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()[-2000:]
    cache, documents, _ = counts(db_path)
    assert 0 < cache < distinct, "not killed during MT: make the article longer"
    assert documents == 0

    # Killed again, as late as we can: at the moment the cache is full (the document
    # is being written, or just was): none, or one complete document.
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while counts(db_path)[0] < cache + 1 and process.poll() is None:
        time.sleep(0.005)
    while process.poll() is None and counts(db_path)[0] < distinct:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    state = counts(db_path)
    assert state[1] in (0, 1) and complete(state), state
    print(
        f"killed during MT with {cache} of {distinct} sentences cached; killed again with"
        f" {state[0]} cached and {state[1]} document(s)"
    )

    # The rerun finishes (or finds the document done) and there is exactly one.
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "Imported" in rerun.stdout or "Already imported" in rerun.stdout
    state = counts(db_path)
    assert state[1] == 1 and complete(state), state
    assert counts(db_path)[0] == distinct  # the cache holds every sentence once
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "Already imported" in again.stdout
    assert counts(db_path)[1] == 1


def test_the_same_file_imported_by_three_processes_at_once_is_one_document(
    tmp_path, installed_models
):
    """Each import checks for the same text before translating and again inside the
    write transaction that stores the document: the later two find the first's."""
    article = sorted((REPO / "seeds").glob("*.txt"))[0]
    db_path = tmp_path / "same.db"
    connect(db_path).close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = workbench("import", str(article), "--db", str(db_path))
    processes = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [e[-500:] for _, e in outputs]
    assert counts(db_path)[1] == 1
    said = sorted(out.split(" ")[0] for out, _ in outputs)
    assert said == ["Already", "Already", "Imported"], [out for out, _ in outputs]
