"""Inline codes in the editor (Chromium): chips in the source, Alt+I inserts the next
missing code, the export puts the codes back into the other tool's file."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_support import add_users, log_in, serving

from workbench.cli import cli
from workbench.store.db import connect

SCREENSHOTS = Path(__file__).resolve().parent / "output" / "screenshots"
FIXTURE = Path(__file__).parent / "fixtures" / "interchange" / "xliff" / "okapi_rainbow.xlf"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def database(tmp_path_factory, installed_models):
    path = tmp_path_factory.mktemp("codes") / "workbench.db"
    result = CliRunner().invoke(cli, ["import-xliff", str(FIXTURE), "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    add_users(path)
    return path, json.loads(result.stdout)["document_id"]


def test_codes_are_chips_and_alt_t_inserts_the_missing_one(browser, database, tmp_path):
    path, document_id = database
    db = connect(path)
    second = list(
        db.query("SELECT id FROM segments WHERE document_id = ? ORDER BY position", [document_id])
    )[1]["id"]
    db.close()
    with serving(path) as base:
        page = log_in(browser, base)
        page.goto(f"{base}/documents/{document_id}")
        page.wait_for_selector("tr.seg")
        row = page.locator(f"#seg-{second}")
        assert row.locator(".source-text .code-chip").all_inner_texts() == ["<g1>", "</g1>"]
        area = row.locator("textarea")
        area.fill("按")
        area.press("End")
        area.press("Alt+i")
        area.type("开始")
        area.press("Alt+i")
        area.type("。")
        assert area.input_value() == "按<g1>开始</g1>。"
        # Let the autosave of the typing finish first (approving races it otherwise).
        page.wait_for_function(
            "([id]) => !document.querySelector(`#seg-${id}`).classList.contains('unsaved')",
            arg=[second],
        )
        row.get_by_role("button", name="Approve").click()
        page.wait_for_function(
            "([id]) => document.querySelector(`#seg-${id} .status`).textContent === 'approved'",
            arg=[second],
        )
        page.context.close()
    out = tmp_path / "back.xlf"
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--format",
            "xliff",
            "--document",
            str(document_id),
            "-o",
            str(out),
            "--db",
            str(path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert '按<bx id="3" ctype="bold"/>开始<ex id="4"/>。</target>' in out.read_text("utf-8")


@pytest.fixture
def fresh(tmp_path, installed_models):
    """The Okapi file as a new document (each test edits its own copy); path, segment ids."""
    path = tmp_path / "workbench.db"
    result = CliRunner().invoke(cli, ["import-xliff", str(FIXTURE), "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    add_users(path)
    document_id = json.loads(result.stdout)["document_id"]
    db = connect(path)
    ids = [
        r["id"]
        for r in db.query(
            "SELECT id FROM segments WHERE document_id = ? AND translate ORDER BY position",
            [document_id],
        )
    ]
    db.close()
    return path, document_id, ids


def _chips(row) -> list[str]:
    return row.locator(".target-chips .code-chip").all_inner_texts()


@contextmanager
def _editor(browser, path, document_id):
    """The document open in the editor of a served database; yields the page."""
    with serving(path) as base:
        page = log_in(browser, base)
        try:
            page.goto(f"{base}/documents/{document_id}")
            page.wait_for_selector("tr.seg")
            yield page
        finally:
            page.context.close()


def test_codes_in_the_target_are_chips_under_their_text(browser, fresh):
    path, document_id, (first, second) = fresh
    with _editor(browser, path, document_id) as page:
        row = page.locator(f"#seg-{first}")
        # The stored target's codes are chips from the start, drawn under the code's text.
        assert _chips(row) == ["<g1>", "<g2>", "</g2>", "<x4/>", "</g1>"]
        area = row.locator("textarea")
        box = area.bounding_box()
        for chip in row.locator(".target-chips .code-chip").all():
            rect = chip.bounding_box()
            assert rect["width"] > 0
            assert box["x"] <= rect["x"] and rect["x"] + rect["width"] <= box["x"] + box["width"]
            assert box["y"] <= rect["y"] and rect["y"] + rect["height"] <= box["y"] + box["height"]
        # Typed or inserted codes become chips as they appear.
        other = page.locator(f"#seg-{second}")
        other.locator("textarea").fill("按")
        other.locator("textarea").press("End")
        other.locator("textarea").press("Alt+i")
        assert _chips(other) == ["<g1>"]
        other.locator("textarea").type("开始<x9/>")
        assert _chips(other) == ["<g1>", "<x9/>"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        other.screenshot(path=str(SCREENSHOTS / "target-chips.png"))


def test_a_code_in_the_target_is_one_unit_for_the_keyboard(browser, fresh):
    path, document_id, (_, second) = fresh
    with _editor(browser, path, document_id) as page:
        row = page.locator(f"#seg-{second}")
        area = row.locator("textarea")
        area.fill("Press <g1>Start</g1> now.")
        caret = "(el) => [el.selectionStart, el.selectionEnd]"
        area.press("Home")
        for _ in range(6):
            area.press("ArrowRight")
        assert area.evaluate(caret) == [6, 6]
        area.press("ArrowRight")  # over the whole <g1>
        assert area.evaluate(caret) == [10, 10]
        area.press("ArrowLeft")
        assert area.evaluate(caret) == [6, 6]
        area.press("Shift+ArrowRight")  # the selection takes the whole code
        assert area.evaluate(caret) == [6, 10]
        # A click or script that puts the caret inside a code: typing there is refused.
        area.evaluate("(el) => el.setSelectionRange(8, 8)")
        page.keyboard.type("x")
        assert area.input_value() == "Press <g1>Start</g1> now."
        # Backspace right after a code removes the whole code; so does Delete before one.
        area.evaluate("(el) => el.setSelectionRange(20, 20)")  # after </g1>
        area.press("Backspace")
        assert area.input_value() == "Press <g1>Start now."
        area.evaluate("(el) => el.setSelectionRange(6, 6)")  # before <g1>
        area.press("Delete")
        assert area.input_value() == "Press Start now."
        assert _chips(row) == []
        area.press("Control+z")  # the box's own undo takes the whole code back
        assert area.input_value() == "Press <g1>Start now."
        assert _chips(row) == ["<g1>"]


def test_moving_a_code_by_keyboard_and_qa_after_the_move(browser, fresh):
    path, document_id, (_, second) = fresh
    with _editor(browser, path, document_id) as page:
        row = page.locator(f"#seg-{second}")
        area = row.locator("textarea")
        area.fill("Press <g1>Start</g1> now.")
        area.evaluate("(el) => el.setSelectionRange(20, 20)")  # just after </g1>
        area.press("Alt+Shift+ArrowRight")  # </g1> one word right
        assert area.input_value() == "Press <g1>Start now</g1>."
        assert area.evaluate("(el) => el.selectionStart") == 24  # still just after it
        area.press("Alt+Shift+ArrowLeft")
        assert area.input_value() == "Press <g1>Start </g1>now."
        page.wait_for_function(
            "(id) => !document.querySelector(`#seg-${id}`).classList.contains('unsaved')",
            arg=second,
        )
        assert row.locator(".qa li[data-code=tags]").count() == 0
        # Two words further left the close code comes before its open code: QA says so.
        area.press("Alt+Shift+ArrowLeft")
        area.press("Alt+Shift+ArrowLeft")
        assert area.input_value() == "</g1>Press <g1>Start now."
        assert _chips(row) == ["</g1>", "<g1>"]
        page.wait_for_selector(f"#seg-{second} .qa li[data-code=tags]")
        message = row.locator(".qa li[data-code=tags]").get_attribute("title")
        assert "wrong order" in message
        db = connect(path)
        assert db["segments"].get(second)["target"] == "</g1>Press <g1>Start now."
        db.close()
