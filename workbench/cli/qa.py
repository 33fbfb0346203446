"""`workbench qa`: the QA checks (glossary included) over documents, for scripts and CI."""

from __future__ import annotations

import click

from workbench.cli.options import db_option, emit_json, fail, json_option
from workbench.store import db as storage


@click.command("qa")
@click.option("--document", "documents", type=int, multiple=True, help="Document id (repeatable).")
@click.option("--project", help="Every document of this project.")
@click.option("--code", help="Only this check (e.g. terminology, numbers).")
@db_option
@json_option
def qa_command(documents, project, code, db_path, as_json) -> None:
    """Report QA flags per segment and per check, and terms rendered inconsistently.

    Without --document or --project, every document. Exit code 0 whatever is found.
    """
    from workbench.review.qa import QA_CODES
    from workbench.review.qa.report import document_report

    if code and code not in QA_CODES:
        fail(f"unknown check {code!r} (choose from {', '.join(QA_CODES)})", 2)
    db = storage.connect(db_path)
    ids = list(documents)
    if project:
        found = db.execute(
            "SELECT d.id FROM documents d JOIN projects p ON p.id = d.project_id WHERE p.name = ?",
            [project],
        ).fetchall()
        if not found:
            fail(f"no documents in project {project!r}", 2)
        ids += [r[0] for r in found]
    if not ids:
        ids = [r[0] for r in db.execute("SELECT id FROM documents ORDER BY id")]
    try:
        reports = [document_report(db, doc_id, code) for doc_id in dict.fromkeys(ids)]
    except LookupError as error:
        fail(str(error), 2)
    if as_json:
        emit_json(reports)
        return
    for report in reports:
        counts = ", ".join(f"{QA_CODES.get(c, c)}: {n}" for c, n in report["counts"].items())
        click.echo(f"Document {report['document_id']} {report['title']}: {counts or 'no flags'}")
        for segment in report["flagged"]:
            for flag in segment["flags"]:
                click.echo(f"  #{segment['position'] + 1} [{flag['code']}] {flag['message']}")
        for item in report["consistency"]:
            ways = "; ".join(
                f"{form or '(none of the glossary forms)'}: {len(ids)} segment(s)"
                for form, ids in item["renderings"].items()
            )
            click.echo(f"  inconsistent: {item['term']} rendered as {ways}")
