"""Tests for bugs that were planted in a copy of the code and that the suite did not
notice: the export's default status filter, and the MT cache committed per batch."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
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
