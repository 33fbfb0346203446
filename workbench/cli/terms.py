"""`workbench terms`: glossaries (per project, or shared without ``--project``)."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from workbench.cli.options import EXIT_INPUT, db_option, emit_json, fail, json_option
from workbench.store import db as storage

project_option = click.option(
    "--project", help="Project whose glossary to use (default: the glossary shared by all)."
)
FORMATS = ("tbx", "tbx3", "omegat", "matecat")


def _format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    suffix = path.suffix.lower()
    if suffix in (".tbx", ".xml"):
        return "tbx"
    return "omegat" if suffix in (".tsv", ".txt", ".utf8", ".tab") else "auto"


@click.group("terms")
def terms_group() -> None:
    """Glossary: import/export TBX and CSV/TSV (OmegaT, MateCat), list, add, extract."""


@terms_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@project_option
@click.option(
    "--from", "source_lang", help="Source language tag, e.g. zh-CN (OmegaT files need it)."
)
@click.option("--to", "target_lang", help="Target language tag, e.g. en-US.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the file name.")
@click.option("--by", "author", default=None, help="Who imports (default: the login name).")
@db_option
@json_option
def terms_import(files, project, source_lang, target_lang, fmt, author, db_path, as_json) -> None:
    """Import glossary FILES (TBX, or CSV/TSV in OmegaT's or MateCat's columns; UTF-8/16).

    Each file imports whole or not at all; entries already there are merged.
    """
    from workbench.terms import entries as glossary
    from workbench.terms.tabular import read_table
    from workbench.terms.tbx import read_tbx

    db = storage.connect(db_path)
    author = author or getpass.getuser()
    reports, failed = [], False
    for name in files:
        path = Path(name)
        try:
            pid = glossary.project_id(db, project, create=True)
            kind = _format_of(path, fmt)
            warnings: list[str] = []
            if kind in ("tbx", "tbx3"):
                found, warnings = read_tbx(path, source_lang, target_lang)
            else:
                layout = None if kind == "auto" else kind
                found = read_table(path, layout, source_lang, target_lang)
            for entry in found:
                entry.project_id, entry.origin = pid, f"import:{path.name}"
            stats = glossary.import_entries(db, found, author)
        except (glossary.GlossaryError, OSError) as error:
            failed = True
            reports.append({"file": name, "error": str(error)})
            click.secho(f"Not imported {name}: {error}", fg="red", err=True)
            continue
        stats.warnings += warnings
        reports.append({"file": name, **stats.as_dict()})
        if not as_json:
            click.echo(
                f"{name}: {stats.added} added, {stats.updated} merged, {stats.skipped} skipped"
            )
            for warning in stats.warnings:
                click.secho(f"  warning: {warning}", fg="yellow", err=True)
    if as_json:
        emit_json(reports)
    if failed:
        raise SystemExit(EXIT_INPUT)


@terms_group.command("export")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@project_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the file name.")
@click.option("--encoding", type=click.Choice(["utf-8", "utf-16"]), default="utf-8")
@click.option("--only-project", is_flag=True, help="Leave out the shared glossary's entries.")
@db_option
def terms_export(output, project, fmt, encoding, only_project, db_path) -> None:
    """Write the glossary as TBX-Basic (tbx), TBX v3 (tbx3), OmegaT TSV or MateCat CSV."""
    from workbench.terms import entries as glossary
    from workbench.terms.tabular import write_table
    from workbench.terms.tbx import write_tbx

    db = storage.connect(db_path)
    path = Path(output)
    try:
        pid = glossary.project_id(db, project)
    except glossary.GlossaryError as error:
        fail(str(error), 2)
    found = glossary.entries(db, pid, include_shared=not only_project)
    kind = _format_of(path, fmt)
    if kind == "auto":
        kind = "matecat" if path.suffix.lower() == ".csv" else "omegat"
    if kind in ("tbx", "tbx3"):
        count = write_tbx(path, found, version=3 if kind == "tbx3" else 2, encoding=encoding)
    else:
        count = write_table(path, found, kind, encoding)
    click.echo(f"Wrote {count} entries to {path}", err=True)


@terms_group.command("list")
@project_option
@click.option("--only-project", is_flag=True, help="Leave out the shared glossary's entries.")
@db_option
@json_option
def terms_list(project, only_project, db_path, as_json) -> None:
    """List the glossary (the project's entries and the shared ones)."""
    from workbench.terms import entries as glossary

    db = storage.connect(db_path)
    try:
        pid = glossary.project_id(db, project)
    except glossary.GlossaryError as error:
        fail(str(error), 2)
    found = glossary.entries(db, pid, include_shared=not only_project)
    if as_json:
        emit_json([e.as_dict() for e in found])
        return
    for e in found:
        scope = "shared" if e.project_id is None else "project"
        extra = f"  (also: {', '.join(e.target_variants)})" if e.target_variants else ""
        wrong = f"  not: {', '.join(e.forbidden)}" if e.forbidden else ""
        click.echo(f"{e.id}\t{e.source} → {e.target}{extra}{wrong}\t[{scope}]")


@terms_group.command("add")
@click.argument("source")
@click.argument("target")
@project_option
@click.option("--from", "source_lang", required=True, help="Source language tag (zh-CN …).")
@click.option("--to", "target_lang", required=True, help="Target language tag (en-US …).")
@click.option("--variant", "variants", multiple=True, help="Another acceptable translation.")
@click.option("--source-variant", "source_variants", multiple=True, help="Another source form.")
@click.option("--forbidden", multiple=True, help="A translation that must not be used.")
@click.option("--pos", help="Part of speech (noun, verb, properNoun …).")
@click.option("--note")
@click.option("--case-sensitive", is_flag=True)
@click.option("--by", "author", default=None)
@db_option
@json_option
def terms_add(
    source, target, project, source_lang, target_lang, variants, source_variants, forbidden,
    pos, note, case_sensitive, author, db_path, as_json,
) -> None:  # fmt: skip
    """Add SOURCE → TARGET to the glossary (merged into an existing entry)."""
    from workbench.terms import entries as glossary

    db = storage.connect(db_path)
    try:
        entry = glossary.Entry(
            source=source,
            target=target,
            source_lang=source_lang,
            target_lang=target_lang,
            source_variants=list(source_variants),
            target_variants=list(variants),
            forbidden=list(forbidden),
            pos=pos,
            note=note,
            case_sensitive=case_sensitive,
            origin="cli",
        )
        with storage.write_transaction(db):
            entry.project_id = glossary.project_id(db, project, create=True)
            term_id, action = glossary.save(db, entry, author or getpass.getuser())
    except glossary.GlossaryError as error:
        fail(str(error), 2)
    if as_json:
        emit_json({"id": term_id, "action": action})
    else:
        click.echo(f"{action} entry {term_id}: {source} → {target}")


@terms_group.command("extract")
@project_option
@click.option("--min-frequency", default=2, show_default=True, help="Sentence pairs per term.")
@db_option
@json_option
def terms_extract(project, min_frequency, db_path, as_json) -> None:
    """Propose term candidates from the project's approved and aligned segments.

    They wait on the review page (/terms/candidates) for a reviewer's decision.
    """
    from workbench.terms import entries as glossary
    from workbench.terms.candidates import refresh

    db = storage.connect(db_path)
    try:
        pid = glossary.project_id(db, project)
    except glossary.GlossaryError as error:
        fail(str(error), 2)
    found = refresh(db, pid, min_frequency)
    if as_json:
        emit_json(found)
        return
    for c in found:
        click.echo(f"{c['id']}\t{c['source']} → {c['target']}\t×{c['frequency']} dice {c['score']}")
    click.echo(f"{len(found)} candidates waiting for review", err=True)
