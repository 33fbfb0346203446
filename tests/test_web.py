"""The review flow through Flask's test client."""

from __future__ import annotations

import pytest

from workbench.db import connect
from workbench.web import create_app


@pytest.fixture
def client(seeded_db):
    app = create_app(str(seeded_db), TESTING=True)
    return app.test_client()


def first_segment(client) -> dict:
    documents = client.get("/api/documents").get_json()
    segments = client.get(f"/api/documents/{documents[0]['id']}/segments").get_json()
    return next(s for s in segments if s["translate"])


def test_documents_page_lists_every_document_and_warns_about_tiny_model(client):
    page = client.get("/").get_data(as_text=True)
    assert page.count("/documents/") == 5
    assert "tiny test model" in page


def test_document_page_shows_source_mt_and_editable_target(client):
    segment = first_segment(client)
    page = client.get(f"/documents/{segment['document_id']}").get_data(as_text=True)
    assert "<textarea" in page
    assert segment["mt"] in page or segment["mt"].replace("&", "&amp;") in page
    assert "not for translation" in page


def test_post_edit_and_approve(client, seeded_db):
    segment = first_segment(client)
    saved = client.put(
        f"/api/segments/{segment['id']}",
        json={"target": "Edited translation.", "status": "draft", "version": segment["version"]},
    )
    assert saved.status_code == 200
    assert saved.get_json()["version"] == segment["version"] + 1
    approved = client.put(
        f"/api/segments/{segment['id']}",
        json={"status": "approved", "version": segment["version"] + 1},
    )
    assert approved.status_code == 200
    row = connect(seeded_db)["segments"].get(segment["id"])
    assert (row["target"], row["status"]) == ("Edited translation.", "approved")
    history = list(
        connect(seeded_db).query(
            "SELECT action, status, target FROM revisions WHERE segment_id = ? ORDER BY id",
            [segment["id"]],
        )
    )
    assert [h["status"] for h in history] == ["new", "draft", "approved"]


def test_stale_save_is_a_conflict_and_loses_nothing(client, seeded_db):
    segment = first_segment(client)
    url = f"/api/segments/{segment['id']}"
    first = client.put(url, json={"target": "First editor.", "version": segment["version"]})
    assert first.status_code == 200
    second = client.put(url, json={"target": "Second editor.", "version": segment["version"]})
    assert second.status_code == 409
    assert second.get_json()["current"]["target"] == "First editor."
    assert connect(seeded_db)["segments"].get(segment["id"])["target"] == "First editor."


@pytest.mark.parametrize(
    "body, message",
    [
        ("not json", "JSON object"),
        ({"target": "x"}, "version"),
        ({"target": 5, "version": 1}, "target must be a string"),
        ({"status": "done", "version": 1}, "status must be one of"),
    ],
)
def test_bad_requests_get_a_message(client, body, message):
    segment = first_segment(client)
    kwargs = {"json": body} if isinstance(body, dict) else {"data": body}
    response = client.put(f"/api/segments/{segment['id']}", **kwargs)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_unknown_ids_are_404(client):
    assert client.get("/documents/999").status_code == 404
    assert client.get("/api/segments/999999").status_code == 404
    assert client.put("/api/segments/999999", json={"version": 1}).status_code == 404
