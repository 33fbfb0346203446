"""The editor a translator opens (issue 13), driven in Debian's Chromium: density on the
first screen, collapsed page furniture, the MT shown once and honestly, and the bugs a
new user met (conflict panel, "empty" MT, revert, QA on confirm, TM diff, timestamps,
split dialog, splitting an MT-only segment). Screenshots of the main pages go to
tests/output/screenshots so a layout change is visible in review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_support import PASSWORDS, add_users, serving

from workbench.review.saves import save_segment
from workbench.store.db import connect, insert_document

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SCREENSHOTS = Path(__file__).resolve().parent / "output" / "screenshots"
FURNISHED = "西部985"  # the seed article with 22 lines of page furniture

pytestmark = pytest.mark.browser

# Sentence-length segments (a news report), as a translator meets them.
ZH = [
    "经过两年的施工，城东的老港口于上周五正式重新对外开放。",
    "市长在开幕式上发表讲话，感谢所有参与建设的工人和工程师。",
    "她表示，港口的重新开放将为城市带来数千个新的就业机会。",
    "第一艘货船于当天上午十点抵达码头，船上装载了三百个集装箱。",
    "码头工人们花了将近六个小时才完成全部卸货工作。",
    "港务局预计，今年的货物吞吐量将比去年增长百分之十五。",
]
EN = [
    "After two years of construction, the old harbour in the east of the city reopened on Friday.",
    "The mayor spoke at the opening ceremony and thanked all the workers and engineers involved.",
    "She said the reopening of the harbour would bring thousands of new jobs to the city.",
    "The first cargo ship reached the quay at ten that morning, carrying three hundred containers.",
    "The dock workers needed almost six hours to finish unloading all of the cargo.",
    "The port authority expects this year's cargo volume to grow by fifteen percent on last year.",
]


@pytest.fixture(scope="module")
def database(tmp_path_factory, installed_models):
    from workbench.cli import cli

    path = tmp_path_factory.mktemp("editor") / "workbench.db"
    result = CliRunner().invoke(
        cli, ["import", *sorted(map(str, SEEDS.glob("*.txt"))), "--db", str(path)]
    )
    assert result.exit_code == 0, result.output
    add_users(path)
    return path


@pytest.fixture(scope="module")
def base(database):
    with serving(database) as url:
        yield url


def new_report(database, n: int = 30) -> int:
    """A machine-translated zh→en report of ``n`` sentence-length segments; its id."""
    db = connect(database)
    segments = [{"source": ZH[i % 6], "mt": EN[i % 6], "confidence": 0.8} for i in range(n)]
    doc = insert_document(
        db,
        {
            "title": "Harbour report",
            "filename": "report.txt",
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


def doc_id(database, title_part: str) -> int:
    db = connect(database)
    found = db.execute(
        "SELECT id FROM documents WHERE title LIKE ? ORDER BY id", [f"%{title_part}%"]
    ).fetchone()
    db.close()
    return found[0]


def rows_of(database, document_id: int) -> list[dict]:
    db = connect(database)
    rows = list(
        db.query(
            "SELECT * FROM segments WHERE document_id = ? AND translate ORDER BY position",
            [document_id],
        )
    )
    db.close()
    return rows


def open_document(page, base: str, document_id: int) -> None:
    page.goto(f"{base}/documents/{document_id}")
    page.wait_for_selector("tr.seg")
    page.wait_for_load_state("load")


def logged_in_context(browser, base: str, name: str = "rita", **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")
    return page


FULLY_VISIBLE = """() => [...document.querySelectorAll('tr.seg')].filter((row) => {
  const box = row.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}).length"""


def test_ten_sentences_on_the_first_screen_and_six_at_125_percent(browser, base, database):
    doc = new_report(database)
    page = logged_in_context(browser, base, viewport={"width": 1366, "height": 768})
    open_document(page, base, doc)
    assert page.evaluate(FULLY_VISIBLE) >= 10
    # The MT is shown once: pre-filled in the box, marked as unedited MT, no "MT:" line.
    first = page.locator("tr.seg").first
    assert first.locator("textarea").input_value() == EN[0]
    assert first.locator(".mt-mark").is_visible()
    assert not first.locator(".mt").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "editor-1366x768.png"))
    page.context.close()
    # 1280×720 at the browser's 125% zoom: a 1024×576 CSS-pixel viewport.
    zoomed = logged_in_context(
        browser, base, viewport={"width": 1024, "height": 576}, device_scale_factor=1.25
    )
    open_document(zoomed, base, doc)
    assert zoomed.evaluate(FULLY_VISIBLE) >= 6
    zoomed.screenshot(path=str(SCREENSHOTS / "editor-1280x720-125.png"))
    zoomed.context.close()


def test_active_row_expanded_and_qa_explained_in_the_side_panel(browser, base, database):
    doc = doc_id(database, FURNISHED)
    page = logged_in_context(browser, base, viewport={"width": 1366, "height": 768})
    open_document(page, base, doc)
    flagged = page.locator("tr.seg:has(.flag)").first
    compact = flagged.bounding_box()["height"]
    approve = flagged.get_by_role("button", name="Approve")
    assert approve.is_visible() and approve.bounding_box()["width"] <= 30  # an icon
    flag = flagged.locator(".flag").first
    code = flag.get_attribute("data-code")
    assert flag.bounding_box()["width"] <= 20  # a small icon, its text on hover
    flagged.locator("textarea").focus()
    # The active row expands: each flag named, and explained in the QA panel.
    assert flagged.bounding_box()["height"] >= compact
    assert flag.inner_text() == code and flag.bounding_box()["width"] > 20
    assert code in page.locator("#qa-list").inner_text()
    assert flag.get_attribute("title") in page.locator("#qa-list").inner_text()
    # Chinese is set in a CJK font, never a synthesised italic.
    source = flagged.locator(".source-text")
    family = source.evaluate("e => getComputedStyle(e).fontFamily")
    assert "Noto Sans CJK SC" in family
    assert source.evaluate("e => getComputedStyle(e).fontStyle") == "normal"
    page.context.close()


def test_furniture_runs_are_one_thin_row_and_never_counted(browser, base, database):
    doc = doc_id(database, FURNISHED)
    rows = rows_of(database, doc)
    page = logged_in_context(browser, base)
    open_document(page, base, doc)
    runs = page.locator("tr.furniture-run")
    labels = runs.all_inner_texts()
    assert any(re.search(r"\b21 related lines, not for translation", t) for t in labels), labels
    assert page.locator("tr.furniture").first.is_hidden()
    assert page.locator("tr.seg").count() == len(rows) == 18
    assert page.get_by_role("button", name=re.compile(r"Approve QA-clean")).inner_text() == (
        f"Approve QA-clean ({len(rows)})"
    )
    assert page.locator("#count-total").inner_text() == str(len(rows))
    big = runs.filter(has_text="21 related")
    big.click()
    following = page.locator("tr.furniture-run[aria-expanded=true] ~ tr.furniture").first
    assert following.is_visible()
    assert following.evaluate("e => getComputedStyle(e.cells[1]).fontStyle") == "normal"
    big.focus()
    page.keyboard.press("Enter")
    assert page.locator("tr.furniture").first.is_hidden()
    page.context.close()


def test_conflict_panel_hidden_until_a_conflict_and_gone_after_keep_mine(browser, base, database):
    doc = new_report(database, 4)
    segment = rows_of(database, doc)[0]
    page = logged_in_context(browser, base)
    open_document(page, base, doc)
    panel = page.locator(f"#seg-{segment['id']} .conflict")
    assert page.locator(".conflict:visible").count() == 0
    db = connect(database)
    save_segment(db, segment["id"], base_version=1, author="tom", target="Tom's version.")
    db.close()
    page.locator(f"#seg-{segment['id']} textarea").fill("Rita's version.")
    panel.wait_for(state="visible")
    assert "ago" in panel.inner_text() or "just now" in panel.inner_text()
    assert panel.locator("time").get_attribute("title")
    panel.get_by_role("button", name="Keep mine").click()
    panel.wait_for(state="hidden")
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id} .saved`).textContent.startsWith('saved')",
        arg=segment["id"],
    )
    assert panel.bounding_box() is None
    assert rows_of(database, doc)[0]["target"] == "Rita's version."
    page.context.close()


def test_prefilled_mt_is_not_empty_and_alt_n_explains(browser, base, database):
    doc = new_report(database, 4)
    page = logged_in_context(browser, base)
    open_document(page, base, doc)
    assert page.locator("tr.seg[data-prefilled]").count() == 4
    assert page.locator(".flag-empty").count() == 0
    first = rows_of(database, doc)[0]
    page.locator(f"#seg-{first['id']} textarea").focus()
    page.keyboard.press("Alt+n")
    message = page.locator("#bulk-result")
    message.wait_for(state="visible")
    assert "unedited MT" in message.inner_text()
    assert "already has no target" not in message.inner_text()
    assert rows_of(database, doc)[0]["version"] == first["version"]  # nothing changed
    page.context.close()


def test_revert_to_v1_shows_the_mt_again(browser, base, database):
    doc = new_report(database, 4)
    segment = rows_of(database, doc)[1]
    page = logged_in_context(browser, base)
    open_document(page, base, doc)
    box = page.locator(f"#seg-{segment['id']} textarea")
    box.fill("An edit to take back.")
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id}`).dataset.status === 'draft'",
        arg=segment["id"],
    )
    page.keyboard.press("Alt+h")
    page.get_by_role("button", name="Revert to v1").click()
    page.wait_for_function(
        "([id, mt]) => document.querySelector(`#seg-${id} textarea`).value === mt",
        arg=[segment["id"], segment["mt"]],
    )
    row = page.locator(f"#seg-{segment['id']}")
    assert row.get_attribute("data-prefilled") == "1"
    assert row.locator(".mt-mark").is_visible()
    # The history's times are relative, the exact local time on hover.
    stamp = page.locator("#history time").first
    assert re.fullmatch(r"just now|\d+ (min|h|days?) ago", stamp.inner_text())
    assert stamp.get_attribute("title") and "T" not in stamp.get_attribute("title")
    page.context.close()


def test_confirming_with_qa_flags_asks_once_and_a_setting_turns_it_off(browser, base, database):
    doc = new_report(database, 4)
    rows = rows_of(database, doc)
    db = connect(database)
    for row in rows[:2]:  # a number the source does not have: a QA flag
        save_segment(
            db, row["id"], base_version=1, author="tom", target="Flagged in 1999.", status="draft"
        )
    db.close()
    page = logged_in_context(browser, base)
    open_document(page, base, doc)
    first = page.locator(f"#seg-{rows[0]['id']}")
    assert first.locator(".flag").count() > 0
    first.locator("textarea").focus()
    page.keyboard.press("Control+Enter")
    dialog = page.locator("#qa-dialog")
    dialog.wait_for(state="visible")
    assert first.locator(".flag").first.get_attribute("data-code") in dialog.inner_text()
    page.keyboard.press("Escape")
    assert first.get_attribute("data-status") == "draft"
    page.keyboard.press("Control+Enter")  # asked once already: confirms
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id}`).dataset.status === 'approved'",
        arg=rows[0]["id"],
    )
    assert not dialog.is_visible()
    page.locator("#settings summary").click()
    page.get_by_label("Ask before confirming a segment with QA flags").uncheck()
    page.locator(f"#seg-{rows[1]['id']} textarea").focus()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "id => document.querySelector(`#seg-${id}`).dataset.status === 'approved'",
        arg=rows[1]["id"],
    )
    assert not dialog.is_visible()
    page.evaluate("localStorage.clear()")
    page.context.close()


def test_tm_matches_show_what_differs_and_never_the_segments_own(browser, base, database):
    from workbench.tm import memory as tm

    doc = new_report(database, 4)
    segment = rows_of(database, doc)[2]
    db = connect(database)
    save_segment(
        db, segment["id"], base_version=1, author="rita", target="Own approved.", status="approved"
    )
    fuzzy = segment["source"].replace("数千个", "许多")
    tm.add_unit(db, fuzzy, "Fuzzy memory.", "zh", "en", "tmx:test")
    db.close()
    page = logged_in_context(browser, base)
    open_document(page, base, doc)
    page.locator(f"#seg-{segment['id']} textarea").focus()
    page.wait_for_selector("#tm-matches .score")
    matches = page.locator("#tm-matches").inner_text()
    assert "Fuzzy memory." in matches and "Own approved." not in matches
    diff = page.locator("#tm-matches .match-diff").first
    assert "".join(diff.locator("del").all_inner_texts()) == "许多"
    assert "".join(diff.locator("ins").all_inner_texts()) == "数千个"
    page.context.close()


def test_split_dialog_shows_the_whole_source_from_its_start(browser, base, database):
    doc = doc_id(database, FURNISHED)
    longest = max(rows_of(database, doc), key=lambda r: len(r["source"]))
    page = logged_in_context(browser, base)
    open_document(page, base, doc)
    page.locator(f"#seg-{longest['id']} textarea").focus()
    page.keyboard.press("Alt+s")
    source = page.locator("#split-dialog textarea[name=source]")
    source.wait_for(state="visible")
    assert source.evaluate("t => t.scrollTop") == 0
    assert source.evaluate("t => t.scrollHeight <= t.clientHeight + 1")
    page.keyboard.press("Escape")
    page.context.close()


def test_splitting_an_mt_only_segment_keeps_mt_for_both_halves(browser, base, database):
    doc = new_report(database, 3)
    segment = rows_of(database, doc)[1]
    page = logged_in_context(browser, base)
    open_document(page, base, doc)
    page.locator(f"#seg-{segment['id']} textarea").focus()
    page.keyboard.press("Alt+s")
    source = page.locator("#split-dialog textarea[name=source]")
    cut = segment["source"].index("，") + 1
    source.evaluate(f"t => t.setSelectionRange({cut}, {cut})")
    page.locator("#split-dialog").get_by_role("button", name="Split").click()
    page.wait_for_function("() => document.querySelectorAll('tr.seg').length === 4")
    first, second = rows_of(database, doc)[1:3]
    assert first["mt"] and second["mt"]
    assert (first["status"], second["status"]) == ("new", "new")
    for part in (first, second):
        row = page.locator(f"#seg-{part['id']}")
        assert row.locator("textarea").input_value() == part["mt"]
        assert row.locator(".status").inner_text() == "new"
    page.context.close()


def test_screenshots_of_the_main_pages(browser, base, database):
    """Not an assertion of looks: the pictures are for a reviewer of a layout change."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = logged_in_context(browser, base, viewport={"width": 1366, "height": 768})
    page.screenshot(path=str(SCREENSHOTS / "documents.png"), full_page=True)
    open_document(page, base, doc_id(database, FURNISHED))
    page.screenshot(path=str(SCREENSHOTS / "editor.png"))
    page.goto(base + "/scores")
    page.screenshot(path=str(SCREENSHOTS / "scores.png"), full_page=True)
    page.goto(base + "/upload")
    page.screenshot(path=str(SCREENSHOTS / "upload.png"), full_page=True)
    for name in ("documents", "editor", "scores", "upload"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 5000
    page.context.close()


def rewritten_report(database, n: int = 40) -> int:
    """A report whose every target rewrites its MT (different numbers keep the edits apart)."""
    db = connect(database)
    segments = [
        {
            "source": f"{ZH[i % 6]}（第{i}段）",
            "mt": f"On day {i} the harbour reopened and the mayor gave a speech at the ceremony.",
            "target": f"The mayor spoke at the ceremony when the harbour reopened on day {i}.",
            "status": "draft",
        }
        for i in range(n)
    ]
    doc = insert_document(
        db, {"title": "Rewritten report", "source_lang": "zh", "target_lang": "en"}, segments, "t"
    )
    db.close()
    return doc


def test_rows_the_page_had_no_time_to_measure_get_their_hter_after_it_opens(
    browser, base, database, monkeypatch
):
    """An editor page measures edits (HTER, diff) within a time budget; a page of heavy
    rewrites took seconds. The rows left over say "…" and the browser fills them in."""
    from workbench.web import queries

    monkeypatch.setattr(queries, "PAGE_MEASURE_SECONDS", 0.0)  # no row measured by the page
    doc = rewritten_report(database)
    page = logged_in_context(browser, base)
    sent = page.request.get(f"{base}/documents/{doc}").text()  # the page as the server sends it
    assert sent.count('data-pending="1"') == 40
    page.goto(f"{base}/documents/{doc}")
    page.wait_for_function("() => document.querySelectorAll('.effort[data-pending]').length === 0")
    shown = page.locator("tr.seg .hter").all_inner_texts()
    assert len(shown) == 40 and all(re.fullmatch(r"≈?\d(\.\d+)?", t) for t in shown), shown
    first = page.locator("tr.seg").first
    assert "reopened" in first.locator(".diff").inner_html()
    page.context.close()
