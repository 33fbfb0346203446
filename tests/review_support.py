"""Shared by the upload and repair tests of the review UI: small texts written for the
tests (a Chinese article and its English translation), a .docx built by hand, users and
logging in through the real form."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from xml.sax.saxutils import escape

import pytest

from workbench.review import users
from workbench.store.db import connect, insert_document

PASSWORDS = {"rita": "reviewer-pass", "tom": "translator-pass", "ada": "admin-pass"}

ZH_TITLE = "港口重新开放"
ZH_SENTENCES = [
    "经过两年的施工，老港口于星期五重新开放。",
    "市长在开幕式上发表了讲话。",
    "她说，港口将为城市带来新的就业机会。",
    "第一艘货船于上午十点抵达。",
    "船上装载了三百个集装箱。",
    "工人们花了六个小时卸货。",
]
EN_TITLE = "Harbour Reopens"
EN_SENTENCES = [
    "After two years of construction, the old harbour reopened on Friday.",
    "The mayor gave a speech at the opening ceremony.",
    "She said the harbour would bring new jobs to the city.",
    "The first cargo ship arrived at ten in the morning.",
    "It carried three hundred containers.",
    "Workers spent six hours unloading it.",
]
#: Two paragraphs of three sentences, after a title line, as an article file has them.
ZH_TEXT = f"{ZH_TITLE}\n\n{''.join(ZH_SENTENCES[:3])}\n\n{''.join(ZH_SENTENCES[3:])}\n"
EN_TEXT = f"{EN_TITLE}\n\n{' '.join(EN_SENTENCES[:3])}\n\n{' '.join(EN_SENTENCES[3:])}\n"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(paragraphs: list[str]) -> bytes:
    """The smallest .docx Word opens: content types, package relationship, document.xml.

    Written by hand so the tests need no python-docx (the reader does not use it either).
    """
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels"'
            ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def add_users(path) -> None:
    db = connect(path)
    users.add(db, "rita", "reviewer", PASSWORDS["rita"])
    users.add(db, "tom", "translator", PASSWORDS["tom"])
    users.add(db, "ada", "admin", PASSWORDS["ada"])
    db.close()


def session_token(client) -> str:
    """The CSRF token of the client's session, as the page it just loaded carries it."""
    with client.session_transaction() as session:
        return session["csrf"]


def login(client, name: str):
    """Log in through the form; later requests carry the session's CSRF token."""
    client.get("/login")
    token = session_token(client)
    response = client.post(
        "/login", data={"name": name, "password": PASSWORDS[name], "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    client.environ_base["HTTP_X_CSRF_TOKEN"] = session_token(client)
    return client


def import_harbour(path, filename: str = "harbour.txt") -> int:
    """The test article with its human translation, aligned without MT; its document id."""
    from workbench.ingest.importer import import_aligned

    db = connect(path)
    try:
        return import_aligned(
            db, ZH_TEXT, EN_TEXT, filename=filename, project=filename, use_mt=False
        ).document_id
    finally:
        db.close()


def long_document(path, n: int = 2000) -> int:
    """A machine-translated document of ``n`` short zh→en segments; its id."""
    db = connect(path)
    segments = [
        {
            "source": f"第{i}句：今天的会议讨论了{i}个问题。",
            "mt": f"Sentence {i}: the meeting today discussed {i} issues.",
            "confidence": (i % 100) / 100,
        }
        for i in range(n)
    ]
    doc = insert_document(
        db,
        {
            "title": "Long report",
            "filename": "long.txt",
            "source_lang": "zh",
            "target_lang": "en",
            "kind": "mt",
            "mt_model": "test",
        },
        segments,
        "test",
    )
    db.close()
    return doc


def segments(path, document_id: int) -> list[dict]:
    """The document's segments for translation, in order, as stored."""
    db = connect(path)
    try:
        return list(
            db.query(
                "SELECT * FROM segments WHERE document_id = ? AND translate ORDER BY position",
                [document_id],
            )
        )
    finally:
        db.close()


# --------------------------------------------------------------------------- browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM) and os.environ.get("WORKBENCH_SKIP_BROWSER"):
        pytest.skip("no Chromium and WORKBENCH_SKIP_BROWSER is set")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def serving(database) -> Iterator[str]:
    """The review UI on a free local port, in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    from workbench.web import create_app

    server = make_server("127.0.0.1", 0, create_app(str(database)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


#: The editor's settings in localStorage with the QA question on confirming turned off.
NO_QA_QUESTION = "localStorage.setItem('workbench:settings', JSON.stringify({'ask-qa': false}))"


def log_in(browser, base: str, name: str = "rita", ask_qa: bool = False):
    """A fresh browser context logged in through the form; returns its page.

    The editor's question before confirming a segment with QA flags is off unless
    ``ask_qa``: these tests are about other flows (test_browser_editor tests it).
    """
    context = browser.new_context()
    if not ask_qa:
        context.add_init_script(NO_QA_QUESTION)
    page = context.new_page()
    page.goto(base + "/")
    assert "/login" in page.url  # nothing is shown before logging in
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")
    return page
