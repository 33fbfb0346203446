"""Security headers on every response, and templates that need no inline script or style
block (the CSP allows only the app's own files)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from review_support import add_users, import_harbour, login

from workbench.store.db import connect
from workbench.web import create_app

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.fixture
def client(db_path):
    connect(db_path).close()
    add_users(db_path)
    doc = import_harbour(db_path)
    return login(create_app(str(db_path), TESTING=True).test_client(), "rita"), doc


def test_every_kind_of_response_carries_the_security_headers(client):
    client, doc = client
    for url in ["/", "/login", f"/documents/{doc}", "/api/documents", "/static/workbench.css",
                "/api/segments/999999", "/no/such/page"]:  # fmt: skip
        response = client.get(url)
        headers = response.headers
        assert headers["X-Frame-Options"] == "DENY", url
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp.split("style-src-attr")[0], url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "same-origin", url


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_scripts_styles_or_handlers(template):
    html = template.read_text("utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html, "inline <style> block"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "javascript:" not in html
