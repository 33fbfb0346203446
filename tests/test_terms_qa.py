"""Glossary terms found in segments (jieba with user words, English stems and case) and the
terminology QA flag: in check_segment, the editor's filter, bulk approval and `workbench qa`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from review_support import add_users, login

from aligner.tokens import jieba_module
from workbench.cli import cli
from workbench.review.qa import QA_CODES, check_segment
from workbench.store.db import connect, default_project, insert_document
from workbench.terms import entries as glossary
from workbench.terms.recognise import find_terms
from workbench.web import create_app


def term(source, *translations, forbidden=(), case=False, entry_id=1, variants=()):
    return glossary.Term(
        entry_id, source, (source, *variants), tuple(translations), tuple(forbidden), case
    )


# --- recognition ---------------------------------------------------------------------------


def test_chinese_term_jieba_would_split_is_found_whole():
    text = "学校入选“双一流”建设高校名单。"
    assert "双一流" not in jieba_module().lcut(text)  # plain jieba cuts it in two
    hits = find_terms(text, "zh", [term("双一流", "Double First-Class")])
    assert [(h.text, text[h.start : h.end]) for h in hits] == [("双一流", "双一流")]


def test_chinese_term_is_not_found_inside_a_longer_word():
    university = term("大学", "university")
    assert find_terms("他是一名大学生。", "zh", [university]) == []
    assert [h.text for h in find_terms("这所大学很大。", "zh", [university])] == ["大学"]


def test_overlapping_terms_keep_the_longest():
    terms = [
        term("大连理工大学", "Dalian University of Technology", entry_id=1),
        term("理工大学", "university of technology", entry_id=2),
    ]
    hits = find_terms("大连理工大学党委书记表示", "zh", terms)
    assert [h.term.entry_id for h in hits] == [1]


def test_english_plurals_and_capitalisation():
    secretary = term("Party Secretary", "党委书记")
    hits = find_terms("Both party secretaries attended.", "en", [secretary])
    assert [h.text for h in hits] == ["party secretaries"]
    university = term("university", "大学")
    assert [h.text for h in find_terms("Universities reopened.", "en", [university])] == [
        "Universities"
    ]


def test_acronyms_and_case_sensitive_terms_match_case():
    us = term("US", "美国")
    assert find_terms("Let us go.", "en", [us]) == []
    assert [h.text for h in find_terms("The US said so.", "en", [us])] == ["US"]
    apple = term("Apple", "苹果公司", case=True)
    assert find_terms("He ate an apple.", "en", [apple]) == []
    assert [h.text for h in find_terms("Apple's results", "en", [apple])] == ["Apple's"]


# --- the check -----------------------------------------------------------------------------

DUT = term(
    "大连理工大学",
    "Dalian University of Technology",
    "DUT",
    forbidden=["Dalian Technology University"],
)


def codes(source, target, terms=(DUT,), src="zh", tgt="en"):
    return [f.code for f in check_segment(source, target, src, tgt, terms)]


def test_terminology_flag_missing_forbidden_and_accepted():
    source = "大连理工大学举行开学典礼。"
    assert "terminology" in QA_CODES
    assert codes(source, "Dalian University of Technology held its opening ceremony.") == []
    assert codes(source, "DUT held its opening ceremony.") == []
    missing = check_segment(source, "Dalian Tech held its opening ceremony.", "zh", "en", [DUT])
    assert [f.code for f in missing] == ["terminology"]
    assert "Dalian University of Technology" in missing[0].message
    wrong = check_segment(source, "Dalian Technology University held it.", "zh", "en", [DUT])
    assert [f.code for f in wrong] == ["terminology"]
    assert "forbidden" in wrong[0].message
    assert codes(source, "Dalian Tech held its opening ceremony.", terms=()) == []


def test_reversed_entry_checks_english_to_chinese():
    entry = glossary.Entry(
        "大连理工大学", "Dalian University of Technology", "zh-CN", "en-US", id=7
    )
    (reverse,) = glossary.oriented([entry], "en", "zh")
    source = "Dalian University of Technology opened a new lab."
    assert codes(source, "大连理工大学新建了一个实验室。", (reverse,), "en", "zh") == []
    assert codes(source, "大连工大新建了一个实验室。", (reverse,), "en", "zh") == ["terminology"]


# --- the document: filter, bulk approval, CLI ----------------------------------------------

SOURCES = [
    "大连理工大学举行开学典礼。",
    "大连理工大学党委书记致辞。",
    "新生代表发言。",
    "大连理工大学位于大连。",
]
TARGETS = [
    "Dalian University of Technology held its opening ceremony.",
    "The Party Secretary of Dalian Technology University gave a speech.",
    "A new student spoke.",
    "DUT is in Dalian.",
]


@pytest.fixture
def glossary_db(db_path):
    db = connect(db_path)
    project = default_project(db, "News")
    doc_id = insert_document(
        db,
        {"title": "开学", "source_lang": "zh", "target_lang": "en", "project_id": project},
        [
            {"source": s, "target": t, "status": "translated"}
            for s, t in zip(SOURCES, TARGETS, strict=True)
        ],
        "test",
    )
    with db.atomic():
        db.execute("UPDATE segments SET status = 'approved' WHERE position IN (0, 3)")
        glossary.save(
            db,
            glossary.Entry(
                "大连理工大学",
                "Dalian University of Technology",
                "zh-CN",
                "en-US",
                target_variants=["DUT"],
                forbidden=["Dalian Technology University"],
                project_id=project,
            ),
        )
        glossary.save(db, glossary.Entry("党委书记", "Party Secretary", "zh-CN", "en-US"))
    db.close()
    add_users(db_path)
    return db_path, doc_id


def test_filter_and_bulk_approve_count_the_terminology_flag(glossary_db):
    path, doc_id = glossary_db
    client = login(create_app(str(path), TESTING=True).test_client(), "rita")
    flagged = client.get(f"/api/documents/{doc_id}/segments?qa=terminology").get_json()
    assert [s["position"] for s in flagged] == [1]
    segment = client.get(f"/api/segments/{flagged[0]['id']}").get_json()
    assert "forbidden" in next(f["message"] for f in segment["qa"] if f["code"] == "terminology")
    result = client.post(f"/api/documents/{doc_id}/bulk-approve", json={}).get_json()
    assert result["skipped"] >= 1
    statuses = [s["status"] for s in client.get(f"/api/documents/{doc_id}/segments").get_json()]
    assert statuses[1] == "translated" and statuses[2] == "approved"
    page = client.get(f"/documents/{doc_id}?qa=terminology").get_data(as_text=True)
    assert "flag-terminology" in page


def test_cli_qa_reports_terminology_and_consistency(glossary_db):
    path, doc_id = glossary_db
    result = CliRunner().invoke(cli, ["qa", "--document", str(doc_id), "--json", "--db", str(path)])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    assert report["counts"]["terminology"] == 1
    assert [s["position"] for s in report["flagged"] if s["flags"][0]["code"] == "terminology"]
    (inconsistent,) = report["consistency"]
    assert inconsistent["term"] == "大连理工大学"
    assert set(inconsistent["renderings"]) == {"Dalian University of Technology", "DUT"}
    text = CliRunner().invoke(cli, ["qa", "--code", "terminology", "--db", str(path)])
    assert "inconsistent: 大连理工大学" in text.output and "[terminology]" in text.output
    bad = CliRunner().invoke(cli, ["qa", "--code", "nope", "--db", str(path)])
    assert bad.exit_code == 2


def test_the_server_keeps_the_glossary_between_requests_until_it_changes(glossary_db, tmp_path):
    """A glossary of thousands of terms was loaded and indexed on every save (170 ms each
    with 5,000 terms): the server keeps it, and still sees a change made by another
    process at the next request."""
    path, doc_id = glossary_db
    app = create_app(str(path), TESTING=True)
    client = login(app.test_client(), "rita")
    segments = client.get(f"/api/documents/{doc_id}/segments").get_json()
    new_student = next(s for s in segments if s["position"] == 2)  # 新生代表发言。

    def flags() -> list[str]:
        found = client.get(f"/api/segments/{new_student['id']}").get_json()
        return [f["message"] for f in found["qa"] if f["code"] == "terminology"]

    assert flags() == []
    loads: list[str] = []
    app.extensions["workbench.connections"].db.conn.set_trace_callback(
        lambda sql: loads.append(sql) if "FROM terms" in sql else None
    )
    for _ in range(5):
        assert flags() == []
    assert loads == [], "the glossary is read again although nothing changed"

    table = tmp_path / "more.csv"
    table.write_text("source,target\n代表发言,speech on behalf of\n", encoding="utf-8")
    added = CliRunner().invoke(
        cli,
        ["terms", "import", str(table), "--from", "zh", "--to", "en"] + ["--db", str(path)],
    )
    assert added.exit_code == 0, added.output
    assert flags() == ["Glossary: 代表发言 → expected “speech on behalf of”."]
    assert len([sql for sql in loads if sql.startswith("SELECT * FROM terms")]) == 1

    db = connect(path)
    (entry_id,) = db.execute("SELECT id FROM terms WHERE source = '代表发言'").fetchone()
    glossary.delete(db, entry_id)
    db.close()
    assert flags() == []
