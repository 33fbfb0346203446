"""Writes while the server saves: 20 clients save segments through the JSON API of a
real server (threaded werkzeug) while, in other processes, `workbench import` (with MT
and its cache), `workbench users add` and `workbench tm import` run, and an article is
uploaded through the web form. Every one of them must succeed: a write transaction
that reads first and then tries to write (a deferred BEGIN) fails at once with
"database is locked" under WAL, whatever the busy timeout."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from review_support import EN_TEXT, ZH_TEXT, add_users, long_document, serving

from workbench.review import users
from workbench.store.db import connect

CLIENTS = 20
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TMX = SEEDS.parent / "tests" / "fixtures" / "interchange" / "omegat_project_save.tmx"
GLOSSARY = SEEDS.parent / "tests" / "fixtures" / "terms" / "tbx_basic.tbx"


def request(base: str, method: str, path: str, token: str, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def multipart(fields: dict[str, tuple[str, bytes] | str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, content = value
            head = f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'
            parts.append(f"--{boundary}\r\n{head}\r\n\r\n".encode() + content + b"\r\n")
        else:
            head = f'Content-Disposition: form-data; name="{name}"'
            parts.append(f"--{boundary}\r\n{head}\r\n\r\n{value}\r\n".encode())
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from workbench.cli import cli; cli()", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_imports_uploads_and_user_changes_succeed_while_twenty_clients_save(
    db_path, installed_models
):
    connect(db_path).close()
    add_users(db_path)
    doc = long_document(db_path, 200)
    db = connect(db_path)
    tokens = {name: users.new_token(db, name) for name in ("tom", "rita")}
    ids = [r[0] for r in db.execute("SELECT id FROM segments WHERE document_id = ?", [doc])]
    db.close()
    stop = threading.Event()
    saves, failures = [0], []

    def saver(number: int, base: str) -> None:
        segment_id = ids[number]
        while not stop.is_set():
            status, body = request(base, "GET", f"/api/segments/{segment_id}", tokens["tom"])
            if status != 200:
                failures.append((status, body[:200]))
                return
            version = json.loads(body)["version"]
            status, body = request(
                base,
                "PUT",
                f"/api/segments/{segment_id}?lean=1",
                tokens["tom"],
                {"target": f"Saved {time.monotonic()}", "version": version},
            )
            if status != 200:
                failures.append((status, body[:200]))
                return
            saves[0] += 1

    with serving(db_path) as base:
        threads = [threading.Thread(target=saver, args=(i, base)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(0.5)
            results = {
                "import": cli("import", str(sorted(SEEDS.glob("*.txt"))[0]), "--db", str(db_path)),
                "users add": cli(
                    "users",
                    "add",
                    "newbie",
                    "--role",
                    "translator",
                    "--password",
                    "a-long-enough-passphrase",
                    "--db",
                    str(db_path),
                ),  # fmt: skip
                "tm import": cli("tm", "import", str(TMX), "--db", str(db_path)),
                "terms import": cli(
                    "terms",
                    "import",
                    str(GLOSSARY),
                    "--db",
                    str(db_path),
                ),  # fmt: skip
                "projects set": cli(
                    "projects", "set", "Upload", "--fuzzy-prefill", "80", "--db", str(db_path)
                ),
            }
            body, boundary = multipart(
                {
                    "file": ("upload.txt", ZH_TEXT.encode() + "又一句。".encode()),
                    "translation": ("upload.en.txt", EN_TEXT.encode() + b" One more."),
                    "project": "Upload",
                }
            )
            req = urllib.request.Request(base + "/upload", data=body, method="POST")
            req.add_header("Authorization", f"Bearer {tokens['rita']}")
            req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
            opener = urllib.request.build_opener(NoRedirect)
            try:
                with opener.open(req, timeout=120) as response:
                    upload = (response.status, response.read())
            except urllib.error.HTTPError as error:
                upload = (error.code, error.read())
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
    for name, result in results.items():
        assert result.returncode == 0, (name, result.stdout[-500:], result.stderr[-2000:])
        assert "locked" not in result.stderr, (name, result.stderr[-2000:])
    assert upload[0] == 302, upload[1][:500]
    assert not failures, failures[:3]
    assert saves[0] > CLIENTS, "the clients barely saved: the test did not test anything"
    db = connect(db_path)
    assert db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3
    assert users.get(db, "newbie") is not None
    db.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
