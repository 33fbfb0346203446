"""`workbench db`: the schema version of a database, and upgrading it."""

from __future__ import annotations

import sqlite3

import click
import sqlite_utils

from workbench.cli.options import db_option, emit_json, fail, json_option
from workbench.store import db as storage
from workbench.store import migrations

EXIT_SCHEMA = 1


def _open_unmigrated(db_path: str) -> sqlite_utils.Database:
    path = storage.db_path(db_path)
    if not path.exists():
        fail(f"no database at {path}", EXIT_SCHEMA)
    return sqlite_utils.Database(sqlite3.connect(str(path), timeout=30))


@click.group("db")
def db_group() -> None:
    """Schema version and upgrades of the database (a backup is made first)."""


@db_group.command("version")
@db_option
@json_option
def db_version(db_path: str, as_json: bool) -> None:
    """Print the database's schema version and the one this Workbench writes."""
    current = migrations.version(_open_unmigrated(db_path))
    pending = [m for m in migrations.MIGRATIONS if m.number > current]
    if as_json:
        emit_json(
            {
                "database": current,
                "code": migrations.SCHEMA_VERSION,
                "pending": [{"number": m.number, "description": m.description} for m in pending],
            }
        )
    else:
        click.echo(f"Schema version {current}; this Workbench writes {migrations.SCHEMA_VERSION}.")
        for m in pending:
            click.echo(f"  pending: {m.number} {m.description}")
    if current > migrations.SCHEMA_VERSION:
        fail("the database is newer than this Workbench: upgrade Workbench", EXIT_SCHEMA)


@db_group.command("upgrade")
@db_option
def db_upgrade(db_path: str) -> None:
    """Apply pending migrations in one transaction, after copying the file to DB.bak-vN."""
    path = storage.db_path(db_path)
    db = _open_unmigrated(db_path)
    before = migrations.version(db)
    try:
        applied = migrations.upgrade(db, path)
    except migrations.SchemaError as error:
        fail(str(error), EXIT_SCHEMA)
    if not applied:
        click.echo(f"Already at schema version {before}.")
        return
    backup = migrations.backup_path(path, before)
    click.echo(
        f"Upgraded {path} from schema version {before} to {migrations.SCHEMA_VERSION}"
        + (f" (backup: {backup})" if backup.exists() else "")
    )
