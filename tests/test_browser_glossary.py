"""The glossary and TM leverage in a real browser (Debian's Chromium through Playwright):
terms highlighted, Alt+T then a digit inserts, Alt+G adds from a selection; a confirm
offers to copy the target to repetitions, undone in one click; term candidates decided
with one key."""

from __future__ import annotations

import pytest
from review_support import add_users, log_in, serving

from workbench.store.db import connect, default_project, insert_document
from workbench.terms import entries as glossary

pytestmark = pytest.mark.browser

SOURCES = [
    "大连理工大学举行开学典礼。",
    "党委书记王寒松出席。",
    "新华社大连电",
    "新生代表发言。",
    "新华社大连电",
]


@pytest.fixture
def database(db_path):
    db = connect(db_path)
    project = default_project(db, "News")
    doc = insert_document(
        db,
        {"title": "开学", "source_lang": "zh", "target_lang": "en", "project_id": project},
        [{"source": s} for s in SOURCES],
        "test",
    )
    with db.atomic():
        glossary.save(
            db,
            glossary.Entry(
                "大连理工大学", "Dalian University of Technology", "zh-CN", "en-US",
                target_variants=["DUT"], project_id=project,
            ),
        )  # fmt: skip
        db.execute(
            "INSERT INTO term_candidates (project_id, source_lang, target_lang, source, target,"
            " frequency, score, created_at) VALUES (?, 'zh', 'en', '开学典礼', 'opening ceremony',"
            " 3, 1.0, '2024-01-01'), (?, 'zh', 'en', '新生', 'freshmen', 2, 0.8, '2024-01-01')",
            [project, project],
        )
    db.close()
    add_users(db_path)
    return db_path, doc


def test_highlight_insert_with_keyboard_and_add_from_selection(database):
    from review_support import chromium

    path, doc = database
    with chromium() as browser, serving(path) as base:
        page = log_in(browser, base, "tom")
        page.goto(f"{base}/documents/{doc}")
        first = page.locator("tr.seg").nth(0)
        mark = first.locator("mark.term")
        mark.wait_for()
        assert mark.text_content() == "大连理工大学"
        box = first.locator("textarea")
        box.click()
        box.fill("")
        box.type("Today ")
        panel = page.locator("#glossary-terms")
        assert "Dalian University of Technology" in panel.text_content()
        page.keyboard.press("Alt+t")
        page.keyboard.press("1")
        assert box.input_value() == "Today Dalian University of Technology"
        # add 党委书记 → Party Secretary from a selection in the source and in the target
        second = page.locator("tr.seg").nth(1)
        target = second.locator("textarea")
        target.click()
        target.fill("Party Secretary Wang Hansong attended.")
        second.locator(".source-text").evaluate(
            """cell => {
                const text = cell.firstChild;
                const range = document.createRange();
                range.setStart(text, 0);
                range.setEnd(text, 4);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
            }"""
        )
        page.wait_for_timeout(100)  # selectionchange is dispatched asynchronously
        target.focus()
        target.evaluate("area => area.setSelectionRange(0, 15)")
        page.keyboard.press("Alt+g")
        second.locator("mark.term").wait_for()
        assert second.locator("mark.term").text_content() == "党委书记"
        db = connect(path)
        added = {e.source: e.target for e in glossary.entries(db, default_project(db, "News"))}
        db.close()
        assert added["党委书记"] == "Party Secretary"


def test_confirm_offers_propagation_and_one_click_undo(database):
    from review_support import chromium

    path, doc = database
    with chromium() as browser, serving(path) as base:
        page = log_in(browser, base, "tom")
        page.goto(f"{base}/documents/{doc}")
        dateline = page.locator("tr.seg").nth(2)
        box = dateline.locator("textarea")
        box.click()
        box.fill("DALIAN (Xinhua)")
        dateline.get_by_role("button", name="Confirm").click()
        offer = page.locator("#propagate-offer")
        offer.get_by_role("button", name="Copy to 1 repetition(s) in the document").click()
        last = page.locator("tr.seg").nth(4).locator("textarea")
        page.wait_for_function(
            "() => document.querySelectorAll('tr.seg textarea')[4].value === 'DALIAN (Xinhua)'"
        )
        offer.get_by_role("button", name="Undo").click()
        page.wait_for_function("() => document.querySelectorAll('tr.seg textarea')[4].value === ''")
        assert last.input_value() == ""
        page.get_by_role("button", name="Analyse against the TM").click()
        page.locator("#analysis tr[data-band='repetitions']").wait_for()
        assert page.locator("#analysis tr[data-band='repetitions'] td").nth(1).text_content() == "1"


def test_term_candidates_one_key_each(database):
    from review_support import chromium

    path, _ = database
    with chromium() as browser, serving(path) as base:
        page = log_in(browser, base, "rita")
        page.goto(f"{base}/terms/candidates?project=News")
        rows = page.locator("tr.candidate")
        rows.nth(0).wait_for()
        page.keyboard.press("e")
        page.keyboard.type("the opening ceremony")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('tr.candidate').dataset.done")
        page.keyboard.press("r")
        page.wait_for_function(
            "() => document.querySelectorAll('tr.candidate')[1].dataset.done === 'rejected'"
        )
        db = connect(path)
        entries = {e.source: e.target for e in glossary.entries(db, default_project(db, "News"))}
        db.close()
        assert entries["开学典礼"] == "the opening ceremony" and "新生" not in entries
