"""Tests for bugs that were planted in a copy of the code and that the suite did not
notice: the export's default status filter, the MT cache committed per batch, and
translate outputs written in place (a failure halfway truncated the previous run's file)."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from conftest import training_pairs
from review_support import import_harbour

from workbench.cli import cli
from workbench.mt.translator import get_translator, translate_cached
from workbench.review.saves import save_segment
from workbench.store.db import connect


def test_export_by_default_writes_only_approved_segments_even_with_targets(db_path, tmp_path):
    connect(db_path).close()
    doc = import_harbour(db_path)  # aligned with its translation: every target filled
    db = connect(db_path)
    rows = list(db.query("SELECT * FROM segments WHERE document_id = ? AND translate", [doc]))
    assert all(r["target"] and r["status"] != "approved" for r in rows[1:])
    save_segment(db, rows[1]["id"], base_version=rows[1]["version"], author="rita",
                 status="approved")  # fmt: skip
    db.close()
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(db_path), "-o", str(out),
                                      "--format", "csv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    exported = list(csv.reader(io.StringIO(out.read_text("utf-8"))))[1:]
    assert [row[3] for row in exported] == [rows[1]["source"]]


def test_the_mt_cache_keeps_every_batch_finished_before_a_failure(
    db, installed_models, monkeypatch
):
    translator = get_translator("zh", "en")
    sentences = [f"第{i}句话很短。" for i in range(6)] + ["这是一个比前面的句子长得多的句子。" * 3]
    real = translator.translate_tokens
    calls = []

    def failing_later(tokens):
        calls.append(len(tokens))
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(tokens)

    monkeypatch.setattr(translator, "translate_tokens", failing_later)
    with pytest.raises(RuntimeError):
        translate_cached(db, translator, sentences, chunk=3)
    kept = db.execute("SELECT COUNT(*) FROM mt_cache").fetchone()[0]
    assert kept == calls[0] == 3  # the first batch survived the failure of the second


def test_translate_outputs_are_written_atomically(tmp_path):
    from workbench.batch.outputs import write_file

    path = tmp_path / "out" / "corpus.jsonl"
    write_file(path, lambda out: out.write(b'{"previous": "complete run"}\n'))

    def dies_halfway(out):
        out.write(b'{"half": ')
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_file(path, dies_halfway)
    assert path.read_bytes() == b'{"previous": "complete run"}\n'
    assert [p.name for p in path.parent.iterdir()] == ["corpus.jsonl"]  # no temporary left


@pytest.mark.parametrize(
    "fmt, writer, into",
    [
        ("tsv", "write_corpus", "file"),  # sentence pairs: one corpus file
        ("txt", "write_text", "file"),  # one document, -o FILE
        ("txt", "write_text", "dir"),  # a folder of documents, -o DIR
    ],
)
def test_a_translate_that_fails_while_writing_keeps_the_previous_output(
    tmp_path, db_path, installed_models, monkeypatch, fmt, writer, into
):
    """Through the real command: every place ``translate`` writes goes through the
    atomic write, so a full disk halfway leaves last run's file whole and no temporary."""
    from workbench.batch import outputs

    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = [source for source, _ in training_pairs(installed_models[("zh", "en")])]
    (inputs / "news.txt").write_text(lines[0] + lines[1] + "\n\n" + lines[2], "utf-8")
    out = tmp_path / "out"
    if into == "file":
        out.mkdir()
        args = [str(inputs / "news.txt"), "-o", str(out / f"news.{fmt}")]
    else:
        args = [str(inputs), "-o", str(out)]
    command = ["translate", *args, "--format", fmt, "--db", str(db_path)]
    first = CliRunner().invoke(cli, command)
    assert first.exit_code == 0, first.output
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(before) == 1 and next(iter(before.values()))

    def disk_full_halfway(stream, *args):
        stream.write(b"half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs, writer, disk_full_halfway)
    failed = CliRunner().invoke(cli, command)
    assert failed.exit_code != 0
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
