"""A real browser (Debian's Chromium through Playwright) drives the review workbench.

One browser and one seeded server per module; each test works on its own
segments so the tests do not depend on each other's order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from review_support import add_users, log_in, long_document, serving

from workbench.review.saves import save_segment
from workbench.store.db import connect

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEGMENT_IDS = "rows => rows.map((row) => row.dataset.segment)"
STATUS_IS = "([id, s]) => document.querySelector(`#seg-${id} .status`).textContent === s"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def database(tmp_path_factory, installed_models):
    from workbench.cli import cli

    path = tmp_path_factory.mktemp("browser") / "workbench.db"
    result = CliRunner().invoke(
        cli, ["import", *sorted(map(str, SEEDS.glob("*.txt"))), "--db", str(path)]
    )
    assert result.exit_code == 0, result.output
    add_users(path)
    long_document(path)
    return path


@pytest.fixture(scope="module")
def live_server(database):
    with serving(database) as url:
        yield url


def documents(database) -> list[dict]:
    db = connect(database)
    rows = list(db.query("SELECT id, title, source_lang FROM documents ORDER BY id"))
    db.close()
    return rows


def segment_ids(database, document_id: int) -> list[int]:
    db = connect(database)
    ids = [
        r[0]
        for r in db.execute(
            "SELECT id FROM segments WHERE document_id = ? AND translate ORDER BY position",
            [document_id],
        )
    ]
    db.close()
    return ids


def stored(database, segment_id: int) -> dict:
    db = connect(database)
    row = db["segments"].get(segment_id)
    db.close()
    return row


def open_document(page, base: str, document_id: int, query: str = ""):
    page.goto(f"{base}/documents/{document_id}{query}")
    page.wait_for_selector("tr.seg")


def test_post_edit_and_approve_in_the_browser(browser, live_server, database):
    page = log_in(browser, live_server)
    page.get_by_role("link").filter(has_text="NEU").first.click()
    row = page.locator("tr[data-segment]").first
    segment_id = int(row.get_attribute("data-segment"))
    row.locator("textarea").fill("A post-edited sentence, approved in Chromium.")
    row.get_by_role("button", name="Approve").click()
    page.wait_for_function(STATUS_IS, arg=[segment_id, "approved"])
    row_in_db = stored(database, segment_id)
    assert row_in_db["status"] == "approved" and row_in_db["updated_by"] == "rita"
    assert row_in_db["target"] == "A post-edited sentence, approved in Chromium."
    page.reload()
    assert page.locator(f"#seg-{segment_id} textarea").input_value() == (
        "A post-edited sentence, approved in Chromium."
    )
    assert page.locator(f"#seg-{segment_id} .effort").is_visible()  # diff against the MT
    page.context.close()


def test_login_refuses_a_wrong_password(browser, live_server):
    page = browser.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Name").fill("rita")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("Wrong name or password").is_visible()
    page.close()


def test_keyboard_confirm_next_copy_mt_and_help(browser, live_server, database):
    doc = documents(database)[1]
    ids = segment_ids(database, doc["id"])
    page = log_in(browser, live_server, "tom")
    open_document(page, live_server, doc["id"])
    page.locator(f"#seg-{ids[0]} textarea").focus()
    page.keyboard.press("F1")
    assert page.locator("#help").is_visible()
    assert page.locator("#help").get_by_text("Insert translation-memory match N").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    page.locator(f"#seg-{ids[0]} textarea").fill("Typed by the translator.")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(STATUS_IS, arg=[ids[0], "translated"])
    page.wait_for_function(
        "id => document.activeElement.closest('tr').id === `seg-${id}`", arg=ids[1]
    )
    page.keyboard.press("Alt+ArrowDown")
    page.wait_for_function(
        "id => document.activeElement.closest('tr').id === `seg-${id}`", arg=ids[2]
    )
    page.keyboard.press("Control+a")
    page.keyboard.type("scratch")
    page.keyboard.press("Alt+m")
    mt = stored(database, ids[2])["mt"]
    assert page.locator(f"#seg-{ids[2]} textarea").input_value() == mt
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_function(
        "id => document.activeElement.closest('tr').id === `seg-${id}`", arg=ids[1]
    )
    assert stored(database, ids[0])["status"] == "translated"
    assert not page.locator(f"#seg-{ids[0]} [data-action=approve]").count()  # translators confirm
    page.context.close()


def test_autosave_and_nothing_lost_when_the_connection_drops(browser, live_server, database):
    doc = documents(database)[2]
    ids = segment_ids(database, doc["id"])
    page = log_in(browser, live_server)
    open_document(page, live_server, doc["id"])
    box = page.locator(f"#seg-{ids[0]} textarea")
    box.fill("Autosaved draft.")
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id} .saved`).textContent.startsWith('saved')",
        arg=ids[0],
    )
    assert stored(database, ids[0])["target"] == "Autosaved draft."
    assert stored(database, ids[0])["status"] == "draft"
    page.context.set_offline(True)
    box.fill("Typed while offline.")
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id} .saved`).textContent.startsWith('offline')",
        arg=ids[0],
    )
    assert page.evaluate(f"localStorage.getItem('workbench:unsaved:{ids[0]}')")
    assert stored(database, ids[0])["target"] == "Autosaved draft."
    page.context.set_offline(False)  # back online: the kept edit is sent at once
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id} .saved`).textContent.startsWith('saved')",
        arg=ids[0],
    )
    assert stored(database, ids[0])["target"] == "Typed while offline."
    assert page.evaluate(f"localStorage.getItem('workbench:unsaved:{ids[0]}')") is None
    # A tab that died before its save: the browser's copy is restored and saved on reload.
    version = stored(database, ids[1])["version"]
    page.evaluate(
        "([id, v]) => localStorage.setItem(`workbench:unsaved:${id}`,"
        " JSON.stringify({target: 'Typed before the crash.', version: v, at: Date.now()}))",
        [ids[1], version],
    )
    page.reload()
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id} .saved`).textContent.startsWith('saved')",
        arg=ids[1],
    )
    assert stored(database, ids[1])["target"] == "Typed before the crash."
    page.context.close()


def test_two_editors_get_a_conflict_with_both_versions(browser, live_server, database):
    doc = documents(database)[3]
    segment = segment_ids(database, doc["id"])[0]
    first = log_in(browser, live_server, "rita")
    second = log_in(browser, live_server, "tom")
    for page in (first, second):
        open_document(page, live_server, doc["id"])
    first.locator(f"#seg-{segment} textarea").fill("Reviewer's version.")
    first.locator(f"#seg-{segment} [data-action=approve]").click()
    first.wait_for_function(STATUS_IS, arg=[segment, "approved"])
    second.locator(f"#seg-{segment} textarea").fill("Translator's version.")
    conflict = second.locator(f"#seg-{segment} .conflict")
    conflict.wait_for(state="visible")
    assert conflict.locator(".theirs").inner_text() == "Reviewer's version."
    assert conflict.locator(".mine").inner_text() == "Translator's version."
    assert stored(database, segment)["target"] == "Reviewer's version."
    conflict.get_by_role("button", name="Take theirs").click()
    assert second.locator(f"#seg-{segment} textarea").input_value() == "Reviewer's version."
    first.context.close()
    second.context.close()


def test_tm_match_insert_and_concordance(browser, live_server, database):
    from workbench.tm import memory as tm

    doc = documents(database)[4]
    segment = segment_ids(database, doc["id"])[1]
    source = stored(database, segment)["source"]
    db = connect(database)
    tm.add_unit(
        db,
        source,
        "Memory translation.",
        doc["source_lang"],
        "en" if doc["source_lang"] == "zh" else "zh",
        "tmx:test",
    )
    db.close()
    page = log_in(browser, live_server)
    open_document(page, live_server, doc["id"])
    page.locator(f"#seg-{segment} textarea").focus()
    page.wait_for_selector("#tm-matches .score")
    assert page.locator("#tm-matches .score").first.inner_text().strip() == "100%"
    page.keyboard.press("Alt+1")
    assert page.locator(f"#seg-{segment} textarea").input_value() == "Memory translation."
    page.locator(f"#seg-{segment} textarea").select_text()
    page.keyboard.press("Alt+k")
    page.wait_for_selector("#concordance-results li")
    assert "Memory translation." in page.locator("#concordance-results").inner_text()
    page.context.close()


def test_history_revert_and_undo(browser, live_server, database):
    doc = documents(database)[0]
    segment = segment_ids(database, doc["id"])[3]
    page = log_in(browser, live_server)
    open_document(page, live_server, doc["id"])
    box = page.locator(f"#seg-{segment} textarea")
    for text in ("First take.", "Second take."):
        box.fill(text)
        page.locator(f"#seg-{segment} [data-action=approve]").click()
        page.wait_for_function(
            "([id, t]) => document.querySelector(`#seg-${id}`).dataset.status === 'approved'"
            " && document.querySelector(`#seg-${id} textarea`).value === t",
            arg=[segment, text],
        )
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id} .saved`).textContent.startsWith('saved')",
        arg=segment,
    )
    box.focus()
    page.keyboard.press("Alt+h")
    page.get_by_role("button", name="Revert to v2").click()
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id} textarea`).value === 'First take.'", arg=segment
    )
    assert stored(database, segment)["target"] == "First take."
    page.keyboard.press("Alt+z")  # undo the revert
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id} textarea`).value === 'Second take.'", arg=segment
    )
    assert stored(database, segment)["target"] == "Second take."
    page.context.close()


def test_reject_with_a_reason(browser, live_server, database):
    doc = documents(database)[1]
    segment = segment_ids(database, doc["id"])[5]
    page = log_in(browser, live_server)
    open_document(page, live_server, doc["id"])
    page.locator(f"#seg-{segment} textarea").focus()
    page.keyboard.press("Alt+r")
    page.locator("#reject-dialog textarea").fill("Terminology: use the glossary term.")
    page.locator("#reject-dialog").get_by_role("button", name="Reject").click()
    page.wait_for_function(STATUS_IS, arg=[segment, "rejected"])
    assert stored(database, segment)["note"] == "Terminology: use the glossary term."
    assert page.locator(f"#seg-{segment} .reason").inner_text().endswith("use the glossary term.")
    page.context.close()


def test_filter_and_bulk_approve_with_undo(browser, live_server, database):
    long_doc = next(d for d in documents(database) if d["title"] == "Long report")
    ids = segment_ids(database, long_doc["id"])
    db = connect(database)
    for i in (10, 11):  # the MT as target: numbers and end punctuation match, QA-clean
        row = db["segments"].get(ids[i])
        save_segment(
            db,
            ids[i],
            base_version=row["version"],
            author="tom",
            target=row["mt"],
            status="translated",
        )
    db.close()
    page = log_in(browser, live_server)
    open_document(page, live_server, long_doc["id"])
    page.get_by_label("Status").select_option("translated")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url("**status=translated**")
    assert page.locator("tr.seg").count() == 2
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve QA-clean").click()
    page.wait_for_selector("#bulk-result:not([hidden])")
    assert "Approved 2 segment(s)" in page.locator("#bulk-result").inner_text()
    assert stored(database, ids[10])["status"] == "approved"
    page.keyboard.press("Alt+z")
    page.wait_for_function(
        "() => document.querySelector('#bulk-result').textContent.startsWith('Undone')"
    )
    assert stored(database, ids[10])["status"] == "translated"
    assert stored(database, ids[11])["status"] == "translated"
    page.context.close()


def test_2000_segment_document_opens_and_pages_through_every_row(browser, live_server, database):
    """The page opens with its first 100 rows and every row is reachable; how fast it
    opens is measured by bench/page_load.py, not asserted here."""
    long_doc = next(d for d in documents(database) if d["title"] == "Long report")
    ids = segment_ids(database, long_doc["id"])  # 2,000 unless another test merged a pair
    pages = -(-len(ids) // 100)
    page = log_in(browser, live_server)
    open_document(page, live_server, long_doc["id"])
    page.wait_for_function("() => document.querySelector('#words').textContent.includes('words')")
    assert page.locator("#count-total").inner_text() == str(len(ids))
    assert page.locator("tr.seg").count() == 100
    assert [int(i) for i in page.locator("tr.seg").evaluate_all(SEGMENT_IDS)] == ids[:100]
    assert page.locator("nav.pager").first.locator("a").count() == pages
    page.locator("tr.seg textarea").last.focus()
    page.keyboard.press("Alt+ArrowDown")  # past the page end: the next page opens
    page.wait_for_url("**page=2**")
    page.wait_for_function("() => document.activeElement.tagName === 'TEXTAREA'")
    assert page.evaluate("document.activeElement.closest('tr').dataset.position") == "100"
    page.wait_for_function("() => document.querySelector('#words').textContent.includes('words')")
    open_document(page, live_server, long_doc["id"], f"?page={pages}")
    last = [int(i) for i in page.locator("tr.seg").evaluate_all(SEGMENT_IDS)]
    assert last == ids[(pages - 1) * 100 :]
    final = page.locator(f"#seg-{ids[-1]} textarea")
    final.scroll_into_view_if_needed()
    assert final.is_visible() and final.input_value()  # rendered, the MT pre-filled
    page.context.close()


def test_upload_an_article_and_refuse_other_files(browser, live_server, tmp_path):
    article = tmp_path / "harbour.txt"
    article.write_text(
        "Harbour Reopens\n\nThe old harbour reopened on Friday after two years of work.\n",
        "utf-8",
    )
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"\x89PNG\r\n")
    page = log_in(browser, live_server)
    page.get_by_role("link", name="Upload").click()
    page.locator("input[name=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Upload").click()
    assert page.get_by_text("cannot be imported").is_visible()
    page.locator("input[name=file]").set_input_files(str(article))
    page.get_by_label("Project").fill("Ports")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("tr.seg")
    assert page.get_by_role("heading", name="Harbour Reopens").is_visible()
    assert "Ports" in page.locator(".dochead").inner_text()
    page.context.close()


def test_merge_with_the_keyboard_and_undo(browser, live_server, database):
    long_doc = next(d for d in documents(database) if d["title"] == "Long report")
    ids = segment_ids(database, long_doc["id"])
    page = log_in(browser, live_server)
    open_document(page, live_server, long_doc["id"], "?page=3")
    first = ids[200]
    page.locator(f"#seg-{first} textarea").focus()
    page.keyboard.press("Alt+j")  # merge with the next segment
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id} .source-text`)?.textContent.includes('第201句')",
        arg=first,
    )
    assert "第200句" in page.locator(f"#seg-{first} .source-text").inner_text()
    assert len(segment_ids(database, long_doc["id"])) == len(ids) - 1
    page.locator(f"#seg-{first} textarea").focus()
    page.keyboard.press("Alt+z")  # undo the repair
    page.wait_for_function(
        "id => !document.querySelector(`#seg-${id} .source-text`).textContent.includes('第201句')",
        arg=first,
    )
    assert segment_ids(database, long_doc["id"]) == ids
    page.context.close()
