"""Schema migrations: a 0.1.0 database upgrades with every row kept; newer ones are refused."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.store import migrations
from workbench.store.db import connect

SCHEMA_0_1_0 = Path(__file__).parent / "fixtures" / "schema" / "v0.1.0.sql"

ROWS = {
    "projects": [(1, "Default", "2024-03-01T00:00:00+00:00")],
    "documents": [
        (
            1,
            1,
            "大连理工大学新闻",
            "a.txt",
            "ab" * 32,
            "zh",
            "en",
            "mt",
            "{}",
            "m",
            0,
            12,
            "2024-03-01T00:00:00+00:00",
        ),
    ],
    "segments": [
        (
            1,
            1,
            0,
            0,
            1,
            None,
            "第一句。",
            "First.",
            "First sentence.",
            "approved",
            0.9,
            3,
            "2024-03-02T00:00:00+00:00",
            "ann",
            None,
            1200,
        ),
        (
            2,
            1,
            1,
            1,
            0,
            "byline",
            "记者 张三",
            None,
            "",
            "new",
            None,
            1,
            "2024-03-01T00:00:00+00:00",
            "import",
            None,
            None,
        ),
    ],
    "revisions": [
        (1, 1, 1, "", "new", "import", "import", None, "2024-03-01T00:00:00+00:00"),
        (2, 1, 2, "First.", "draft", "ann", "save", None, "2024-03-02T00:00:00+00:00"),
        (3, 1, 3, "First sentence.", "approved", "ann", "save", None, "2024-03-02T00:00:00+00:00"),
    ],
    "mt_cache": [("zh-en", "第一句。", "First.", "2024-03-01T00:00:00+00:00")],
    "users": [(1, "ann", "admin", "scrypt:hash", None, "2024-03-01T00:00:00+00:00")],
    "settings": [("secret_key", "00" * 32), ("site_name", "Harbour desk")],
    "tm_units": [
        (
            1,
            "第一句。",
            "First sentence.",
            "zh",
            "en",
            "第一句。",
            "第一 句",
            2,
            "approved",
            "2024-03-02T00:00:00+00:00",
            "2024-03-02T00:00:00+00:00",
            "ann",
            "{}",
        ),
    ],
    "tm_history": [(1, 1, "First.", "approved", None, "ann", "{}", "2024-03-02T00:00:00+00:00")],
    "tm_index": [("第一", 1)],
    "tm_tokens": [("第一", 1)],
    "repairs": [
        (1, 1, "merge", "ann", "2024-03-02T00:00:00+00:00", "[]", "[]", None, None, None, None),
    ],
}


#: What the upgrade keeps: every row, except the session key that 0.1.0 stored in the
#: database (migration 6 deletes it: the key lives outside the database now).
UPGRADED = {**ROWS, "settings": [("site_name", "Harbour desk")]}


def old_columns(table: str) -> str:
    """The table's columns in 0.1.0: later migrations may add columns, never drop these."""
    with sqlite3.connect(":memory:") as conn:
        conn.executescript(SCHEMA_0_1_0.read_text())
        return ", ".join(f'"{row[1]}"' for row in conn.execute(f"PRAGMA table_info({table})"))


def dump(path: Path) -> dict[str, list[tuple]]:
    """The 0.1.0 columns of every table (later migrations append columns after them)."""
    with sqlite3.connect(path) as conn:
        return {
            table: conn.execute(
                f"SELECT {old_columns(table)} FROM {table} ORDER BY 1, 2"
            ).fetchall()
            for table in ROWS
        }


@pytest.fixture
def old_db(tmp_path) -> Path:
    """A database as Workbench 0.1.0 left it: no schema version, every table filled."""
    path = tmp_path / "workbench.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_0_1_0.read_text())
        for table, rows in ROWS.items():
            marks = ", ".join("?" * len(rows[0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    assert dump(path) == ROWS
    return path


def test_a_0_1_0_database_upgrades_with_every_row_and_revision(old_db):
    db = connect(old_db)
    assert migrations.version(db) == migrations.SCHEMA_VERSION
    db.close()
    assert dump(old_db) == UPGRADED
    backup = old_db.with_name("workbench.db.bak-v0")
    assert dump(backup) == ROWS  # the copy made before upgrading
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0


def test_the_upgraded_database_works(old_db):
    from workbench.review.saves import save_segment

    db = connect(old_db)
    row = save_segment(db, 1, base_version=3, author="bob", target="The first sentence.")
    assert row["version"] == 4
    assert db.execute("SELECT count(*) FROM revisions WHERE segment_id = 1").fetchone()[0] == 4


def test_a_new_database_gets_the_latest_schema_and_no_backup(tmp_path):
    path = tmp_path / "new.db"
    db = connect(path)
    assert migrations.version(db) == migrations.SCHEMA_VERSION
    assert {"documents", "segments", "tm_units", "repairs"} <= set(db.table_names())
    assert not list(tmp_path.glob("*.bak-*"))


def test_upgrading_twice_changes_nothing(old_db):
    connect(old_db).close()
    before = dump(old_db)
    assert migrations.upgrade(connect(old_db), old_db) == []
    assert dump(old_db) == before


def test_a_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "future.db"
    connect(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    with pytest.raises(migrations.SchemaError, match="newer than this Workbench"):
        connect(path)
    result = CliRunner().invoke(cli, ["db", "version", "--db", str(path)])
    assert result.exit_code == 1
    assert "upgrade Workbench" in result.output


def test_a_failing_migration_leaves_the_database_as_it_was(old_db, monkeypatch):
    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS, migrations.Migration(99, "x", broken)]
    )
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(migrations.MIGRATIONS))
    with pytest.raises(RuntimeError):
        connect(old_db)
    with sqlite3.connect(old_db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    assert dump(old_db) == ROWS


def test_db_commands(old_db):
    runner = CliRunner()
    result = runner.invoke(cli, ["db", "version", "--db", str(old_db), "--json"])
    assert result.exit_code == 0, result.output
    assert '"database": 0' in result.output
    result = runner.invoke(cli, ["db", "upgrade", "--db", str(old_db)])
    assert result.exit_code == 0, result.output
    assert "from schema version 0" in result.output and "bak-v0" in result.output
    result = runner.invoke(cli, ["db", "upgrade", "--db", str(old_db)])
    assert "Already at schema version" in result.output
    assert dump(old_db) == UPGRADED


def every_table(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (not the full-text index's own tables)."""
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'tm_fts%'"
            )
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def fill_empty_tables(path: Path) -> None:
    """One row in every table still empty, its values made from the column types (ids
    1, which every filled parent table has, so foreign keys hold)."""
    samples = {"INTEGER": 1, "REAL": 1.5, "BLOB": b"<xliff/>"}
    checked = {("term_forms", "side"): "target", ("term_forms", "kind"): "variant"}
    with sqlite3.connect(path) as conn:
        for table, rows in every_table(path).items():
            if rows:
                continue
            columns = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            values = [
                checked.get((table, c[1]), samples.get(c[2].upper(), f"{table}.{c[1]}"))
                for c in columns
            ]
            marks = ", ".join("?" * len(values))
            conn.execute(f'INSERT INTO "{table}" VALUES ({marks})', values)


def test_migration_6_keeps_every_row_of_every_table_and_drops_the_stored_key(old_db, monkeypatch):
    with monkeypatch.context() as before_6:
        before_6.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:5])
        before_6.setattr(migrations, "SCHEMA_VERSION", 5)
        connect(old_db).close()
    fill_empty_tables(old_db)  # sessions, terms, XLIFF originals …: every table has a row
    before = every_table(old_db)
    assert all(before.values()), [t for t, rows in before.items() if not rows]
    assert ("secret_key", "00" * 32) in before["settings"]

    with monkeypatch.context() as up_to_6:
        up_to_6.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:6])
        up_to_6.setattr(migrations, "SCHEMA_VERSION", 6)
        db = connect(old_db)
        assert migrations.version(db) == 6
        db.close()
    after = every_table(old_db)
    assert after.pop("login_failures") == []
    assert after == {**before, "settings": [("site_name", "Harbour desk")]}
    with sqlite3.connect(old_db.with_name("workbench.db.bak-v5")) as conn:
        assert conn.execute("SELECT value FROM settings WHERE key = 'secret_key'").fetchone()


def test_migration_7_keeps_every_row_and_counts_every_glossary_change(old_db, monkeypatch):
    with monkeypatch.context() as before_7:
        before_7.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:6])
        before_7.setattr(migrations, "SCHEMA_VERSION", 6)
        connect(old_db).close()
    fill_empty_tables(old_db)
    before = every_table(old_db)

    db = connect(old_db)
    assert migrations.version(db) == 7
    after = every_table(old_db)
    assert after.pop("glossary_version") == [(0,)]
    assert after == before

    def counter() -> int:
        return db.execute("SELECT version FROM glossary_version").fetchone()[0]

    changes = [
        "INSERT INTO terms (source_lang, target_lang, source, target, created_at, updated_at)"
        " VALUES ('zh', 'en', '大学', 'university', 'now', 'now')",
        "UPDATE terms SET note = 'a note' WHERE source = '大学'",
        "INSERT INTO term_forms (term_id, side, kind, text)"
        " SELECT id, 'target', 'forbidden', 'college' FROM terms WHERE source = '大学'",
        "UPDATE term_forms SET text = 'school' WHERE text = 'college'",
        "DELETE FROM term_forms WHERE text = 'school'",
        "DELETE FROM terms WHERE source = '大学'",
    ]
    for number, change in enumerate(changes, start=1):
        db.execute(change)
        assert counter() == number, change
    db.close()


def test_nothing_reads_the_stored_secret_key():
    """No code reads the settings table, where 0.1.0 kept the key migration 6 deletes:
    sessions use <db>.key or WORKBENCH_SECRET_KEY (tests/test_sessions.py)."""
    package = Path(__file__).resolve().parents[1] / "workbench"
    reading = re.compile(r"""FROM\s+"?settings\b|\[["']settings["']\]""", re.IGNORECASE)
    assert [p.name for p in package.rglob("*.py") if reading.search(p.read_text("utf-8"))] == []
