"""The scores page: figures and charts, server-rendered, behind the login."""

from __future__ import annotations

import pytest
from review_support import add_users, login

from workbench.review.saves import save_segment
from workbench.review.scoring import score_database
from workbench.store.db import connect
from workbench.web import create_app


@pytest.fixture
def client(seeded_db):
    add_users(seeded_db)
    return login(create_app(str(seeded_db), TESTING=True).test_client(), "tom")


def test_scores_page_without_approvals_says_so(client):
    page = client.get("/scores").get_data(as_text=True)
    assert "No approved segments yet" in page


def test_scores_page_shows_figures_charts_and_signatures(client, seeded_db):
    db = connect(seeded_db)
    for i, row in enumerate(db.query("SELECT * FROM segments WHERE translate ORDER BY id")):
        target = row["mt"] if i % 2 else row["mt"] + " 修改"
        save_segment(
            db,
            row["id"],
            base_version=row["version"],
            author="rita",
            target=target,
            status="approved",
        )
    page = client.get("/scores").get_data(as_text=True)
    overall = {s.direction: s for s in score_database(db)["overall"]}
    for direction, score in overall.items():
        assert f"{score.bleu:.2f}" in page and f"± {score.ci['bleu']:.2f}" in page
        assert f"HTER of approved segments, {direction}" in page
    assert page.count("<svg") == len(overall)  # one HTER histogram per direction (one day only)
    assert "tok:zh" in page and "asian:yes" in page
    by_user = client.get("/scores?by=user").get_data(as_text=True)
    assert "<td>rita</td>" in by_user


def test_scores_page_needs_a_login(seeded_db):
    add_users(seeded_db)
    response = create_app(str(seeded_db), TESTING=True).test_client().get("/scores")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_scores_of_tiny_model_output_say_so_on_the_page_and_in_json(client, seeded_db):
    import json

    from click.testing import CliRunner

    from workbench.cli import cli

    db = connect(seeded_db)
    row = next(iter(db.query("SELECT * FROM segments WHERE translate ORDER BY id LIMIT 1")))
    save_segment(
        db,
        row["id"],
        base_version=row["version"],
        author="rita",
        status="approved",
        target=row["mt"] + " 修改",
    )
    page = client.get("/scores").get_data(as_text=True)
    assert "tiny test model" in page and 'id="tiny-notice"' in page
    result = CliRunner().invoke(cli, ["score", "--db", str(seeded_db), "--json"])
    data = json.loads(result.stdout)
    assert "tiny test model" in data["warning"]
    assert data["overall"][0]["tiny_model_segments"] == 1
    text = CliRunner().invoke(cli, ["score", "--db", str(seeded_db)])
    assert "tiny test model" in text.stderr
