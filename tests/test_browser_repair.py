"""The segment editor in a real browser (Debian's Chromium through Playwright) on an
article aligned with its human translation: alignment repair with undo, the live
status counts, rejection with a reason, and the whole flow with the keyboard only.

One browser and one server per module; every test works on its own document.
"""

from __future__ import annotations

import pytest
from review_support import (
    EN_SENTENCES,
    NO_QA_QUESTION,
    ZH_SENTENCES,
    ZH_TEXT,
    add_users,
    import_harbour,
    log_in,
    segments,
    serving,
)

from workbench.store.db import connect

pytestmark = pytest.mark.browser
FOCUSED_ROW = "id => document.activeElement.closest('tr')?.id === `seg-${id}`"
COUNT_IS = "([s, n]) => document.querySelector(`#count-${s}`).textContent === String(n)"
FLASH_HAS = "t => document.querySelector('#bulk-result').textContent.includes(t)"


@pytest.fixture(scope="module")
def database(tmp_path_factory, installed_models):
    """Aligned copies of the test article (one per test) and one machine-translated."""
    from workbench.ingest.importer import import_article

    path = tmp_path_factory.mktemp("browser-repair") / "workbench.db"
    connect(path).close()
    add_users(path)
    docs = {name: import_harbour(path, f"{name}.txt") for name in ("move", "split", "counts")}
    docs.update({name: import_harbour(path, f"{name}.txt") for name in ("counterpart", "reject")})
    db = connect(path)
    docs["mt"] = import_article(db, ZH_TEXT, filename="harbour-mt.txt").document_id
    db.close()
    return path, docs


@pytest.fixture(scope="module")
def base(database):
    with serving(database[0]) as url:
        yield url


def open_document(page, base: str, document_id: int) -> None:
    page.goto(f"{base}/documents/{document_id}")
    page.wait_for_selector("tr.seg")


def target(page, segment_id: int) -> str:
    return page.locator(f"#seg-{segment_id} textarea").input_value()


def reloading(page, key: str | None = None, button: str | None = None) -> str:
    """Press the key or button of a repair (or its undo), which reloads the page; returns
    what the new page says was done."""
    with page.expect_navigation(wait_until="load"):
        if key:
            page.keyboard.press(key)
        else:
            page.get_by_role("button", name=button, exact=True).click()
    return page.locator("#bulk-result").inner_text()


def test_move_target_up_and_down_then_undo(browser, base, database):
    path, docs = database
    rows = segments(path, docs["move"])
    page = log_in(browser, base, "tom")
    open_document(page, base, docs["move"])
    page.locator(f"#seg-{rows[3]['id']} textarea").focus()
    done = reloading(page, "Alt+Shift+ArrowUp")  # the first target sentence of #4 goes to #3
    assert "Moved the first target sentence up (#4)" in done
    assert target(page, rows[2]["id"]) == f"{EN_SENTENCES[1]} {EN_SENTENCES[2]}"
    assert target(page, rows[3]["id"]) == ""
    page.wait_for_function(FOCUSED_ROW, arg=rows[3]["id"])  # back where the user was
    reloading(page, "Alt+z")
    assert target(page, rows[3]["id"]) == EN_SENTENCES[2]
    assert [s["target"] for s in segments(path, docs["move"])] == [r["target"] for r in rows]
    # the same with the mouse: the side panel's buttons
    page.locator(f"#seg-{rows[5]['id']} textarea").click()
    assert "Moved the last target sentence down (#6)" in reloading(page, button="Target down")
    assert target(page, rows[6]["id"]) == f"{EN_SENTENCES[4]} {EN_SENTENCES[5]}"
    assert page.locator(f"#seg-{rows[6]['id']}").get_attribute("data-status") == "draft"
    reloading(page, button="Undo")
    assert target(page, rows[6]["id"]) == EN_SENTENCES[5]
    assert [s["target"] for s in segments(path, docs["move"])] == [r["target"] for r in rows]
    page.context.close()


def test_mark_no_counterpart_then_undo(browser, base, database):
    path, docs = database
    rows = segments(path, docs["counterpart"])
    page = log_in(browser, base, "tom")
    open_document(page, base, docs["counterpart"])
    page.locator(f"#seg-{rows[4]['id']} textarea").focus()
    assert "no counterpart" in reloading(page, "Alt+n")
    assert page.locator("tr.seg").count() == len(rows) + 1
    assert target(page, rows[4]["id"]) == ""
    orphan = page.locator(f"#seg-{rows[4]['id']} + tr.seg")
    assert orphan.locator(".source-text").inner_text() == ""
    assert orphan.locator("textarea").input_value() == EN_SENTENCES[3]
    reloading(page, "Alt+z")
    assert page.locator("tr.seg").count() == len(rows)
    assert target(page, rows[4]["id"]) == EN_SENTENCES[3]
    assert [s["id"] for s in segments(path, docs["counterpart"])] == [r["id"] for r in rows]
    page.context.close()


def test_split_dialog_splits_at_the_cursors_then_undo(browser, base, database):
    path, docs = database
    rows = segments(path, docs["split"])
    first = rows[1]["id"]
    page = log_in(browser, base, "tom")
    open_document(page, base, docs["split"])
    page.locator(f"#seg-{first} textarea").focus()
    reloading(page, "Alt+j")  # merge #2 and #3: one segment of two sentences each side
    merged_target = f"{EN_SENTENCES[0]} {EN_SENTENCES[1]}"
    assert target(page, first) == merged_target
    # Escape cancels: nothing is split
    page.keyboard.press("Alt+s")
    assert page.locator("#split-dialog").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#split-dialog").is_visible()
    page.wait_for_function(FOCUSED_ROW, arg=first)
    # the cursor in the row's target is where the dialog's target splits
    cut = len(EN_SENTENCES[0]) + 1
    page.locator(f"#seg-{first} textarea").evaluate(f"box => box.setSelectionRange({cut}, {cut})")
    page.keyboard.press("Alt+s")
    dialog = page.locator("#split-dialog")
    assert dialog.locator("textarea[name=source]").input_value() == "".join(ZH_SENTENCES[:2])
    assert dialog.locator("textarea[name=target]").evaluate("t => t.selectionStart") == cut
    assert page.evaluate("document.activeElement.name") == "source"
    page.keyboard.press("Control+Home")  # the source cursor, with the keyboard
    for _ in ZH_SENTENCES[0]:
        page.keyboard.press("ArrowRight")
    assert dialog.locator("textarea[name=source]").evaluate("t => t.selectionStart") == len(
        ZH_SENTENCES[0]
    )
    page.keyboard.press("Tab")  # into the target: its cursor stays where it was
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Split"
    assert "Split the segment (#2)" in reloading(page, "Enter")
    new = page.locator(f"#seg-{first} + tr.seg")
    assert page.locator(f"#seg-{first} .source-text").inner_text() == ZH_SENTENCES[0]
    assert target(page, first) == EN_SENTENCES[0]
    assert new.locator(".source-text").inner_text() == ZH_SENTENCES[1]
    assert new.locator("textarea").input_value() == EN_SENTENCES[1]
    reloading(page, "Alt+z")  # undo the split: merged again
    assert target(page, first) == merged_target
    assert len(segments(path, docs["split"])) == len(rows) - 1
    page.context.close()


def test_counts_and_progress_bar_follow_every_change_without_reload(browser, base, database):
    path, docs = database
    rows = segments(path, docs["counts"])
    page = log_in(browser, base)
    open_document(page, base, docs["counts"])
    page.evaluate("window.notReloaded = true")
    assert page.locator("#count-draft").inner_text() == "7"
    approved_bar = page.locator("#progress-bar [data-status=approved]")
    assert approved_bar.evaluate("s => s.style.width") == "0%"
    page.locator(f"#seg-{rows[0]['id']} [data-action=approve]").click()
    page.wait_for_function(COUNT_IS, arg=["approved", 1])
    assert page.locator("#count-draft").inner_text() == "6"
    assert approved_bar.evaluate("s => parseFloat(s.style.width)") == pytest.approx(
        100 / 7, abs=0.01
    )
    assert page.locator("#progress-bar").get_attribute("title") == "1 of 7 approved"
    page.locator(f"#seg-{rows[1]['id']} [data-action=reject]").click()
    page.locator("#reject-dialog textarea").fill("Check the date.")
    page.locator("#reject-dialog").get_by_role("button", name="Reject").click()
    page.wait_for_function(COUNT_IS, arg=["rejected", 1])
    page.keyboard.press("Alt+z")  # undo the rejection
    page.wait_for_function(COUNT_IS, arg=["rejected", 0])
    assert page.locator("#count-draft").inner_text() == "6"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve QA-clean").click()
    page.wait_for_function(FLASH_HAS, arg="Approved")
    db_approved = sum(s["status"] == "approved" for s in segments(path, docs["counts"]))
    assert db_approved > 1
    page.wait_for_function(COUNT_IS, arg=["approved", db_approved])
    for row in segments(path, docs["counts"]):  # the rows too, in place
        assert page.locator(f"#seg-{row['id']}").get_attribute("data-status") == row["status"]
    page.keyboard.press("Alt+z")  # undo the bulk approval
    page.wait_for_function(FLASH_HAS, arg="Undone")
    page.wait_for_function(COUNT_IS, arg=["approved", 1])
    assert page.locator(f"#seg-{rows[2]['id']} .status").inner_text() == "draft"
    assert page.evaluate("window.notReloaded") is True
    page.context.close()


def test_rejection_needs_a_reason_shown_on_the_segment_and_in_history(browser, base, database):
    path, docs = database
    segment = segments(path, docs["reject"])[2]["id"]
    page = log_in(browser, base)
    open_document(page, base, docs["reject"])
    page.locator(f"#seg-{segment} textarea").focus()
    page.keyboard.press("Alt+r")
    dialog = page.locator("#reject-dialog")
    page.keyboard.press("Tab")  # from the reason to the Reject button, with no reason given
    page.keyboard.press("Enter")
    assert dialog.is_visible()  # the reason is required: nothing was rejected
    assert segments(path, docs["reject"])[2]["status"] == "draft"
    assert page.evaluate("document.activeElement.name") == "reason"  # sent back to it
    page.keyboard.type("The mayor is a man in the source: he, not she.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id}`).dataset.status === 'rejected'", arg=segment
    )
    reason = "The mayor is a man in the source: he, not she."
    assert page.locator(f"#seg-{segment} .reason").inner_text() == f"Rejected: {reason}"
    assert segments(path, docs["reject"])[2]["note"] == reason
    page.wait_for_function(FOCUSED_ROW, arg=segment)
    page.keyboard.press("Alt+h")
    newest = page.locator("#history li").first
    newest.locator(".reason").wait_for()
    assert newest.locator(".reason").inner_text() == reason
    assert "rejected · rita" in newest.inner_text()
    page.reload()  # and after a reload, from the server
    assert page.locator(f"#seg-{segment} .reason").inner_text() == f"Rejected: {reason}"
    page.context.close()


def test_the_whole_review_flow_with_the_keyboard_only(browser, base, database):
    """Log in, open a document, edit, confirm, next, copy MT, help: no mouse at all."""
    path, docs = database
    rows = segments(path, docs["mt"])
    context = browser.new_context()
    context.add_init_script(NO_QA_QUESTION)  # the QA question is tested in test_browser_editor
    page = context.new_page()
    page.goto(base + "/")
    page.wait_for_function("document.activeElement.name === 'name'")  # autofocus
    page.keyboard.type("rita")
    page.keyboard.press("Tab")
    page.keyboard.type("reviewer-pass")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")
    for _ in range(40):  # Tab to the document's link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == (
            f"/documents/{docs['mt']}"
        ):
            break
    else:
        pytest.fail("the document link cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("tr.seg")
    for _ in range(40):  # Tab to the first target
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "TEXTAREA":
            break
    else:
        pytest.fail("no target can be reached with Tab")
    page.wait_for_function(FOCUSED_ROW, arg=rows[0]["id"])
    page.keyboard.press("Control+a")
    page.keyboard.type("The harbour reopens")
    page.keyboard.press("Control+Enter")  # approve, then the next unfinished segment
    page.wait_for_function(FOCUSED_ROW, arg=rows[1]["id"])
    assert segments(path, docs["mt"])[0]["target"] == "The harbour reopens"
    assert segments(path, docs["mt"])[0]["status"] == "approved"
    page.wait_for_function(COUNT_IS, arg=["approved", 1])
    page.keyboard.press("Control+a")
    page.keyboard.type("scratch")
    page.keyboard.press("Alt+m")  # copy the MT over what was typed
    assert target(page, rows[1]["id"]) == rows[1]["mt"]
    page.keyboard.press("F1")
    help_dialog = page.locator("#help")
    assert help_dialog.is_visible()
    assert help_dialog.get_by_text("Copy the MT into the target").is_visible()
    page.keyboard.press("Escape")
    assert not help_dialog.is_visible()
    page.wait_for_function(FOCUSED_ROW, arg=rows[1]["id"])  # focus came back to the target
    page.keyboard.press("Tab")  # the row's Approve button, pressed with Enter
    assert page.evaluate("document.activeElement.dataset.action") == "approve"
    page.keyboard.press("Enter")
    page.wait_for_function(COUNT_IS, arg=["approved", 2])
    assert segments(path, docs["mt"])[1]["target"] == rows[1]["mt"]
    page.context.close()


def test_copy_mt_keeps_a_human_translation_when_there_is_no_mt(browser, base, database):
    path, docs = database
    row = segments(path, docs["reject"])[5]
    page = log_in(browser, base, "tom")
    open_document(page, base, docs["reject"])
    page.locator(f"#seg-{row['id']} textarea").focus()
    page.keyboard.press("Alt+m")
    page.wait_for_function(FLASH_HAS, arg="no machine translation")
    assert target(page, row["id"]) == row["target"] == EN_SENTENCES[4]
    page.context.close()
