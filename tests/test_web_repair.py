"""Alignment repair through the JSON API on an article aligned with its human translation:
move a target sentence up or down, mark a source without counterpart, split at offsets,
each undone; stale repairs are conflicts; live counts and re-reading rows by id."""

from __future__ import annotations

import pytest
from review_support import (
    EN_SENTENCES,
    ZH_SENTENCES,
    add_users,
    import_harbour,
    login,
    segments,
)

from workbench.store.db import connect
from workbench.web import create_app


@pytest.fixture
def doc_id(db_path) -> int:
    connect(db_path).close()
    add_users(db_path)
    return import_harbour(db_path)


@pytest.fixture
def client(db_path, doc_id):
    return login(create_app(str(db_path), TESTING=True).test_client(), "tom")


def repair(client, segment: dict, op: str, **extra):
    return client.post(f"/api/segments/{segment['id']}/repair", json={"op": op, **extra})


def pairs(db_path, doc_id) -> list[tuple[str, str]]:
    return [(s["source"], s["target"]) for s in segments(db_path, doc_id)]


def test_move_target_down_then_up_and_undo_each(client, db_path, doc_id):
    before = pairs(db_path, doc_id)
    rows = segments(db_path, doc_id)
    # merge the targets of #2 and #3 first, as a bad alignment would have them
    moved = repair(client, rows[3], "move-up", version=rows[3]["version"])
    assert moved.status_code == 200, moved.get_json()
    after = segments(db_path, doc_id)
    assert after[2]["target"] == f"{EN_SENTENCES[1]} {EN_SENTENCES[2]}"
    assert after[3]["target"] == "" and after[3]["status"] == "draft"
    back = repair(client, after[2], "move-down", version=after[2]["version"])
    assert back.status_code == 200, back.get_json()
    assert pairs(db_path, doc_id) == before
    assert client.post(f"/api/documents/{doc_id}/undo").status_code == 200  # the move-down
    assert segments(db_path, doc_id)[3]["target"] == ""
    assert client.post(f"/api/documents/{doc_id}/undo").status_code == 200  # the move-up
    assert pairs(db_path, doc_id) == before
    history = client.get(f"/api/segments/{rows[3]['id']}/history").get_json()
    assert [h["action"] for h in history[:4]] == ["undo", "undo", "move-down", "move-up"]


def test_move_refused_at_the_edges_and_without_target(client, db_path, doc_id):
    rows = segments(db_path, doc_id)
    first = repair(client, rows[0], "move-up")
    assert first.status_code == 400 and "no previous segment" in first.get_json()["error"]
    last = repair(client, rows[-1], "move-down")
    assert last.status_code == 400 and "no next segment" in last.get_json()["error"]


def test_no_counterpart_and_undo(client, db_path, doc_id):
    rows = segments(db_path, doc_id)
    marked = repair(client, rows[4], "no-counterpart", version=rows[4]["version"])
    assert marked.status_code == 200, marked.get_json()
    after = segments(db_path, doc_id)
    assert len(after) == len(rows) + 1
    assert (after[4]["source"], after[4]["target"]) == (ZH_SENTENCES[3], "")
    assert (after[5]["source"], after[5]["target"]) == ("", EN_SENTENCES[3])
    again = repair(client, after[4], "no-counterpart")
    assert again.status_code == 400 and "already has no target" in again.get_json()["error"]
    assert client.post(f"/api/documents/{doc_id}/undo").status_code == 200
    assert [s["id"] for s in segments(db_path, doc_id)] == [s["id"] for s in rows]
    assert pairs(db_path, doc_id) == [(s["source"], s["target"]) for s in rows]


def test_split_at_the_cursor_offsets_and_undo(client, db_path, doc_id):
    rows = segments(db_path, doc_id)
    merged = repair(client, rows[1], "merge", version=rows[1]["version"])
    assert merged.status_code == 200
    whole = segments(db_path, doc_id)[1]
    assert whole["source"] == ZH_SENTENCES[0] + ZH_SENTENCES[1]
    split = repair(
        client,
        whole,
        "split",
        version=whole["version"],
        source_offset=len(ZH_SENTENCES[0]),
        target_offset=len(EN_SENTENCES[0]) + 1,
    )
    assert split.status_code == 200, split.get_json()
    after = segments(db_path, doc_id)
    assert pairs(db_path, doc_id)[1:3] == [
        (ZH_SENTENCES[0], EN_SENTENCES[0]),
        (ZH_SENTENCES[1], EN_SENTENCES[1]),
    ]
    assert after[1]["id"] == rows[1]["id"] and after[2]["status"] == "draft"
    assert client.post(f"/api/documents/{doc_id}/undo").status_code == 200  # the split
    assert segments(db_path, doc_id)[1]["source"] == whole["source"]
    assert client.post(f"/api/documents/{doc_id}/undo").status_code == 200  # the merge
    assert pairs(db_path, doc_id) == [(s["source"], s["target"]) for s in rows]
    nothing = client.post(f"/api/documents/{doc_id}/undo")
    assert nothing.status_code == 400 and "nothing to undo" in nothing.get_json()["error"]


@pytest.mark.parametrize(
    "offsets, message",
    [
        ({"source_offset": 0, "target_offset": 3}, "inside the text"),
        ({"source_offset": 3, "target_offset": 999}, "between 0 and"),
        ({"source_offset": "3", "target_offset": 0}, "integers"),
    ],
)
def test_split_refuses_offsets_outside_the_text(client, db_path, doc_id, offsets, message):
    row = segments(db_path, doc_id)[1]
    response = repair(client, row, "split", **offsets)
    assert response.status_code == 400 and message in response.get_json()["error"]
    assert segments(db_path, doc_id)[1]["version"] == row["version"]


def test_a_repair_on_a_version_the_user_did_not_see_is_a_conflict(client, db_path, doc_id):
    row = segments(db_path, doc_id)[2]
    saved = client.put(
        f"/api/segments/{row['id']}",
        json={"target": "Edited elsewhere.", "version": row["version"]},
    )
    assert saved.status_code == 200
    stale = repair(client, row, "move-down", version=row["version"])
    assert stale.status_code == 409
    assert stale.get_json()["current"]["target"] == "Edited elsewhere."
    assert segments(db_path, doc_id)[3]["target"] == EN_SENTENCES[2]  # nothing moved
    bad = repair(client, row, "move-down", version="2")
    assert bad.status_code == 400 and "version" in bad.get_json()["error"]


def test_undo_is_refused_when_a_repaired_segment_was_edited_since(client, db_path, doc_id):
    row = segments(db_path, doc_id)[3]
    assert repair(client, row, "move-up").status_code == 200
    above = segments(db_path, doc_id)[2]
    client.put(
        f"/api/segments/{above['id']}", json={"target": "Rewritten.", "version": above["version"]}
    )
    refused = client.post(f"/api/documents/{doc_id}/undo")
    assert refused.status_code == 400 and "was changed" in refused.get_json()["error"]
    assert segments(db_path, doc_id)[2]["target"] == "Rewritten."


def test_stats_without_words_and_segments_by_id(client, db_path, doc_id):
    rows = segments(db_path, doc_id)
    counts = client.get(f"/api/documents/{doc_id}/stats?words=0").get_json()
    assert counts == {
        "counts": {"new": 0, "draft": 7, "translated": 0, "approved": 0, "rejected": 0}
    }
    client.put(
        f"/api/segments/{rows[0]['id']}",
        json={"status": "translated", "version": rows[0]["version"]},
    )
    stats = client.get(f"/api/documents/{doc_id}/stats").get_json()
    assert stats["counts"]["translated"] == 1 and stats["counts"]["draft"] == 6
    assert stats["words"]["target"] == sum(len(s["target"].split()) for s in rows)
    picked = client.get(
        f"/api/documents/{doc_id}/segments?status=draft&ids={rows[0]['id']},{rows[2]['id']}"
    )
    assert [s["id"] for s in picked.get_json()] == [rows[0]["id"], rows[2]["id"]]  # filters off
    assert client.get(f"/api/documents/{doc_id}/segments?ids=x").status_code == 400
