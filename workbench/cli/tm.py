"""`workbench tm`: the translation memory from the command line."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from workbench.cli.options import EXIT_INPUT, db_option, emit_json, fail, json_option
from workbench.store import db as storage


@click.group("tm")
def tm_group() -> None:
    """Translation memory: approved pairs and imported TMX units."""


@tm_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@db_option
@json_option
def tm_import(files: tuple[str, ...], db_path: str, as_json: bool) -> None:
    """Import TMX FILES (1.1–1.4, UTF-8 or UTF-16, from OmegaT, Trados, MateCat …).

    Each file imports whole or not at all; a malformed file is reported with
    its line number. Duplicate units are merged, the newest target kept.
    """
    from workbench.formats.tmx import TmxError, read_tmx
    from workbench.tm import memory as tm

    db = storage.connect(db_path)
    reports, failed = [], False
    for name in files:
        try:
            parsed = read_tmx(Path(name))
            header = {
                "attrs": parsed.header,
                "prop_list": parsed.header_prop_list,
                "notes": parsed.header_notes,
                "udes": parsed.header_udes,
            }
            stats = tm.import_units(
                db, parsed.units, origin=f"tmx:{Path(name).name}", header=header
            )
        except (TmxError, tm.PairError, OSError) as error:
            failed = True
            reports.append({"file": name, "error": str(error)})
            click.secho(f"Not imported {name}: {error}", fg="red", err=True)
            continue
        warnings = parsed.warnings + stats.warnings
        reports.append({"file": name, **stats.as_dict(), "skipped_in_file": parsed.skipped})
        if not as_json:
            click.echo(
                f"{name}: {stats.added} added, {stats.updated} updated, {stats.unchanged}"
                f" unchanged, {stats.skipped + parsed.skipped_total} skipped"
            )
            for warning in warnings:
                click.secho(f"  warning: {warning}", fg="yellow", err=True)
    if as_json:
        emit_json(reports)
    if failed:
        raise SystemExit(EXIT_INPUT)


@tm_group.command("lookup")
@click.argument("text")
@click.option("--from", "source_lang", type=click.Choice(["zh", "en"]), required=True)
@click.option("--to", "target_lang", type=click.Choice(["zh", "en"]), required=True)
@click.option("--limit", default=5, show_default=True)
@click.option("--min-score", default=50, show_default=True, type=click.IntRange(0, 100))
@db_option
@json_option
def tm_lookup(
    text: str,
    source_lang: str,
    target_lang: str,
    limit: int,
    min_score: int,
    db_path: str,
    as_json: bool,
) -> None:
    """Fuzzy matches for TEXT, best first, with a match percentage."""
    from workbench.tm import memory as tm

    matches = tm.lookup(storage.connect(db_path), text, source_lang, target_lang, limit, min_score)
    if as_json:
        emit_json([dataclasses.asdict(m) for m in matches])
        return
    if not matches:
        click.echo("No match.")
    for m in matches:
        bound = f"; alternative for {m.context}" if m.context else ""
        click.echo(f"{m.score:3d}%  {m.source}\n      {m.target}  ({m.origin}{bound})")


@tm_group.command("export")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option("--source-lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@db_option
def tm_export(output: str, source_lang: str, db_path: str) -> None:
    """Write the whole memory as TMX 1.4b."""
    from workbench.formats.tmx import write_tmx
    from workbench.tm import memory as tm

    db = storage.connect(db_path)
    if not db["tm_units"].count:
        fail("the translation memory is empty", EXIT_INPUT)
    header = tm.headers(db)
    count = write_tmx(
        tm.iter_units(db),
        output,
        source_lang=source_lang,
        header_attrs=header["attrs"],
        header_prop_list=header["prop_list"],
        header_notes=header["notes"],
        header_udes=header["udes"],
        srclang_tag=tm.source_tag(db, source_lang),
    )
    click.echo(f"Wrote {count} translation units to {output}")
