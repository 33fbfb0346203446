"""`workbench import`: every seed article, and the inputs that must be refused."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from workbench.cli import cli
from workbench.store.db import connect


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_every_seed_imports_with_direction_and_translation(seeded_db):
    db = connect(seeded_db)
    documents = list(db.query("SELECT * FROM documents ORDER BY filename"))
    assert [d["filename"] for d in documents] == sorted(p.name for p in SEEDS.glob("*.txt"))
    for document in documents:
        text = (SEEDS / document["filename"]).read_text("utf-8")
        chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in text) > len(text) / 4
        expected = ("zh", "en") if chinese else ("en", "zh")
        assert (document["source_lang"], document["target_lang"]) == expected
        assert document["mt_tiny"] == 1
        segments = list(db["segments"].rows_where("document_id = ?", [document["id"]]))
        body = [s for s in segments if s["translate"]]
        assert len(body) >= 5
        assert all(s["mt"] and s["status"] == "new" for s in body)
        assert any(not s["translate"] for s in segments), "page furniture is kept, marked"
        # nothing of the article is lost: every line's words are somewhere in the segments
        joined = "".join(s["source"] for s in segments).replace(" ", "")
        for line in text.splitlines():
            assert line.replace(" ", "").strip() in joined


def test_reimport_is_reported_not_duplicated(seeded_db):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = run("import", str(seed), "--db", str(seeded_db), "--json")
    assert result.exit_code == 0, result.output
    (imported,) = json.loads(result.stdout)["imported"]
    assert imported["already_imported"] is True
    assert connect(seeded_db)["documents"].count == 5


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        # GBK is detected now (tests/test_encodings.py); two characters stay ambiguous
        ("你好".encode("gbk"), "--encoding gb18030"),
    ],
)
def test_bad_input_is_refused_and_the_rest_goes_on(
    db_path, installed_models, tmp_path, content, message
):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = sorted(SEEDS.glob("*.txt"))[0]
    result = run("import", str(bad), str(good), "--db", str(db_path))
    assert result.exit_code == 1
    assert message in result.output
    assert connect(db_path)["documents"].count == 1


def test_gbk_file_reads_with_encoding_option(db_path, installed_models, tmp_path):
    text = (SEEDS / "002_d49f3538b7269fd6.txt").read_text("utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.encode("gb18030"))
    result = run("import", str(gbk), "--db", str(db_path), "--encoding", "gbk")
    assert result.exit_code == 0, result.output
    assert connect(db_path)["documents"].count == 1


def test_missing_model_is_a_clear_error_and_stores_nothing(db_path, no_models):
    result = run("import", str(sorted(SEEDS.glob("*.txt"))[0]), "--db", str(db_path))
    assert result.exit_code == 3
    assert "workbench models install translate-en_zh" in result.output
    assert connect(db_path)["documents"].count == 0


def test_missing_file_is_reported(db_path, installed_models):
    result = run("import", "no-such-file.txt", "--db", str(db_path))
    assert result.exit_code == 1
    assert "no-such-file.txt" in result.output


def test_projects_hold_their_own_copy_of_an_article(db_path, installed_models):
    seed = str(sorted(SEEDS.glob("*.txt"))[0])
    assert run("import", seed, "--db", str(db_path), "--project", "Liaoning").exit_code == 0
    assert run("import", seed, "--db", str(db_path), "--project", "Liaoning").exit_code == 0
    assert run("import", seed, "--db", str(db_path), "--project", "Archive").exit_code == 0
    db = connect(db_path)
    projects = db.execute(
        "SELECT p.name, COUNT(d.id) FROM projects p JOIN documents d ON d.project_id = p.id"
        " GROUP BY p.name ORDER BY p.name"
    ).fetchall()
    assert projects == [("Archive", 1), ("Liaoning", 1)]


def test_source_words_are_counted_at_import(seeded_db):
    from aligner.tokens import word_count

    db = connect(seeded_db)
    for document in db["documents"].rows:
        sources = db.execute(
            "SELECT source FROM segments WHERE document_id = ? AND translate", [document["id"]]
        ).fetchall()
        expected = sum(word_count(s[0], document["source_lang"]) for s in sources)
        assert document["source_words"] == expected > 0
