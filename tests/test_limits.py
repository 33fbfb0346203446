"""Bounded work for every input: a linear Markdown parser, limits on segments and on a
target's length, HTER and diffs on long text in bounded time, and every bad API input a
JSON 400/413 with a message (never an HTML 500)."""

from __future__ import annotations

import time

import pytest
from review_support import add_users, docx_bytes, import_harbour, login, segments

from workbench.exchange.reimport import apply_xliff
from workbench.formats.xliff import read_xliff
from workbench.ingest import readers
from workbench.review import postedit
from workbench.store import db as storage
from workbench.store.db import connect
from workbench.web import create_app


def cpu(function, *args) -> float:
    start = time.process_time()
    function(*args)
    return time.process_time() - start


@pytest.mark.parametrize("unit", ["[", "![", "*a", "[a]("])
def test_markdown_time_grows_linearly(unit):
    small = cpu(readers.markdown_text, unit * 5_000)
    large = cpu(readers.markdown_text, unit * 20_000)
    # 4x the input: linear work takes about 4x (quadratic took 16x: 15 s at 40k "[")
    assert large < 8 * small + 0.2, (small, large)


def test_markdown_of_many_brackets_still_keeps_the_text():
    assert readers.markdown_text("[" * 2000 + "文字") == "[" * 2000 + "文字"


def test_hter_and_diff_of_long_text_take_bounded_time():
    mt = "The harbour reopened on Friday after two years of work. " * 7000  # ~400k chars
    target = mt.replace("Friday", "Saturday")
    assert cpu(postedit.hter, mt, target, "en") < 2.0
    assert cpu(postedit.diff_ops, mt, target, "en") < 2.0
    ops = postedit.diff_ops(mt, target, "en")
    assert "".join(t for op, t in ops if op != "insert") == mt
    assert "".join(t for op, t in ops if op != "delete") == target


def test_a_docx_of_too_many_paragraphs_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr(readers, "MAX_PARAGRAPHS", 50)
    data = docx_bytes([f"Paragraph {i}." for i in range(60)])
    with pytest.raises(readers.InputError, match="more than 50 paragraphs"):
        readers.document_text(data, "big.docx")


def test_a_document_of_too_many_or_too_long_segments_is_refused(db, monkeypatch):
    monkeypatch.setattr(storage, "MAX_SEGMENTS", 10)
    with pytest.raises(ValueError, match="11 segments; at most 10 fit in one document: split"):
        storage.insert_document(
            db, {"title": "t", "source_lang": "zh", "target_lang": "en"},
            [{"source": f"第{i}句。"} for i in range(11)], "test",
        )  # fmt: skip
    monkeypatch.setattr(storage, "MAX_SEGMENT_CHARS", 100)
    with pytest.raises(ValueError, match="segment 2 has 101 characters"):
        storage.insert_document(
            db, {"title": "t", "source_lang": "zh", "target_lang": "en"},
            [{"source": "短。"}, {"source": "长" * 101}], "test",
        )  # fmt: skip
    assert db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    at_the_limits = [{"source": "长" * 100}] + [{"source": f"第{i}句。"} for i in range(9)]
    storage.insert_document(
        db, {"title": "t", "source_lang": "zh", "target_lang": "en"}, at_the_limits, "test"
    )  # exactly 10 segments, one of exactly 100 characters: accepted
    assert db.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == 10


@pytest.fixture
def api(db_path):
    connect(db_path).close()
    add_users(db_path)
    doc = import_harbour(db_path)
    client = login(create_app(str(db_path), TESTING=True).test_client(), "tom")
    return client, segments(db_path, doc)


def test_a_target_far_longer_than_its_source_is_refused(api, db_path):
    client, rows = api
    row = rows[1]
    response = client.put(
        f"/api/segments/{row['id']}", json={"target": "x" * 10_000_000, "version": row["version"]}
    )
    assert response.status_code == 413
    assert "at most" in response.get_json()["error"]
    assert segments(db_path, row["document_id"])[1] == row  # nothing stored
    fine = client.put(
        f"/api/segments/{row['id']}", json={"target": "x" * 1500, "version": row["version"]}
    )
    assert fine.status_code == 200


BIG = 2**63


@pytest.mark.parametrize(
    "method, url, body",
    [
        ("GET", f"/api/segments/{BIG}", None),
        ("PUT", f"/api/segments/{BIG}", {"target": "x", "version": 1}),
        ("GET", f"/api/segments/{BIG}/history", None),
        ("GET", f"/api/documents/{BIG}", None),
        ("GET", f"/api/documents/{BIG}/segments", None),
        ("GET", f"/api/documents/1/next?after={BIG}", None),
        ("POST", f"/api/segments/{BIG}/repair", {"op": "merge"}),
        ("POST", f"/api/documents/{BIG}/undo", None),
    ],
)
def test_numbers_beyond_64_bits_are_a_json_400(api, method, url, body):
    client, _ = api
    response = client.open(url, method=method, json=body)
    assert response.status_code in (400, 404), response.get_data(as_text=True)[:200]
    assert response.is_json and response.get_json()["error"]


def test_bad_bodies_are_json_400s(api):
    client, rows = api
    url = f"/api/segments/{rows[1]['id']}"
    version = rows[1]["version"]
    cases = {
        "huge version": {"target": "x", "version": BIG},
        "lone surrogate": '{"target": "\\ud800", "version": ' + str(version) + "}",
        "deeply nested": '{"target": ' + "[" * 100_000 + "]" * 100_000 + "}",
    }
    for name, body in cases.items():
        if isinstance(body, str):
            response = client.put(url, data=body, content_type="application/json")
        else:
            response = client.put(url, json=body)
        assert response.status_code == 400, (name, response.get_data(as_text=True)[:200])
        assert response.is_json and response.get_json()["error"], name
    long_query = client.get("/api/concordance", query_string={"q": "港" * 50_000})
    assert long_query.status_code == 400 and "at most" in long_query.get_json()["error"]


def test_import_xliff_with_a_huge_id_in_resname_says_so(db_path, tmp_path):
    connect(db_path).close()
    doc = import_harbour(db_path)
    row = segments(db_path, doc)[1]
    xliff = tmp_path / "back.xlf"
    xliff.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="harbour.txt" source-language="zh" target-language="en"'
        ' datatype="plaintext"><body>'
        f'<trans-unit id="1" resname="wb:{doc}:{10**30}:v1"><source>{row["source"]}</source>'
        "<target>Done.</target></trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    db = connect(db_path)
    report = apply_xliff(db, read_xliff(xliff), "tom")
    assert report.updated == 0 and "no valid wb: resname" in report.skipped[0]
