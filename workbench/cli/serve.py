"""`workbench serve` and `workbench demo`: the review UI, and the sample articles behind it."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.importing import import_command
from workbench.cli.options import db_option
from workbench.store import db as storage

FIXTURE_MODELS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "models"


@click.command("serve")
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


@click.command("demo")
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
    from workbench.mt import packages

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
