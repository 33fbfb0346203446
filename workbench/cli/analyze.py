"""`workbench analyze`: how much of a text the TM already covers, in words per match band."""

from __future__ import annotations

import click

from workbench.cli.options import (
    EXIT_INPUT,
    db_option,
    emit_json,
    encoding_option,
    fail,
    json_option,
)
from workbench.store import db as storage


def _print(name: str, result: dict) -> None:
    from workbench.tm.leverage import BANDS

    total = result["total"]["words"] or 1
    click.echo(f"{name}: {result['total']['segments']} segments, {result['total']['words']} words")
    for band in BANDS:
        row = result["bands"][band]
        click.echo(
            f"  {band:<12} {row['segments']:>6} seg {row['words']:>8} words"
            f" {100 * row['words'] / total:6.1f}%"
        )


@click.command("analyze")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--document", "document_id", type=int, help="A stored document instead of files.")
@click.option(
    "--to", "target_lang", type=click.Choice(["zh", "en"]), help="Default: the other one."
)
@db_option
@encoding_option
@json_option
def analyze_command(files, document_id, target_lang, db_path, encoding, as_json) -> None:
    """Match analysis against the TM: words per band (ICE, 100%, repetitions, 95-99, 85-94,
    75-84, 50-74, no match), as CAT tools report it for quoting; jieba words for Chinese."""
    from aligner import clean_article
    from workbench.ingest.importer import OTHER_LANGUAGE, article_segments
    from workbench.ingest.readers import InputError, read_text
    from workbench.tm.leverage import analyse, analyse_document

    if bool(files) == (document_id is not None):
        raise click.UsageError("give FILE... or --document ID")
    db = storage.connect(db_path)
    reports, failed = [], False
    if document_id is not None:
        result = analyse_document(db, document_id)
        if result is None:
            fail(f"no document {document_id}", 2)
        reports.append({"document": document_id, **result})
    for name in files:
        try:
            article = clean_article(read_text(name, encoding))
        except (InputError, ValueError, OSError) as error:
            failed = True
            click.secho(f"Skipped {name}: {error}", fg="yellow", err=True)
            continue
        sources = [s["source"] for s in article_segments(article) if s["translate"]]
        to = target_lang or OTHER_LANGUAGE[article.language]
        reports.append({"file": name, **analyse(db, sources, article.language, to)})
    if as_json:
        emit_json(reports)
    else:
        for report in reports:
            _print(report.get("file") or f"document {report['document']}", report)
    if failed:
        raise SystemExit(EXIT_INPUT)
