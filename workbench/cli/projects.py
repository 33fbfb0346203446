"""`workbench projects`: per-project settings (TM leverage on import)."""

from __future__ import annotations

import click

from workbench.cli.options import db_option, emit_json, fail, json_option
from workbench.store import db as storage


@click.group("projects")
def projects_group() -> None:
    """Projects and their settings."""


@projects_group.command("set")
@click.argument("name")
@click.option(
    "--ice-auto-confirm/--no-ice-auto-confirm",
    default=None,
    help="Confirm in-context exact (ICE) TM matches automatically on import.",
)
@click.option(
    "--fuzzy-prefill",
    help="Pre-fill targets from fuzzy TM matches scoring at least this (50-99), or 'off'.",
)
@db_option
@json_option
def projects_set(name, ice_auto_confirm, fuzzy_prefill, db_path, as_json) -> None:
    """Change project NAME's settings (created if new); prints them."""
    threshold = None
    if fuzzy_prefill is not None and fuzzy_prefill != "off":
        if not fuzzy_prefill.isdigit() or not 50 <= int(fuzzy_prefill) <= 99:
            fail("--fuzzy-prefill must be a score from 50 to 99, or off", 2)
        threshold = int(fuzzy_prefill)
    db = storage.connect(db_path)
    with storage.write_transaction(db):
        project = storage.default_project(db, name)
        if ice_auto_confirm is not None:
            db.execute(
                "UPDATE projects SET ice_auto_confirm = ? WHERE id = ?",
                [int(ice_auto_confirm), project],
            )
        if fuzzy_prefill is not None:
            db.execute("UPDATE projects SET fuzzy_prefill = ? WHERE id = ?", [threshold, project])
    row = db.execute(
        "SELECT name, ice_auto_confirm, fuzzy_prefill FROM projects WHERE id = ?", [project]
    ).fetchone()
    settings = {"project": row[0], "ice_auto_confirm": bool(row[1]), "fuzzy_prefill": row[2]}
    if as_json:
        emit_json(settings)
    else:
        click.echo(
            f"{row[0]}: ICE auto-confirm {'on' if row[1] else 'off'},"
            f" fuzzy pre-fill {row[2] if row[2] is not None else 'off'}"
        )
