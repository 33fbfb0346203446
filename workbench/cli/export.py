"""`workbench export` and `workbench import-xliff`: approved pairs out, CAT-tool work back in."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from workbench.cli.options import EXIT_INPUT, db_option, emit_json, fail, json_option
from workbench.formats.atomic import TargetError
from workbench.store import db as storage

#: The output could not be written (a missing directory, no permission, a full disk,
#: a device or FIFO): one line on stderr; an older file at the path is untouched.
EXIT_OUTPUT = 3


@click.command("export")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tmx", "xliff", "csv", "tsv"]),
    default="tmx",
    show_default=True,
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write."
)
@click.option(
    "--status",
    type=click.Choice(storage.STATUSES),
    multiple=True,
    help="Segment statuses to export (repeatable) [default: approved; xliff: all].",
)
@click.option(
    "--document", "document_id", type=int, help="Only this document (required for xliff)."
)
@click.option("--project", help="Only documents of this project.")
@click.option("--since", help="Only segments changed on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only segments changed before this date (YYYY-MM-DD).")
@click.option(
    "--source-lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="TMX header srclang; units of the other direction carry their own.",
)
@click.option(
    "--lang-tag",
    multiple=True,
    metavar="CODE=TAG",
    help="xml:lang for a language, e.g. zh=zh-Hans (default en=en-US, zh=zh-CN).",
)
@click.option("--bom", is_flag=True, help="csv/tsv: start with a UTF-8 BOM (for Excel).")
@click.option(
    "--escape-formulas/--no-escape-formulas",
    default=True,
    show_default=True,
    help="csv/tsv: prefix cells starting with = + - @ (or tab/CR) with ' so a spreadsheet"
    " shows them as text instead of running them as formulas.",
)
@click.option(
    "--untranslated",
    type=click.Choice(["copy", "omit"]),
    default="copy",
    show_default=True,
    help="xliff: an untranslated unit gets the source copied as target with state"
    " needs-translation (OmegaT 3.6 translates targets and skips units without one;"
    " import-xliff reads such a copy as untranslated), or no <target> at all (omit).",
)
@click.option("--for-omegat", is_flag=True, hidden=True, help="The default now (copy).")
def export(**options) -> None:
    """Export segments as TMX 1.4b, XLIFF 1.2 (one document), CSV or TSV.

    The file is written atomically: an interrupted export never leaves a
    truncated file in place of an older one. The output must be a regular file
    or a new name; a symlink is followed (the file it points to is replaced, the
    link stays); a device, FIFO or directory is refused (exit 3). MT from a tiny
    test model is marked in the file (TMX header prop and unit props, an XLIFF
    header note, a CSV/TSV column).
    """
    opts = ExportOptions(**options)
    try:
        _export(opts)
    except OSError as error:
        reason = error.strerror or str(error) if not isinstance(error, TargetError) else error
        where = f" ({error.filename})" if getattr(error, "filename", None) else ""
        fail(f"cannot write {opts.output or 'the output'}: {reason}{where}", EXIT_OUTPUT)


@dataclass(frozen=True)
class ExportOptions:
    """The command's options, as click passes them (one list, not one per function)."""

    db_path: str
    fmt: str
    output: str
    status: tuple[str, ...]
    document_id: int | None
    project: str | None
    since: str | None
    until: str | None
    source_lang: str
    lang_tag: tuple[str, ...]
    bom: bool
    escape_formulas: bool
    untranslated: str
    for_omegat: bool

    @property
    def copy_source(self) -> bool:
        """XLIFF: an untranslated unit's target is a copy of its source (state tells)."""
        return self.untranslated == "copy" or self.for_omegat

    def lang_tags(self) -> dict[str, str]:
        """The default xml:lang tags with ``--lang-tag CODE=TAG`` applied."""
        from workbench.formats.units import DEFAULT_LANG_TAGS

        tags = dict(DEFAULT_LANG_TAGS)
        for item in self.lang_tag:
            code, _, tag = item.partition("=")
            if not code or not tag:
                raise click.BadParameter(f"{item!r} is not CODE=TAG", param_hint="--lang-tag")
            tags[code] = tag
        return tags


def _export(opts: ExportOptions) -> None:
    from workbench.exchange.export import (
        MT_NOTE_PROP,
        UNIT_MT_NOTE,
        Selection,
        file_mt_note,
        tiny_models,
        units,
    )
    from workbench.formats.atomic import atomic_write
    from workbench.formats.tabular import DEFAULT_PROP_COLUMNS, write_tabular
    from workbench.formats.tmx import write_tmx

    tags = opts.lang_tags()
    db = storage.connect(opts.db_path)
    if opts.fmt == "xliff":
        _export_xliff(db, opts, tags)
        return
    selection = Selection(
        opts.status or ("approved",), opts.document_id, opts.project, opts.since, opts.until
    )
    note = file_mt_note(tiny_models(db, selection))
    if opts.fmt == "tmx":
        count = write_tmx(
            units(db, selection),
            opts.output,
            source_lang=opts.source_lang,
            lang_tags=tags,
            header_prop_list=[(MT_NOTE_PROP, note)] if note else (),
        )
    else:
        with atomic_write(opts.output) as out:
            count = write_tabular(
                units(db, selection),
                out,
                dialect=opts.fmt,
                bom=opts.bom,
                escape_formulas=opts.escape_formulas,
                prop_columns=DEFAULT_PROP_COLUMNS + ((UNIT_MT_NOTE,) if note else ()),
            )
    click.echo(f"Wrote {count} translation units to {opts.output}")
    if note:
        click.secho(f"Note: {note} (marked in the file)", fg="yellow", err=True)


def _export_xliff(db, opts: ExportOptions, tags: dict[str, str]) -> None:
    """One document for a CAT tool, or another tool's file with its targets patched."""
    from workbench.exchange.export import xliff_document
    from workbench.exchange.foreign import export_work, has_original
    from workbench.formats.atomic import atomic_write
    from workbench.formats.xliff import write_xliff

    document_id = opts.document_id
    if document_id is None:
        raise click.UsageError("--format xliff exports one document: give --document ID")
    if db["documents"].count_where("id = ?", [document_id]) == 0:
        fail(f"no document {document_id}", EXIT_INPUT)
    if has_original(db, document_id):  # another tool's file: patch its targets
        data, patched = export_work(db, document_id)
        with atomic_write(opts.output, "wb") as out:
            out.write(data)
        click.echo(
            f"Wrote document {document_id} back as its original XLIFF to {opts.output}"
            f" ({patched} targets changed)"
        )
        return
    doc = xliff_document(db, document_id)
    if opts.status:
        doc.segments = [s for s in doc.segments if s.status in opts.status]
    count = write_xliff(doc, opts.output, lang_tags=tags, copy_source=opts.copy_source)
    click.echo(f"Wrote {count} segments of document {document_id} to {opts.output}")
    for note in doc.notes:
        click.secho(f"Note: {note} (marked in the file)", fg="yellow", err=True)


@click.command("import-xliff")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@db_option
@click.option(
    "--user", default="cli", show_default=True, help="Recorded as the author of the changes."
)
@json_option
def import_xliff(file: str, db_path: str, user: str, as_json: bool) -> None:
    """Bring back an XLIFF 1.2 file exported with `export --format xliff` and
    finished in a CAT tool: targets and statuses, one transaction. Segments
    changed in Workbench since the export are reported as conflicts and kept.

    Another tool's XLIFF 1.2 or 2.0 (OmegaT, Okapi, Trados, memoQ, MateCat,
    Xcode, Symfony …) becomes a new document to post-edit, MT filled in where
    the file has no target; `export --format xliff --document ID` writes that
    same file back with only targets and states changed."""
    from pathlib import Path

    from workbench.exchange.foreign import import_work, is_own_export
    from workbench.exchange.reimport import apply_xliff
    from workbench.formats.xliff import XliffError, read_xliff

    if not is_own_export(Path(file).read_bytes()):
        try:
            result = import_work(storage.connect(db_path), file, author=user)
        except (XliffError, ValueError) as error:
            fail(f"{file}: {error}", EXIT_INPUT)
        if as_json:
            emit_json(result.as_dict())
            return
        if result.already_imported:
            click.echo(f"{file} was imported before as document {result.document_id}")
            return
        click.echo(
            f"Document {result.document_id}: {result.units} units from another tool's XLIFF,"
            f" {result.machine_translated} machine-translated"
        )
        for warning in result.warnings:
            click.secho(f"  warning: {warning}", fg="yellow", err=True)
        return

    try:
        report = apply_xliff(storage.connect(db_path), read_xliff(file), user)
    except (XliffError, ValueError) as error:
        fail(f"{file}: {error}", EXIT_INPUT)
    if as_json:
        emit_json(report.as_dict())
    else:
        click.echo(
            f"Document {report.document_id}: {report.updated} segments updated,"
            f" {report.unchanged} unchanged, {len(report.conflicts)} conflicts,"
            f" {len(report.skipped)} skipped"
        )
        for line in report.conflicts + report.skipped:
            click.echo(f"  {line}")
    if report.conflicts or report.skipped:
        sys.exit(EXIT_INPUT)
