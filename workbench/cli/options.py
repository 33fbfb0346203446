"""What every ``workbench`` command shares: options, exit codes, output helpers.

Exit codes scripts can rely on: 0 success; 1 some input failed (the rest was
done); 2 usage error; 3 the translation engine is not available: a model is
missing or cannot be installed, or (``translate --cluster/--workers``) Dask is
not installed, the scheduler cannot be reached, or a worker lacks the model.
"""

from __future__ import annotations

import json
import sys

import click

from workbench.store import db as storage

EXIT_INPUT = 1
EXIT_MODEL = 3

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar="WORKBENCH_DB",
    default=storage.DEFAULT_DB,
    show_default=True,
    help="SQLite database file (or set WORKBENCH_DB).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
encoding_option = click.option(
    "--encoding", help="Read input files in this encoding (default: UTF-8, or UTF-16 with a BOM)."
)


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def fail(message: str, code: int) -> None:
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(code)


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
