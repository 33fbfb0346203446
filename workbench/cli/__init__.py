"""The ``workbench`` command line (exit codes: see ``workbench.cli_options``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbench import __version__
from workbench import db as storage
from workbench.cli_options import (
    EXIT_INPUT,
    EXIT_MODEL,
    db_option,
    emit_json,
    encoding_option,
    fail,
    json_option,
)

FIXTURE_MODELS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "models"


def progress_bar(length: int, label: str):
    """A progress bar on a terminal, nothing when stderr is piped."""
    return click.progressbar(
        length=length,
        label=label,
        file=sys.stderr,
        hidden=not sys.stderr.isatty(),
        show_pos=True,
        show_eta=True,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
def cli() -> None:
    """Offline Chinese⇄English translation and alignment workbench.

    Import articles (cleaned, split into sentences and machine translated with
    Argos Translate packages), review them in the browser, score the MT against
    the approved text and export the approved pairs as TMX.
    """


@cli.group()
def models() -> None:
    """Install and list Argos translation packages."""


@models.command("install")
@click.argument("package")
def models_install(package: str) -> None:
    """Install PACKAGE: a local .argosmodel file, or translate-zh_en / translate-en_zh
    (downloaded from the Argos index and checked against a pinned sha256)."""
    from workbench import packages

    try:
        if package.endswith(".argosmodel") or Path(package).exists():
            model = packages.install_archive(Path(package))
        else:
            with click.progressbar(
                length=0, label=f"Downloading {package}", file=sys.stderr
            ) as bar:
                model = packages.download_and_install(package, progress=bar)
    except packages.PackageError as error:
        fail(str(error), EXIT_MODEL)
    note = " (tiny test model)" if model.tiny else ""
    click.echo(
        f"Installed {model.name} {model.package_version}: {model.from_code}→{model.to_code}{note}"
    )


@models.command("list")
@json_option
def models_list(as_json: bool) -> None:
    """List installed translation packages."""
    from workbench.packages import installed_models, packages_dir

    found = installed_models()
    if as_json:
        emit_json([m.as_dict() for m in found])
        return
    if not found:
        click.echo(f"No translation packages installed in {packages_dir()}.")
        click.echo("Install one with: workbench models install translate-zh_en")
    for m in found:
        tiny = "  [tiny test model]" if m.tiny else ""
        click.echo(f"{m.from_code}→{m.to_code}  {m.name} {m.package_version}  {m.path}{tiny}")


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@db_option
@encoding_option
@click.option(
    "--translation",
    type=click.Path(dir_okay=False),
    help="The human translation of FILE: align the two instead of using MT as the target.",
)
@click.option("--no-mt", is_flag=True, help="With --translation: align without MT.")
@click.option("--project", default="Default", show_default=True, help="Project to put them in.")
@json_option
def import_command(
    files: tuple[str, ...],
    db_path: str,
    encoding: str | None,
    translation: str | None,
    no_mt: bool,
    project: str,
    as_json: bool,
):
    """Clean, split, translate and store article FILES (.txt, .md, .html, .docx).

    With --translation, FILE and its human translation are aligned sentence by
    sentence (MT as a bridge when a model is installed); the segments are the
    aligned pairs, with a confidence each, in status "draft".
    """
    from workbench.importer import import_aligned, import_article
    from workbench.mt import ModelNotInstalledError
    from workbench.readers import InputError, read_text

    if translation and len(files) != 1:
        raise click.UsageError("--translation goes with exactly one FILE")
    db = storage.connect(db_path)
    results, failures = [], []
    for name in files:
        try:
            text = read_text(name, encoding)
            if translation:
                result = import_aligned(
                    db,
                    text,
                    read_text(translation, encoding),
                    filename=name,
                    project=project,
                    use_mt=not no_mt,
                )
            else:
                with progress_bar(0, f"Translating {Path(name).name}") as bar:
                    result = import_article(
                        db, text, filename=name, project=project, progress=bar.update
                    )
        except ModelNotInstalledError as error:
            fail(str(error), EXIT_MODEL)
        except (InputError, ValueError) as error:
            failures.append({"file": name, "error": str(error)})
            click.secho(f"Skipped {name}: {error}", fg="yellow", err=True)
            continue
        results.append({"file": name, **result.as_dict()})
        for warning in result.warnings:
            click.secho(f"Warning: {name}: {warning}", fg="yellow", err=True)
        if not as_json:
            verb = "Already imported" if result.already_imported else "Imported"
            click.echo(
                f"{verb} {name} as document {result.document_id}: {result.title!r},"
                f" {result.source_lang}→{result.target_lang}, {result.for_translation} sentences"
                f" for translation, {result.segments - result.for_translation} furniture"
            )
    if as_json:
        emit_json({"imported": results, "failed": failures})
    if failures:
        sys.exit(EXIT_INPUT)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, help="Request worker threads.")
def serve(db_path: str, host: str, port: int, threads: int) -> None:
    """Serve the review UI (waitress, a production WSGI server)."""
    from waitress import serve as waitress_serve

    from aligner.tokens import jieba_module
    from workbench.web import create_app

    app = create_app(db_path)
    jieba_module()  # load the Chinese dictionary now, not in the first user's request
    click.echo(f"Review UI on http://{host}:{port}/ (database {storage.db_path(db_path)})")
    waitress_serve(app, host=host, port=port, threads=threads, ident="Workbench")


@cli.command()
@db_option
@click.option("--document", "document_id", type=int, help="Only this document.")
@click.option(
    "--by",
    type=click.Choice(["document", "day", "user"]),
    default="document",
    show_default=True,
    help="Group the scores by document, by day of approval or by approving user.",
)
@click.option(
    "--bootstrap",
    default=1000,
    show_default=True,
    type=click.IntRange(min=0),
    help="Bootstrap resamples for 95% confidence intervals (0: none).",
)
@json_option
def score(db_path: str, document_id: int | None, by: str, bootstrap: int, as_json: bool) -> None:
    """BLEU, chrF and TER of the MT against approved targets (sacrebleu), and the
    post-editing effort: HTER distribution and segments that needed no edit."""
    from workbench.scoring import score_database

    result = score_database(storage.connect(db_path), document_id, by, bootstrap)
    if as_json:
        emit_json({"by": by, **{key: [s.as_dict() for s in v] for key, v in result.items()}})
        return
    if not result["overall"]:
        click.echo("No approved segments yet: approve some in the review UI first.")
        return
    for heading, scores in ((f"Per {by}", result["groups"]), ("Overall", result["overall"])):
        click.echo(f"{heading}:")
        for s in scores:
            figures = "  ".join(
                f"{name} {getattr(s, key):.2f}" + (f" ± {s.ci[key]:.2f}" if key in s.ci else "")
                for name, key in (("BLEU", "bleu"), ("chrF", "chrf"), ("TER", "ter"))
            )
            click.echo(f"  {s.label} ({s.direction}, {s.segments} segments): {figures}")
            effort = s.effort
            if effort.get("segments"):
                shares = ", ".join(f"{b['label']} {b['count']}" for b in effort["buckets"])
                click.echo(
                    f"      HTER mean {effort['mean_hter']:.3f},"
                    f" median {effort['median_hter']:.3f}; {effort['unedited']} of"
                    f" {effort['segments']} needed no edit; {shares}"
                )
            for name, signature in s.signatures.items():
                click.echo(f"      {name}: {signature}")


@cli.command()
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
def export(
    db_path: str,
    fmt: str,
    output: str,
    status: tuple[str, ...],
    document_id: int | None,
    project: str | None,
    since: str | None,
    until: str | None,
    source_lang: str,
    lang_tag: tuple[str, ...],
    bom: bool,
) -> None:
    """Export segments as TMX 1.4b, XLIFF 1.2 (one document), CSV or TSV.

    The file is written atomically: an interrupted export never leaves a
    truncated file in place of an older one.
    """
    from workbench.export import Selection, units, xliff_document
    from workbench.tabular import write_tabular
    from workbench.tmx import write_tmx
    from workbench.units import DEFAULT_LANG_TAGS
    from workbench.xliff import write_xliff

    tags = dict(DEFAULT_LANG_TAGS)
    for item in lang_tag:
        code, _, tag = item.partition("=")
        if not code or not tag:
            raise click.BadParameter(f"{item!r} is not CODE=TAG", param_hint="--lang-tag")
        tags[code] = tag
    db = storage.connect(db_path)
    if fmt == "xliff":
        if document_id is None:
            raise click.UsageError("--format xliff exports one document: give --document ID")
        if db["documents"].count_where("id = ?", [document_id]) == 0:
            fail(f"no document {document_id}", EXIT_INPUT)
        doc = xliff_document(db, document_id)
        if status:
            doc.segments = [s for s in doc.segments if s.status in status]
        count = write_xliff(doc, output, lang_tags=tags)
        click.echo(f"Wrote {count} segments of document {document_id} to {output}")
        return
    selection = Selection(status or ("approved",), document_id, project, since, until)
    if fmt == "tmx":
        count = write_tmx(units(db, selection), output, source_lang=source_lang, lang_tags=tags)
    else:
        from workbench.atomic import atomic_write

        with atomic_write(output) as out:
            count = write_tabular(units(db, selection), out, dialect=fmt, bom=bom)
    click.echo(f"Wrote {count} translation units to {output}")


@cli.command("import-xliff")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@db_option
@click.option(
    "--user", default="cli", show_default=True, help="Recorded as the author of the changes."
)
@json_option
def import_xliff(file: str, db_path: str, user: str, as_json: bool) -> None:
    """Bring back an XLIFF 1.2 file exported with `export --format xliff` and
    finished in a CAT tool: targets and statuses, one transaction. Segments
    changed in Workbench since the export are reported as conflicts and kept."""
    from workbench.reimport import apply_xliff
    from workbench.xliff import XliffError, read_xliff

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


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Import and translate only.")
@click.argument("seeds", default="seeds", type=click.Path(file_okay=False, exists=True))
@click.pass_context
def demo(ctx: click.Context, db_path: str, host: str, port: int, no_serve: bool, seeds: str):
    """Import the sample articles in SEEDS, translate them and open the review UI.

    Uses the installed Argos packages; where a direction has none, installs the
    tiny test packages shipped with the tests (not real translation models).
    """
    from workbench import packages

    have = {(m.from_code, m.to_code) for m in packages.installed_models()}
    for source, target in (("zh", "en"), ("en", "zh")):
        if (source, target) not in have:
            fixture = FIXTURE_MODELS / f"translate-{source}_{target}-tiny.argosmodel"
            model = packages.install_archive(fixture)
            click.secho(
                f"No real {source}→{target} model installed: using the tiny test model"
                f" {model.name}. Its translations are not meaningful; install the real one with"
                f" `workbench models install translate-{source}_{target}`.",
                fg="yellow",
                err=True,
            )
    files = sorted(str(p) for p in Path(seeds).glob("*.txt"))
    try:
        ctx.invoke(import_command, files=tuple(files), db_path=db_path)
    except SystemExit as exit_:
        if exit_.code:
            raise
    if not no_serve:
        ctx.invoke(serve, db_path=db_path, host=host, port=port)


@cli.command("align")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["tsv", "jsonl", "tmx"]), default="tsv", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout)."
)
@click.option("--no-mt", is_flag=True, help="Align without MT even when a model is installed.")
@db_option
@encoding_option
def align_command(
    source: str,
    target: str,
    fmt: str,
    output: str | None,
    no_mt: bool,
    db_path: str,
    encoding: str | None,
) -> None:
    """Align article SOURCE with its translation TARGET, sentence by sentence.

    Prints one line per bead (1-1, 1-2, 2-1, 1-0, 0-1 …) with its confidence.
    The database is used only as the MT cache.
    """
    from workbench.alignment import align_texts
    from workbench.atomic import atomic_write
    from workbench.readers import InputError, read_text
    from workbench.tmx import write_tmx
    from workbench.units import TranslationUnit

    try:
        source_text, target_text = read_text(source, encoding), read_text(target, encoding)
        result = align_texts(storage.connect(db_path), source_text, target_text, use_mt=not no_mt)
    except (InputError, ValueError) as error:
        fail(str(error), EXIT_INPUT)
    for warning in result.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    src_lang, tgt_lang = result.source.language, result.target.language
    if fmt == "tmx":
        units = (
            TranslationUnit(
                source=p.source,
                target=p.target,
                source_lang=src_lang,
                target_lang=tgt_lang,
                props={"confidence": f"{p.confidence:.3f}", "bead": p.kind},
            )
            for p in result.pairs
            if p.source and p.target
        )
        if output:
            write_tmx(units, output, source_lang=src_lang)
        else:
            write_tmx(units, sys.stdout.buffer, source_lang=src_lang)
        return
    lines = []
    for p in result.pairs:
        if fmt == "jsonl":
            record = {
                "source": p.source,
                "target": p.target,
                "confidence": p.confidence,
                "bead": p.kind,
                "source_ids": list(p.source_ids),
                "target_ids": list(p.target_ids),
            }
            if p.mt:
                record["mt"] = p.mt
            lines.append(json.dumps(record, ensure_ascii=False))
        else:
            cells = (p.source, p.target, f"{p.confidence:.3f}", p.kind)
            lines.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))
    text = "".join(line + "\n" for line in lines)
    if output:
        with atomic_write(output, "w") as out:
            out.write(text)
    else:
        click.echo(text, nl=False)


def _register_command_modules() -> None:
    """Commands that live in their own modules (some import this one's options)."""
    from workbench.tm_cli import tm_group
    from workbench.translate import translate_command
    from workbench.users import users

    for command in (translate_command, tm_group, users):
        cli.add_command(command)


_register_command_modules()
