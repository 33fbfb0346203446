"""Inline codes in the editor (Chromium): chips in the source, Alt+I inserts the next
missing code, the export puts the codes back into the other tool's file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_support import add_users, log_in, serving

from workbench.cli import cli
from workbench.store.db import connect

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
        assert row.locator(".code-chip").all_inner_texts() == ["<g1>", "</g1>"]
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
