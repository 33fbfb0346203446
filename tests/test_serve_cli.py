"""`workbench serve` and `workbench demo` manners: a busy port is a one-line error before any
URL is printed, and the demo keeps the tiny test packages in a directory of its own."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_a_busy_port_is_one_line_suggesting_another(db_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for command in ("serve", "demo"):
            args = [command, "--db", str(db_path), "--port", str(port)]
            if command == "demo":
                args.append(str(SEEDS))
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 1, result.output
            lines = result.output.strip().splitlines()
            assert lines == [
                f"Error: port {port} on 127.0.0.1 is already in use;"
                f" choose another one, e.g. --port {port + 1}"
            ]
            assert "http://" not in result.output and "Traceback" not in result.output


def test_demo_installs_tiny_models_in_its_own_directory(tmp_path, no_models, monkeypatch):
    from workbench.mt import packages

    monkeypatch.setenv(packages.EXTRA_DIRS_ENV, "")  # restored (unset) after the test
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    one = sorted(SEEDS.glob("*.txt"))[0]
    (seeds / one.name).write_text(one.read_text("utf-8"), "utf-8")
    db_path = tmp_path / "demo" / "workbench.db"
    db_path.parent.mkdir()
    result = CliRunner().invoke(cli, ["demo", "--db", str(db_path), "--no-serve", str(seeds)])
    assert result.exit_code == 0, result.output
    assert "tiny test model" in result.output
    own = db_path.parent / "demo-models"
    assert len([p for p in own.iterdir() if (p / "metadata.json").is_file()]) == 2
    assert not any(no_models.iterdir())  # the user's Argos directory is untouched
    # Another command in another process sees none of them.
    monkeypatch.setenv(packages.EXTRA_DIRS_ENV, "")
    assert packages.installed_models() == []


def test_waitress_queue_warnings_come_once_per_interval(caplog):
    """Under load waitress warned for every queued request (thousands of lines a second);
    the server lets one through per interval, so the operator still sees the queue."""
    import logging

    from workbench.cli.serve import OncePer

    logger = logging.getLogger("test.waitress.queue")
    once = OncePer(10.0)
    logger.addFilter(once)
    try:
        with caplog.at_level(logging.WARNING, logger=logger.name):
            for depth in range(1000):
                logger.warning("Task queue depth is %d", depth)
            assert [r.getMessage() for r in caplog.records] == ["Task queue depth is 0"]
            once.last -= 10.0  # ten seconds later
            logger.warning("Task queue depth is %d", 7)
        assert [r.getMessage() for r in caplog.records][-1] == "Task queue depth is 7"
    finally:
        logger.removeFilter(once)


@pytest.mark.parametrize(
    ("options", "forwarded_for", "setup_status"),
    [
        ((), None, 200),
        ((), "203.0.113.9", 200),  # no proxy trusted: the header is only a header
        (("--trusted-proxy", "127.0.0.1"), None, 200),
        (("--trusted-proxy", "127.0.0.1"), "203.0.113.9", 403),
        (("--trusted-proxy", "127.0.0.1"), "::1", 200),
    ],
    ids=["direct", "header-ignored", "proxy-itself", "proxied-remote", "proxied-local"],
)
def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(
    db_path, options, forwarded_for, setup_status
):
    """Behind a reverse proxy on the same machine every user came from 127.0.0.1: all
    shared one throttling count, and anyone could open the first-run page."""
    from test_faults import free_port, start_server

    port = free_port()
    server = start_server(db_path, port, *options)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/setup")
        if forwarded_for:
            request.add_header("X-Forwarded-For", forwarded_for)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == setup_status
    finally:
        server.terminate()
        server.wait(timeout=30)
