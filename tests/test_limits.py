"""Bounded work for every input: a linear Markdown parser, limits on segments and on a
target's length, HTER and diffs on long text in bounded time, and every bad API input a
JSON 400/413 with a message (never an HTML 500)."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import markdown_it
import pytest
from hostile_text import hostile_pairs
from review_support import add_users, docx_bytes, import_harbour, login, segments

from workbench.exchange.reimport import apply_xliff
from workbench.formats.xliff import read_xliff
from workbench.ingest import markdown, readers
from workbench.review import postedit
from workbench.store import db as storage
from workbench.store.db import connect
from workbench.web import create_app


def cpu(function, *args) -> float:
    start = time.process_time()
    function(*args)
    return time.process_time() - start


def executed_lines(function, *args, watched: tuple[str, ...] = ()) -> int:
    """Python lines run inside markdown-it-py and our Markdown module (or ``watched``
    paths): an operation count that does not depend on the machine's speed or load."""
    watched = watched or (str(Path(markdown_it.__file__).parent), markdown.__file__)
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(watched) else None

    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


MARKDOWN_RUNS = ["![", "[", "[a](", "*", "_", "*a", "`", "<", "<a ", "![a", "[]("]


@pytest.mark.parametrize("unit", MARKDOWN_RUNS)
def test_markdown_work_grows_linearly(unit):
    """4x the input, about 4x the work (quadratic would be 16x)."""

    def run(size: int) -> int:
        return executed_lines(readers.markdown_text, (unit * size)[:size])

    small, large = run(2_500), run(10_000)
    assert large < 5 * small, (small, large)


@pytest.mark.parametrize("unit", ["[", "![", "![a"])
def test_unclosed_link_brackets_cost_little_per_character(unit):
    """Runs of "[" never closed: markdown-it-py alone looked for each one's "]" up to
    20 levels deep, about 600 (for "[") to 950 (for "![") Python lines per character
    (60 KB of "![" took 1.3 s of CPU); with the budget and its fallback about 150 (0.2 s;
    bench/bounded_work.py prints the seconds). Prose takes about 7."""
    size = 10_000
    assert executed_lines(readers.markdown_text, (unit * size)[:size]) < 250 * size


def test_bounded_markdown_gives_the_same_text_as_the_unbounded_parser():
    """Real Markdown (the repository's own documents, links, images, tables and all) never
    reaches the budget: the text is what markdown-it-py alone gives."""
    from markdown_it import MarkdownIt

    plain = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    root = Path(__file__).resolve().parents[1]
    documents = [*root.glob("*.md"), *root.glob("docs/*.md")]
    assert len(documents) >= 4
    nested = "Read [the **guide** with ![a `logo` image](logo.png)](https://example.org) now.\n"
    for text in [nested, *(d.read_text("utf-8") for d in documents)]:
        assert markdown.markdown_text(text) == markdown.markdown_text(text, plain)


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


def test_hter_of_a_rewritten_chinese_segment_grows_linearly_and_says_it_is_approximate():
    """TER's shift search tried 1,000 candidates, each an edit distance over the whole
    segment: 150 rewritten Chinese characters took 5 s, 3,000 several minutes (a page
    shows HTER for every edited segment). Now the candidates shrink with the length."""
    import sacrebleu

    lib_ter = str(Path(sacrebleu.__file__).parent / "metrics" / "lib_ter.py")

    def run(repeat: int) -> int:
        mt, edited = "港口于星期五重新开放。" * repeat, "星期五港口重新开放了。" * repeat
        return executed_lines(postedit.hter, mt, edited, "zh", watched=(lib_ter,))

    small, large = run(5), run(20)  # 55 and 220 characters
    assert large < 6 * small, (small, large)
    assert (
        postedit.hter_exact("港口于星期五重新开放。" * 20, "星期五港口重新开放了。" * 20, "zh")[1]
        is False
    )
    huge = postedit.hter_exact("的" * 20_000, "的了" * 10_000, "zh")
    assert huge[1] is False and 0 < huge[0] <= 1


def test_hter_of_ordinary_post_edits_is_sacrebleus_ter(zh_en_pairs):
    from workbench.review.metrics import ter_metric

    for lang, lines in zh_en_pairs.items():
        metric = ter_metric(lang)
        for line, following in zip(lines[:20], lines[1:21], strict=True):
            edited = line.replace("的", "之", 1).replace("the", "a", 1)[:-2] + following[:8]
            ours, exact = postedit.hter_exact(line, edited, lang)
            theirs = metric.sentence_score(" ".join(line.split()), [" ".join(edited.split())])
            assert exact and ours == round(theirs.score / 100, 4), (lang, line)


@pytest.fixture
def zh_en_pairs() -> dict[str, list[str]]:
    from conftest import EVAL

    folder = EVAL / "mt-dev" / "flores200-devtest"
    return {
        "zh": (folder / "zho_Hans.devtest").read_text("utf-8").splitlines()[:21],
        "en": (folder / "eng_Latn.devtest").read_text("utf-8").splitlines()[:21],
    }


def test_jieba_words_are_jiebas_words_in_linear_time(zh_en_pairs):
    """jieba's HMM pass over a long block without dictionary words is quadratic (20,000
    of "的" took 3 s, in the diff, the TM and the word count); ordinary text is cut
    exactly as jieba cuts it."""
    from aligner.tokens import jieba_module, jieba_words

    text = "".join(zh_en_pairs["zh"])
    assert jieba_words(text) == jieba_module().lcut(text, HMM=True)
    # The quadratic part runs in C string operations, which a line count does not see:
    # CPU time, compared generously (jieba alone: 4x the text took about 10x the time).
    small, large = cpu(jieba_words, "的" * 4_000), cpu(jieba_words, "的" * 16_000)
    assert large < 8 * small + 0.1, (small, large)


@pytest.mark.parametrize("case", list(hostile_pairs(10)))
def test_qa_of_long_hostile_segments_grows_linearly_with_short_messages(case):
    from workbench.review import qa

    def run(size: int) -> tuple[float, list]:
        source, target, src, tgt = hostile_pairs(size)[case]
        start = time.process_time()
        flags = qa.check_segment(source, target, src, tgt)
        return time.process_time() - start, flags

    small, _ = run(5_000)
    large, flags = run(20_000)
    assert large < 8 * small + 0.1, (small, large)  # quadratic would be 16x
    assert all(len(flag.message) < 1_000 for flag in flags), [len(f.message) for f in flags]


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


@pytest.mark.parametrize(
    "target", ["万" * 2000, "二" * 2000, "one hundred hundred " * 100, "(" * 1000 + "]" * 1000]
)
def test_a_hostile_target_is_saved_and_shown_with_its_qa_flags(api, target):
    """A save answers with the row and its QA flags: "万" * 2000 was a number of 8,000
    digits and "hundred hundred …" one beyond any float (the reply was a 500 after the
    save had committed); the segment is then shown like any other."""
    client, rows = api
    row = rows[1]
    saved = client.put(
        f"/api/segments/{row['id']}", json={"target": target, "version": row["version"]}
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)[:300]
    body = saved.get_json()
    assert body["target"] == target
    assert all(len(flag["message"]) < 1_000 for flag in body["qa"])
    shown = client.get(f"/documents/{row['document_id']}")
    assert shown.status_code == 200


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


def test_an_editor_page_measures_edits_within_its_time_budget(db_path, monkeypatch):
    """HTER of a heavy rewrite takes tens of milliseconds; a page of 100 took seconds of
    CPU in one request. The page measures within PAGE_MEASURE_SECONDS and leaves the rest
    for the browser to ask (test_browser_editor.py); a second load has them all."""
    from workbench.web import extras, queries

    db = connect(db_path)
    rows = [
        {
            "source": f"第{i}段。",
            "mt": f"Part {i} of it.",
            "target": f"It is part {i}.",
            "status": "draft",
        }
        for i in range(40)
    ]
    doc = storage.insert_document(
        db, {"title": "t", "source_lang": "zh", "target_lang": "en"}, rows, "t"
    )
    db.close()
    add_users(db_path)
    measured = []
    real = postedit.hter_exact

    def slow(mt, target, lang):  # as a heavily rewritten long sentence costs
        measured.append(mt)
        start = time.thread_time()
        while time.thread_time() - start < 0.05:
            pass
        return real(mt, target, lang)

    monkeypatch.setattr(postedit, "hter_exact", slow)
    monkeypatch.setattr(extras, "_MEASURED", {})
    client = login(create_app(str(db_path), TESTING=True).test_client(), "rita")
    page = client.get(f"/documents/{doc}").get_data(as_text=True)
    assert 1 <= len(measured) <= queries.PAGE_MEASURE_SECONDS / 0.05 + 2
    assert page.count('data-pending="1"') == 40 - len(measured)
    pending = int(
        re.findall(r'data-segment="(\d+)"[^>]*>(?:(?!</tr>).)*data-pending', page, re.S)[0]
    )
    effort = client.get(f"/api/segments/{pending}").get_json()["effort"]
    assert effort["hter"] > 0 and "<ins>" in effort["diff"]
