"""`workbench import` and `workbench align`: articles in, segments or aligned pairs out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbench.cli.options import (
    EXIT_INPUT,
    EXIT_MODEL,
    db_option,
    emit_json,
    encoding_option,
    fail,
    json_option,
    progress_bar,
)
from workbench.store import db as storage


@click.command("import")
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
@click.option(
    "--source-tag",
    help="Language tag of the articles, e.g. zh-TW or zh-HK (default: zh-Hant for"
    " Traditional Chinese, else zh or en); kept in TMX and XLIFF exports.",
)
@click.option("--target-tag", help="With --translation: the language tag of the translation.")
@json_option
def import_command(
    files: tuple[str, ...],
    db_path: str,
    encoding: str | None,
    translation: str | None,
    no_mt: bool,
    project: str,
    source_tag: str | None,
    target_tag: str | None,
    as_json: bool,
):
    """Clean, split, translate and store article FILES (.txt, .md, .html, .docx).

    With --translation, FILE and its human translation are aligned sentence by
    sentence (MT as a bridge when a model is installed); the segments are the
    aligned pairs, with a confidence each, in status "draft".
    """
    from workbench.ingest.importer import import_aligned, import_article
    from workbench.ingest.readers import InputError, pair_metadata, read_input
    from workbench.mt.translator import ModelNotInstalledError

    if translation and len(files) != 1:
        raise click.UsageError("--translation goes with exactly one FILE")
    db = storage.connect(db_path)
    results, failures = [], []
    for name in files:
        try:
            source = read_input(name, encoding)
            read = dict(source.metadata)  # encoding, encoding_how
            if translation:
                metadata = pair_metadata(source, target := read_input(translation, encoding))
                read = metadata
                result = import_aligned(
                    db,
                    source.text,
                    target.text,
                    filename=name,
                    project=project,
                    use_mt=not no_mt,
                    metadata=metadata,
                    source_tag=source_tag,
                    target_tag=target_tag,
                )
            else:
                with progress_bar(0, f"Translating {Path(name).name}") as bar:
                    result = import_article(
                        db,
                        source.text,
                        filename=name,
                        project=project,
                        progress=bar.update,
                        metadata=source.metadata,
                        source_tag=source_tag,
                    )
        except ModelNotInstalledError as error:
            fail(str(error), EXIT_MODEL)
        except (InputError, ValueError) as error:
            failures.append({"file": name, "error": str(error)})
            click.secho(f"Skipped {name}: {error}", fg="yellow", err=True)
            continue
        mt_model, tiny = db.execute(
            "SELECT mt_model, mt_tiny FROM documents WHERE id = ?", [result.document_id]
        ).fetchone()
        results.append(
            {
                "file": name,
                **result.as_dict(),
                "mt_model": mt_model,
                "mt_tiny": bool(tiny),
                **read,
            }
        )
        for warning in result.warnings:
            click.secho(f"Warning: {name}: {warning}", fg="yellow", err=True)
        if tiny:
            click.secho(
                f"Warning: {name}: machine-translated by a tiny test model ({mt_model}), not a"
                " real translation model: its output is not meaningful.",
                fg="yellow",
                err=True,
            )
        if not as_json:
            verb = "Already imported" if result.already_imported else "Imported"
            how = f" (read as {source.detection.describe()})" if source.detection else ""
            click.echo(
                f"{verb} {name}{how} as document {result.document_id}: {result.title!r},"
                f" {result.source_lang}→{result.target_lang}, {result.for_translation} sentences"
                f" for translation, {result.segments - result.for_translation} furniture"
                + (" (MT: tiny test model)" if tiny else "")
            )
    if as_json:
        emit_json({"imported": results, "failed": failures})
    if failures:
        sys.exit(EXIT_INPUT)


@click.command("align")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["tsv", "jsonl", "tmx"]), default="tsv", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout)."
)
@click.option("--no-mt", is_flag=True, help="Align without MT even when a model is installed.")
@click.option("--source-tag", help="TMX language tag of SOURCE, e.g. zh-TW (default: detected).")
@click.option("--target-tag", help="TMX language tag of TARGET, e.g. zh-HK (default: detected).")
@db_option
@encoding_option
def align_command(
    source: str,
    target: str,
    fmt: str,
    output: str | None,
    no_mt: bool,
    source_tag: str | None,
    target_tag: str | None,
    db_path: str,
    encoding: str | None,
) -> None:
    """Align article SOURCE with its translation TARGET, sentence by sentence.

    Prints one line per bead (1-1, 1-2, 2-1, 1-0, 0-1 …) with its confidence.
    The database is used only as the MT cache.
    """
    from workbench.formats.atomic import atomic_write
    from workbench.formats.tmx import write_tmx
    from workbench.formats.units import TranslationUnit
    from workbench.ingest.alignment import align_texts
    from workbench.ingest.readers import InputError, read_input

    try:
        source_read, target_read = read_input(source, encoding), read_input(target, encoding)
        result = align_texts(
            storage.connect(db_path),
            source_read.text,
            target_read.text,
            use_mt=not no_mt,
            source_tag=source_tag,
            target_tag=target_tag,
            declared=(source_read.language, target_read.language),
        )
    except (InputError, ValueError) as error:
        fail(str(error), EXIT_INPUT)
    for warning in result.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    # TMX carries the sides' tags: zh-Hant for Traditional Chinese, else the codes
    src_lang, tgt_lang = result.tag("source"), result.tag("target")
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
