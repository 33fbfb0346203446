"""`workbench score`: BLEU, chrF, TER and post-editing effort of the approved segments."""

from __future__ import annotations

import click

from workbench.cli.options import db_option, emit_json, json_option
from workbench.store import db as storage


@click.command("score")
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
    from workbench.review.scoring import score_database, tiny_warning

    result = score_database(storage.connect(db_path), document_id, by, bootstrap)
    warning = tiny_warning(result["overall"])
    if as_json:
        emit_json(
            {
                "by": by,
                "warning": warning,
                **{key: [s.as_dict() for s in v] for key, v in result.items()},
            }
        )
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
            if s.tiny_model_segments:
                click.echo(f"      MT of {s.tiny_model_segments} segments: tiny test model")
            for name, signature in s.signatures.items():
                click.echo(f"      {name}: {signature}")
    if warning:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
