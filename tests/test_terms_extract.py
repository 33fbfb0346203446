"""Term candidates grown from the work: extraction on a small aligned corpus with known
terms, `workbench terms extract --json`, and the reviewer's accept/edit/reject."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_support import add_users, login

from workbench.cli import cli
from workbench.store.db import connect, default_project, insert_document
from workbench.terms import entries as glossary
from workbench.terms.extract import extract
from workbench.web import create_app

FIXTURES = Path(__file__).parent / "fixtures" / "terms"


def tsv(name: str) -> list[tuple[str, str]]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]


def test_extraction_finds_the_known_multiword_terms():
    pairs, known = tsv("aligned_news.tsv"), set(tsv("known_terms.tsv"))
    found = {(c.source, c.target) for c in extract(pairs, "zh", "en")}
    right = found & known
    assert len(right) / len(known) >= 0.75  # recall
    assert len(right) / len(found) >= 0.75  # precision
    assert {
        ("大连理工大学", "Dalian University of Technology"),
        ("党委书记", "Party Secretary"),
        ("国家自然科学基金委员会", "National Natural Science Foundation of China"),
    } <= found


def test_frequency_threshold_and_known_terms():
    pairs = tsv("aligned_news.tsv")
    assert all(c.frequency >= 3 for c in extract(pairs, "zh", "en", min_frequency=3))
    found = extract(pairs, "zh", "en", known=["大连理工大学"])
    assert "大连理工大学" not in {c.source for c in found}


@pytest.fixture
def work_db(db_path):
    db = connect(db_path)
    project = default_project(db, "News")
    insert_document(
        db,
        {"title": "t", "source_lang": "zh", "target_lang": "en", "project_id": project,
         "kind": "aligned"},
        [{"source": s, "target": t, "status": "draft"} for s, t in tsv("aligned_news.tsv")],
        "test",
    )  # fmt: skip
    db.close()
    add_users(db_path)
    return db_path


def test_cli_extract_then_review_accept_edit_reject(work_db):
    result = CliRunner().invoke(
        cli, ["terms", "extract", "--project", "News", "--json", "--db", str(work_db)]
    )
    assert result.exit_code == 0, result.output
    found = {c["source"]: c for c in json.loads(result.stdout)}
    assert found["党委书记"]["target"] == "Party Secretary"
    client = login(create_app(str(work_db), TESTING=True).test_client(), "rita")
    page = client.get("/terms/candidates?project=News").get_data(as_text=True)
    assert "Party Secretary" in page and "term_candidates.js" in page
    accepted = client.post(
        f"/api/term-candidates/{found['党委书记']['id']}", json={"action": "accept"}
    )
    assert accepted.status_code == 200, accepted.get_json()
    edited = client.post(
        f"/api/term-candidates/{found['双一流']['id']}",
        json={"action": "accept", "target": "Double First-Class"},
    )
    assert edited.get_json()["status"] == "accepted"
    rejected = client.post(f"/api/term-candidates/{found['新生']['id']}", json={"action": "reject"})
    assert rejected.get_json()["status"] == "rejected"
    again = client.post(f"/api/term-candidates/{found['新生']['id']}", json={"action": "accept"})
    assert again.status_code == 400 and "already" in again.get_json()["error"]
    db = connect(work_db)
    entries = {e.source: e.target for e in glossary.entries(db, default_project(db, "News"))}
    assert entries == {"党委书记": "Party Secretary", "双一流": "Double First-Class"}
    # decided candidates (and glossary terms) are not proposed again
    rerun = CliRunner().invoke(
        cli, ["terms", "extract", "--project", "News", "--json", "--db", str(work_db)]
    )
    sources = {c["source"] for c in json.loads(rerun.stdout)}
    assert not sources & {"党委书记", "双一流", "新生"}
    translator = login(create_app(str(work_db), TESTING=True).test_client(), "tom")
    some = next(iter(json.loads(rerun.stdout)))
    denied = translator.post(f"/api/term-candidates/{some['id']}", json={"action": "accept"})
    assert denied.status_code == 403
