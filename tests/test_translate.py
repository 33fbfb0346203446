"""`workbench translate`: every input and output format, bad inputs, exit codes, resume.

Runs the real command (in-process with click's runner, or as a subprocess for
the kill test) over the tiny real Argos packages.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EVAL, REPO, training_pairs
from test_readers import make_docx

from aligner import split_sentences
from workbench.cli import cli
from workbench.mt.translator import get_translator

FLORES = EVAL / "mt-dev" / "flores200-devtest"


@pytest.fixture
def zh_paragraphs(installed_models) -> list[str]:
    """Three Chinese paragraphs of FLORES sentences the tiny zh→en model knows."""
    lines = [source for source, _ in training_pairs(installed_models[("zh", "en")])]
    return [lines[0] + lines[1], lines[2], lines[3] + lines[4] + lines[5]]


@pytest.fixture
def en_paragraphs(installed_models) -> list[str]:
    lines = [source for source, _ in training_pairs(installed_models[("en", "zh")])]
    return [lines[0] + " " + lines[1], lines[2]]


def expected(paragraphs: list[str], source: str, target: str) -> str:
    """The translation the command must produce: paragraph by paragraph, sentence by sentence."""
    translator = get_translator(source, target)
    joiner = " " if target == "en" else ""
    return (
        "\n\n".join(
            joiner.join(translator.translate(split_sentences(p, source))) for p in paragraphs
        )
        + "\n"
    )


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, ["translate", *args], input=input, catch_exceptions=False)


def test_text_file_to_stdout_keeps_the_paragraphs(tmp_path, db_path, zh_paragraphs):
    article = tmp_path / "article.txt"
    article.write_text("\n\n".join(zh_paragraphs) + "\n", "utf-8")
    result = run(str(article), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert result.stdout == expected(zh_paragraphs, "zh", "en")
    assert result.stdout.count("\n\n") == len(zh_paragraphs) - 1
    assert "Translating" not in result.stderr  # no progress bar when not on a terminal


def test_single_newline_paragraphs_stay_single_newline(tmp_path, db_path, zh_paragraphs):
    article = tmp_path / "article.txt"
    article.write_text("\n".join(zh_paragraphs), "utf-8")
    result = run(str(article), "--db", str(db_path))
    assert result.stdout == expected(zh_paragraphs, "zh", "en").replace("\n\n", "\n")


@pytest.mark.parametrize("suffix", ["md", "html", "docx", "txt"])
def test_every_document_format_gives_the_same_translation(tmp_path, db_path, zh_paragraphs, suffix):
    if suffix == "md":
        data = ("# " + "\n\n".join(zh_paragraphs)).encode()
    elif suffix == "html":
        data = ("<html><body>" + "".join(f"<p>{p}</p>" for p in zh_paragraphs)).encode()
    elif suffix == "docx":
        data = make_docx(zh_paragraphs)
    else:
        data = "\n\n".join(zh_paragraphs).encode("utf-16")
    source = tmp_path / f"article.{suffix}"
    source.write_bytes(data)
    out = tmp_path / "out.txt"
    result = run(str(source), "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == expected(zh_paragraphs, "zh", "en")
    assert result.stdout == ""


def test_standard_input(db_path, en_paragraphs):
    text = "\n\n".join(en_paragraphs).encode()
    result = run("-", "--db", str(db_path), input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected(en_paragraphs, "en", "zh")


def test_directory_both_directions_into_an_output_tree(
    tmp_path, db_path, zh_paragraphs, en_paragraphs
):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "zh.txt").write_text("\n\n".join(zh_paragraphs), "utf-8")
    (corpus / "sub" / "en.md").write_text("\n\n".join(en_paragraphs), "utf-8")
    (corpus / "photo.png").write_bytes(b"\x89PNG\r\n")  # not a format we read: ignored
    (corpus / ".hidden.txt").write_text("ignored", "utf-8")
    out = tmp_path / "out"
    result = run(str(corpus), "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["corpus/sub/en.zh.txt", "corpus/zh.en.txt"]
    assert (out / "corpus/zh.en.txt").read_text("utf-8") == expected(zh_paragraphs, "zh", "en")
    assert (out / "corpus/sub/en.zh.txt").read_text("utf-8") == expected(en_paragraphs, "en", "zh")
    assert "Translated 2 document(s)" in result.stderr


def test_inputs_sharing_a_stem_get_distinct_outputs(tmp_path, db_path, zh_paragraphs):
    (tmp_path / "a.txt").write_text(zh_paragraphs[0], "utf-8")
    (tmp_path / "a.md").write_text(zh_paragraphs[1], "utf-8")
    out = tmp_path / "out"
    result = run(
        str(tmp_path / "a.txt"), str(tmp_path / "a.md"), "-o", str(out), "--db", str(db_path)
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.md.en.txt", "a.txt.en.txt"]


def test_jsonl_field_is_translated_and_bad_records_reported(tmp_path, db_path, zh_paragraphs):
    lines = [
        json.dumps({"id": 1, "text": zh_paragraphs[0]}, ensure_ascii=False),
        "not json",
        json.dumps({"id": 3, "body": "no text field"}),
        "",
        json.dumps({"id": 4, "text": zh_paragraphs[1]}, ensure_ascii=False),
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = run(str(corpus), "--field", "text", "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 1
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in records] == [1, 3, 4]  # the unparsable line cannot be copied
    assert records[0]["text_en"] == expected(zh_paragraphs[:1], "zh", "en").rstrip("\n")
    assert "text_en" not in records[1]
    assert f"{corpus}:2: not valid JSON" in result.stderr
    assert f"{corpus}:3: field 'text' is missing" in result.stderr


@pytest.mark.parametrize(
    ("encoding", "bom", "said"),
    [
        ("gb18030", b"", "gb18030 (detected"),
        ("utf-16-le", b"", "utf-16-le (detected"),  # no byte-order mark: told by its NULs
        ("utf-16-le", b"\xff\xfe", "utf-16-le (byte-order mark)"),
        ("utf-8", b"\xef\xbb\xbf", None),
    ],
)
def test_jsonl_in_legacy_encodings_is_detected_like_text(
    tmp_path, db_path, zh_paragraphs, encoding, bom, said
):
    """A corpus saved on Chinese Windows (GB18030, UTF-16) is read, not refused as non-UTF-8."""
    lines = [
        json.dumps({"id": i, "text": p}, ensure_ascii=False) for i, p in enumerate(zh_paragraphs)
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(bom + ("\n".join(lines) + "\n").encode(encoding))
    out = tmp_path / "out.jsonl"
    result = run(str(corpus), "--field", "text", "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["text"] for r in records] == zh_paragraphs
    assert [r["text_en"] for r in records] == [
        expected([p], "zh", "en").rstrip("\n") for p in zh_paragraphs
    ]
    if said:
        assert result.stderr.count(f"Read {corpus} as {said}") == 1  # once, not per record
    else:
        assert "Read " not in result.stderr


def test_jsonl_in_an_undecidable_encoding_is_refused_with_the_reason(tmp_path, db_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(bytes(range(256)) * 8)
    result = run(str(corpus), "--field", "text", "--db", str(db_path))
    assert result.exit_code == 1
    assert "looks like a binary file" in result.stderr


def test_jsonl_without_field_is_an_input_failure(tmp_path, db_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "Hello."}\n', "utf-8")
    result = run(str(corpus), "--db", str(db_path))
    assert result.exit_code == 1
    assert "needs --field" in result.stderr


@pytest.fixture
def two_documents(tmp_path, zh_paragraphs, en_paragraphs) -> list[str]:
    (tmp_path / "zh.txt").write_text("\n\n".join(zh_paragraphs), "utf-8")
    (tmp_path / "en.txt").write_text("\n\n".join(en_paragraphs), "utf-8")
    return [str(tmp_path / "zh.txt"), str(tmp_path / "en.txt")]


def sentence_pairs(paragraphs, source, target):
    translator = get_translator(source, target)
    sentences = [s for p in paragraphs for s in split_sentences(p, source)]
    return list(zip(sentences, translator.translate(sentences), strict=True))


def test_jsonl_sentence_pairs(tmp_path, db_path, two_documents, zh_paragraphs, en_paragraphs):
    out = tmp_path / "pairs.jsonl"
    result = run(*two_documents, "--format", "jsonl", "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    pairs = sentence_pairs(zh_paragraphs, "zh", "en") + sentence_pairs(en_paragraphs, "en", "zh")
    assert [(r["source"], r["target"]) for r in records] == pairs
    assert records[0]["document"] == two_documents[0]
    assert {(r["source_lang"], r["target_lang"]) for r in records} == {("zh", "en"), ("en", "zh")}
    assert records[0]["paragraph"] == 0 and records[-1]["paragraph"] == 1


def test_tsv_sentence_pairs(tmp_path, db_path, two_documents, zh_paragraphs):
    import csv

    out = tmp_path / "pairs.tsv"
    result = run(*two_documents, "--format", "tsv", "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    first = sentence_pairs(zh_paragraphs, "zh", "en")
    assert [(r["source"], r["target"]) for r in rows[: len(first)]] == first
    assert rows[0]["document"] == two_documents[0] and rows[0]["tuid"] == "1-1"


def test_tmx_sentence_pairs(tmp_path, db_path, two_documents, zh_paragraphs, en_paragraphs):
    from workbench.formats.tmx import read_tmx

    out = tmp_path / "pairs.tmx"
    result = run(*two_documents, "--format", "tmx", "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    tmx = read_tmx(out)
    pairs = sentence_pairs(zh_paragraphs, "zh", "en") + sentence_pairs(en_paragraphs, "en", "zh")
    assert [(u.source, u.target) for u in tmx.units] == pairs
    assert tmx.units[0].source_lang == "zh" and tmx.units[-1].source_lang == "en"
    assert tmx.units[0].props["document"] == two_documents[0]


def test_xliff_one_file_per_document(tmp_path, db_path, two_documents, zh_paragraphs):
    from workbench.formats.xliff import read_xliff

    out = tmp_path / "xliff"
    result = run(*two_documents, "--format", "xliff", "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["en.en-zh.xlf", "zh.zh-en.xlf"]
    doc = read_xliff(out / "zh.zh-en.xlf")
    assert (doc.source_lang, doc.target_lang) == ("zh", "en")
    pairs = sentence_pairs(zh_paragraphs, "zh", "en")
    assert [(s.source, s.target) for s in doc.segments] == pairs
    assert {s.status for s in doc.segments} == {"draft"}  # MT, not yet reviewed


def test_single_xliff_to_stdout(tmp_path, db_path, two_documents):
    result = run(two_documents[1], "--format", "xliff", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_bad_inputs_are_reported_and_skipped(tmp_path, db_path, zh_paragraphs):
    good = tmp_path / "good.txt"
    good.write_text("\n\n".join(zh_paragraphs), "utf-8")
    bad = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 4,
        # GBK is detected now (tests/test_encodings.py); two characters stay ambiguous
        "gbk.txt": "你好".encode("gbk"),
        "paper.pdf": b"%PDF-1.4\n",
        "broken.docx": b"PK\x03\x04 truncated",
        "korean.txt": "서울에서 오늘 새로운 정책이 발표되었습니다.".encode(),
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    names = [str(tmp_path / n) for n in bad] + [str(tmp_path / "missing.txt"), str(good)]
    out = tmp_path / "out"
    result = run(*names, "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 1
    assert [p.name for p in out.iterdir()] == ["good.en.txt"]
    assert (out / "good.en.txt").read_text("utf-8") == expected(zh_paragraphs, "zh", "en")
    assert "7 input(s) not translated" in result.stderr
    for name, reason in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("gbk.txt", "--encoding gb18030"),
        ("paper.pdf", "unsupported file type"),
        ("broken.docx", "not a valid .docx"),
        ("korean.txt", "Korean"),
        ("missing.txt", "No such file"),
    ]:
        line = next(x for x in result.stderr.splitlines() if name in x)
        assert reason in line, line


def test_document_already_in_the_target_language_is_skipped(tmp_path, db_path, en_paragraphs):
    source = tmp_path / "en.txt"
    source.write_text("\n\n".join(en_paragraphs), "utf-8")
    result = run(str(source), "--to", "en", "--db", str(db_path))
    assert result.exit_code == 0  # nothing to do is not a failure (set -e scripts go on)
    assert result.stdout == ""
    assert "already in English" in result.stderr and "skipped" in result.stderr
    strict = run(str(source), "--to", "en", "--strict", "--db", str(db_path))
    assert strict.exit_code == 1
    assert "already in English" in strict.stderr


def test_from_overrides_detection(tmp_path, db_path, en_paragraphs):
    source = tmp_path / "en.txt"
    source.write_text("\n\n".join(en_paragraphs), "utf-8")
    result = run(str(source), "--from", "en", "--to", "zh", "--db", str(db_path))
    assert result.exit_code == 0
    assert result.stdout == expected(en_paragraphs, "en", "zh")


def test_missing_model_exits_3(tmp_path, db_path, installed_models, no_models, zh_paragraphs):
    source = tmp_path / "zh.txt"
    source.write_text(zh_paragraphs[0], "utf-8")
    result = run(str(source), "--db", str(db_path))
    assert result.exit_code == 3
    assert "workbench models install translate-zh_en" in result.stderr


def test_usage_errors_exit_2(tmp_path, db_path, two_documents):
    assert run(*two_documents, "--db", str(db_path)).exit_code == 2  # txt needs -o DIR
    assert run(two_documents[0], "--from", "en", "--to", "en").exit_code == 2
    assert run(*two_documents, "--format", "tmx", "-o", str(tmp_path)).exit_code == 2
    assert run(str(tmp_path), "--format", "bogus").exit_code == 2


def test_second_run_comes_from_the_cache(tmp_path, db_path, two_documents, monkeypatch):
    out1, out2 = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    assert (
        run(*two_documents, "--format", "jsonl", "-o", str(out1), "--db", str(db_path)).exit_code
        == 0
    )

    from workbench.mt import translator as mt

    def refuse(self, tokens):
        raise AssertionError("the engine must not run: everything is cached")

    monkeypatch.setattr(mt.Translator, "translate_tokens", refuse)
    result = run(*two_documents, "--format", "jsonl", "-o", str(out2), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert out1.read_bytes() == out2.read_bytes()


def test_quiet_prints_nothing_but_failures(tmp_path, db_path, two_documents):
    out = tmp_path / "pairs.tmx"
    result = run(*two_documents, "--format", "tmx", "-o", str(out), "-q", "--db", str(db_path))
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""
    result = run(str(tmp_path / "nope.txt"), "-q", "--db", str(db_path))
    assert result.exit_code == 1 and "nope.txt" in result.stderr


# --------------------------------------------------------------------------- resume


def flores_corpus(folder: Path, lines: int = 400) -> int:
    """Ten-sentence articles of FLORES devtest lines in both languages; returns the count."""
    folder.mkdir()
    count = 0
    for lang, name in (("en", "eng_Latn.devtest"), ("zh", "zho_Hans.devtest")):
        text = (FLORES / name).read_text("utf-8").splitlines()[:lines]
        for start in range(0, len(text), 10):
            chunk = text[start : start + 10]
            (folder / f"{lang}{start:04d}.txt").write_text("\n\n".join(chunk), "utf-8")
            count += len(chunk)
    return count


def command(corpus: Path, out: Path, db: Path) -> list[str]:
    return [
        sys.executable, "-c", "from workbench.cli import cli; cli()", "translate", str(corpus),
        "--format", "jsonl", "-o", str(out), "--db", str(db), "-q",
    ]  # fmt: skip


def cached(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM mt_cache").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def test_killed_run_resumes_to_the_same_output(tmp_path, installed_models):
    if not FLORES.is_dir():
        pytest.fail(f"{FLORES} is missing: the tests need ../shared/eval beside the repository")
    corpus = tmp_path / "corpus"
    total = flores_corpus(corpus)
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    whole_db, whole = tmp_path / "whole.db", tmp_path / "whole.jsonl"
    subprocess.run(command(corpus, whole, whole_db), env=env, check=True, timeout=600)

    db, out = tmp_path / "resumed.db", tmp_path / "resumed.jsonl"
    process = subprocess.Popen(command(corpus, out, db), env=env)
    deadline = time.monotonic() + 300
    while cached(db) < total // 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = cached(db)
    assert process.returncode == -signal.SIGKILL
    assert 0 < done < total, "the run was not killed midway; make the corpus bigger"
    assert not out.exists()  # outputs appear only complete

    subprocess.run(command(corpus, out, db), env=env, check=True, timeout=600)
    assert out.read_bytes() == whole.read_bytes()
    assert cached(db) == cached(whole_db)


def test_furniture_is_left_out_unless_kept(tmp_path, db_path, installed_models):
    seed = sorted((REPO / "seeds").glob("*.txt"))[0]
    plain = run(str(seed), "--db", str(db_path))
    kept = run(str(seed), "--keep-furniture", "--db", str(db_path))
    assert plain.exit_code == kept.exit_code == 0
    assert "Release time:2023-09-21" not in plain.stdout
    assert "Release time:2023-09-21" in kept.stdout  # untranslated, where it stood
    assert len(kept.stdout) > len(plain.stdout)


def test_jsonl_records_as_xliff_files(tmp_path, db_path, zh_paragraphs):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(json.dumps({"text": p}, ensure_ascii=False) for p in zh_paragraphs[:2]), "utf-8"
    )
    out = tmp_path / "xliff"
    result = run(
        str(corpus), "--field", "text", "--format", "xliff", "-o", str(out), "--db", str(db_path)
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["corpus-1.zh-en.xlf", "corpus-2.zh-en.xlf"]


def test_tiny_model_output_says_so_on_stderr_and_in_every_file(tmp_path, db_path, zh_paragraphs):
    from workbench.formats.tmx import read_tmx

    source = tmp_path / "zh.txt"
    source.write_text(zh_paragraphs[0], "utf-8")
    for fmt in ("jsonl", "tmx", "xliff"):
        out = tmp_path / f"out.{fmt}"
        result = run(str(source), "--format", fmt, "-o", str(out), "--db", str(db_path))
        assert result.exit_code == 0, result.output
        assert "tiny test model" in result.stderr
        text = out.read_text("utf-8")
        assert "tiny test model" in text, fmt
    units = read_tmx(tmp_path / "out.tmx").units
    assert all("tiny test model" in u.props["mt-note"] for u in units)
