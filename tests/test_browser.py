"""A real browser (Debian's Chromium through Playwright) post-edits and approves."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from workbench.db import connect
from workbench.web import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and os.environ.get("WORKBENCH_SKIP_BROWSER"):
        pytest.skip("no Chromium and WORKBENCH_SKIP_BROWSER is set")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(seeded_db):
    server = make_server("127.0.0.1", 0, create_app(str(seeded_db)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_post_edit_and_approve_in_the_browser(browser, live_server, seeded_db):
    page = browser.new_page()
    page.goto(live_server + "/")
    page.get_by_role("link").filter(has_text="NEU").first.click()
    row = page.locator("tr[data-segment]").first
    segment_id = int(row.get_attribute("data-segment"))
    box = row.locator("textarea")
    box.fill("A post-edited sentence, approved in Chromium.")
    row.get_by_role("button", name="Approve").click()
    page.wait_for_function(
        "id => document.querySelector(`tr[data-segment='${id}'] .status`).textContent === 'approved'",
        arg=segment_id,
    )
    stored = connect(seeded_db)["segments"].get(segment_id)
    assert stored["status"] == "approved"
    assert stored["target"] == "A post-edited sentence, approved in Chromium."
    page.reload()
    assert page.locator(f"tr[data-segment='{segment_id}'] textarea").input_value() == (
        "A post-edited sentence, approved in Chromium."
    )
    page.close()
