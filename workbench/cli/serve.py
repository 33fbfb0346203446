"""`workbench serve` and `workbench demo`: the review UI, and the sample articles behind it."""

from __future__ import annotations

import errno
import gc
import logging
import os
import sys
import threading
from pathlib import Path

import click

from workbench.cli.importing import import_command
from workbench.cli.options import db_option
from workbench.store import db as storage

FIXTURE_MODELS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "models"


def default_processes() -> int:
    """One per core, at most four; one where there is no ``fork`` (Windows)."""
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def threads_per_process(processes: int) -> int:
    """Request threads of each process when ``--threads`` is not given.

    Fewer threads per process wait less for its interpreter lock: flat out with 20
    clients on 2 cores, 2 processes of 2 threads saved 455–538/s (p95 51–58 ms), of 4
    threads 400–420/s (p95 77–98 ms; ``bench/ui_load.py --processes 2 --threads N``).
    A single process keeps 8, so that a few slow requests never hold up every save.
    """
    return 2 if processes > 1 else 8


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=default_processes(),
    show_default="one per core, at most 4",
    help="Server processes sharing the port (one where the system has no fork).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 256),
    show_default="2 per process, 8 in a single one",
    help="Request worker threads per process.",
)
@click.option(
    "--trusted-proxy",
    metavar="ADDRESS",
    help="The reverse proxy in front (e.g. 127.0.0.1): its X-Forwarded-For names the client"
    " address that login throttling and the first-run page use. Without it that header is"
    " ignored.",
)
def serve(
    db_path: str,
    host: str,
    port: int,
    processes: int,
    threads: int | None,
    trusted_proxy: str | None,
) -> None:
    """Serve the review UI (waitress, a production WSGI server).

    Several processes share the port: one process serialises its threads on Python's
    interpreter lock, which under load costs more than the requests themselves
    (docs/scale.md). Saves of all processes still commit one at a time.

    Behind a reverse proxy on this machine pass --trusted-proxy 127.0.0.1: otherwise
    every user has the proxy's loopback address, so all share one login-throttling
    count and anyone may open the first-run page while no user exists.
    """
    from waitress import serve as waitress_serve

    from aligner.tokens import jieba_module
    from workbench.web import create_app
    from workbench.web.processes import serve_forked

    if processes > 1 and not hasattr(os, "fork"):
        raise click.UsageError("--processes above 1 needs a system with fork (not Windows)")
    check_port(host, port)
    if processes > 1 and threading.active_count() > 1:  # a fork copies no thread but this
        click.echo("this process already runs threads: serving in one process", err=True)
        processes = 1
    if threads is None:  # few per process: they queue on its interpreter lock
        threads = threads_per_process(processes)
    logging.getLogger("waitress.queue").addFilter(OncePer(10.0))
    app = create_app(db_path, WAL_CHECKPOINTER=True if processes == 1 else "elsewhere")
    jieba_module()  # load the Chinese dictionary now, not in the first user's request
    # What is loaded by now lives as long as the server: out of the collector's sight, a
    # full collection no longer walks it (45 ms with every request of the process
    # waiting, bench/gc_pause.py), and workers forked from here no longer write to the
    # pages they share with this parent when they collect.
    gc.freeze()
    click.echo(
        f"Review UI on http://{host}:{port}/ (database {storage.db_path(db_path)};"
        f" {processes} × {threads} threads)"
    )
    proxy = (
        {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        }
        if trusted_proxy
        else {}
    )
    if processes == 1:
        waitress_serve(app, host=host, port=port, threads=threads, ident="Workbench", **proxy)
        return
    database = app.config["DATABASE"]
    options = {"threads": threads, "ident": "Workbench", **proxy}
    sys.exit(serve_forked(app, database, host, port, processes, **options))


class OncePer(logging.Filter):
    """Let one record through per ``seconds``.

    Waitress warns "Task queue depth is N" for every request that waits for a worker
    thread: under load, thousands of lines a second, whose formatting and writing
    took 5 % of the server's CPU (``bench/ui_load.py``). One line every few seconds
    still tells the operator that requests are queueing.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds, self.last = seconds, -seconds

    def filter(self, record: logging.LogRecord) -> bool:
        if record.created - self.last < self.seconds:
            return False
        self.last = record.created
        return True


def check_port(host: str, port: int) -> None:
    """Fail in one line, before any URL is printed, when the port cannot be listened on."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        reason = (
            "is already in use"
            if error.errno == errno.EADDRINUSE
            else f"cannot be used ({error.strerror})"
        )
        raise click.ClickException(
            f"port {port} on {host} {reason}; choose another one, e.g. --port {port + 1}"
            + (f" (make demo PORT={port + 1})" if port == 5000 else "")
        ) from None


@click.command("demo")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Import and translate only.")
@click.argument("seeds", default="seeds", type=click.Path(file_okay=False, exists=True))
@click.pass_context
def demo(ctx: click.Context, db_path: str, host: str, port: int, no_serve: bool, seeds: str):
    """Import the sample articles in SEEDS, translate them and open the review UI.

    Uses the installed Argos packages; where a direction has none, the tiny test
    packages shipped with the tests (not real translation models), installed in
    demo-models/ beside the database: only this demo uses them, never another
    command.
    """
    import os

    from workbench.mt import packages

    if not no_serve:
        check_port(host, port)
    own = storage.db_path(db_path).resolve().parent / "demo-models"
    os.environ[packages.EXTRA_DIRS_ENV] = os.pathsep.join(
        p for p in (os.environ.get(packages.EXTRA_DIRS_ENV), str(own)) if p
    )
    have = {(m.from_code, m.to_code) for m in packages.installed_models() if not m.tiny}
    for source, target in (("zh", "en"), ("en", "zh")):
        if (source, target) not in have:
            fixture = FIXTURE_MODELS / f"translate-{source}_{target}-tiny.argosmodel"
            model = packages.install_archive(fixture, into=own)
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
        # One process: this one has loaded the MT models, whose native thread pools a
        # fork would copy half-working into the workers (their uploads translate).
        ctx.invoke(serve, db_path=db_path, host=host, port=port, processes=1)
