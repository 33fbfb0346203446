"""`workbench tm`: TMX files from other tools into the memory, lookups, export."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from translate.storage.tmx import tmxfile

from workbench.cli import cli
from workbench.store.db import connect

INTERCHANGE = Path(__file__).parent / "fixtures" / "interchange"


def run(db_path, *args: str):
    return CliRunner().invoke(cli, ["tm", *args, "--db", str(db_path)])


def test_import_files_from_other_tools_then_look_up(db_path):
    files = sorted(str(p) for p in INTERCHANGE.glob("*.tmx"))
    result = run(db_path, "import", *files, "--json")
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert len(reports) == len(files) and all(r["added"] > 0 for r in reports)
    db = connect(db_path)
    unit = next(iter(db.query("SELECT * FROM tm_units WHERE source_lang = 'en' LIMIT 1")))
    found = run(
        db_path, "lookup", unit["source"], "--from", "en", "--to", unit["target_lang"], "--json"
    )
    assert found.exit_code == 0, found.output
    best = json.loads(found.stdout)[0]
    assert (best["score"], best["target"]) == (100, unit["target"])
    assert best["origin"].startswith("tmx:")


def test_reimport_merges_duplicates(db_path):
    files = sorted(str(p) for p in INTERCHANGE.glob("*.tmx"))
    run(db_path, "import", *files)
    before = connect(db_path)["tm_units"].count
    again = json.loads(run(db_path, "import", *files, "--json").stdout)
    assert sum(r["added"] for r in again) == 0
    assert connect(db_path)["tm_units"].count == before


def test_malformed_file_imports_nothing_and_names_the_line(db_path, tmp_path):
    good = sorted(INTERCHANGE.glob("*.tmx"))[0].read_bytes()
    broken = tmp_path / "broken.tmx"
    broken.write_bytes(good[: len(good) * 2 // 3])
    result = run(db_path, "import", str(broken))
    assert result.exit_code == 1
    assert "line" in result.output
    assert connect(db_path)["tm_units"].count == 0


def test_export_the_memory(db_path, tmp_path):
    run(db_path, "import", *sorted(str(p) for p in INTERCHANGE.glob("*.tmx")))
    out = tmp_path / "memory.tmx"
    result = run(db_path, "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(tmxfile(out.read_bytes()).units) == connect(db_path)["tm_units"].count


def test_empty_memory_export_is_an_error(db_path, tmp_path):
    result = run(db_path, "export", "-o", str(tmp_path / "x.tmx"))
    assert result.exit_code == 1
    assert "empty" in result.output
