"""`workbench serve --processes`: several worker processes on one port, writers one at a
time across them, a worker that dies replaced, none outliving the server."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port
from test_faults import start_server

from workbench.web.database import WriteLock
from workbench.web.processes import Supervisor

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="several processes need fork")


def workers(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def alive(pid: int) -> bool:
    """Running: not gone, and not a zombie waiting for whoever adopted it to reap it."""
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False


def eventually(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"not within {seconds} s")


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def answers(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=30) as response:
        return response.status


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc")
def test_a_killed_worker_is_replaced_and_the_server_stops_with_all_of_them(db_path):
    port = free_port()
    server = start_server(db_path, port, "--processes", "3", "--threads", "2")
    try:
        first = eventually(lambda: len(workers(server.pid)) == 3 and workers(server.pid))
        assert all(answers(port) == 200 for _ in range(20))
        os.kill(first[0], signal.SIGKILL)  # as the OOM killer would
        now = eventually(lambda: first[0] not in workers(server.pid) and workers(server.pid))
        now = eventually(lambda: len(workers(server.pid)) == 3 and workers(server.pid))
        assert first[0] not in now and set(first[1:]) < set(now)
        assert all(answers(port) == 200 for _ in range(20))
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        eventually(lambda: not any(alive(pid) for pid in now))
    finally:
        server.kill()
        server.wait()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc")
def test_no_worker_outlives_a_server_killed_with_sigkill(db_path):
    """Else the port stays taken and a restarted server cannot listen on it."""
    port = free_port()
    server = start_server(db_path, port, "--processes", "2")
    ours = eventually(lambda: len(workers(server.pid)) == 2 and workers(server.pid))
    server.send_signal(signal.SIGKILL)
    server.wait()
    eventually(lambda: not any(alive(pid) for pid in ours))
    eventually(lambda: port_free(port))  # once the workers' last threads have exited
    restarted = start_server(db_path, port, "--processes", "2")
    try:
        assert answers(port) == 200
    finally:
        restarted.terminate()
        restarted.wait(timeout=30)


ORPHAN = """
import os, signal, sys, time
from workbench.web.processes import watch_parent
child_pid = os.fork()
if child_pid == 0:
    parent = os.getppid()
    watch_parent(parent, every=0.1)
    with open(sys.argv[1], "w") as out:
        out.write(str(os.getpid()))
    time.sleep(60)
    os._exit(0)
while not (os.path.exists(sys.argv[1]) and os.path.getsize(sys.argv[1])):
    time.sleep(0.01)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_where_the_kernel_does_not_end_workers_they_end_themselves(tmp_path):
    """``watch_parent``, what a worker runs in place of PR_SET_PDEATHSIG off Linux: a
    worker whose server was killed with SIGKILL ends within a second or so."""
    pid_file = tmp_path / "worker.pid"
    server = subprocess.run([sys.executable, "-c", ORPHAN, str(pid_file)], timeout=60)
    assert server.returncode == -signal.SIGKILL
    orphan = int(pid_file.read_text())
    try:
        eventually(lambda: not alive(orphan), seconds=5)
    finally:
        if alive(orphan):
            os.kill(orphan, signal.SIGKILL)


def test_sigterm_stops_every_worker_and_the_server_ends_well(tmp_path):
    """Workers ended by the supervisor's own SIGTERM are not replaced; the status is 0."""
    pids = tmp_path / "pids"

    def work(index: int) -> None:
        with pids.open("a") as log:
            log.write(f"{os.getpid()}\n")
        if index == 1:
            time.sleep(0.5)
            os.kill(os.getppid(), signal.SIGTERM)  # as an operator's `kill` would
        time.sleep(60)

    began = time.monotonic()
    assert Supervisor(work, processes=2).run() == 0
    assert time.monotonic() - began < 30
    started = [int(pid) for pid in pids.read_text().split()]
    assert len(started) == 2  # none started again
    assert not any(alive(pid) for pid in started)


def returns(index: int) -> None:
    """A worker whose server returned at once (status 0)."""


def raises(index: int) -> None:
    """A worker that failed as it started (status 1)."""
    raise RuntimeError("no database")


@pytest.mark.parametrize("work", [returns, raises])
def test_a_worker_that_ends_on_its_own_stops_the_server_at_once(work):
    """Returning or failing right after its start: another would do the same."""
    began = time.monotonic()
    assert Supervisor(work, processes=2).run() == 1
    assert time.monotonic() - began < 10


def test_a_worker_that_fails_on_its_own_stops_the_server(tmp_path):
    """A signal from outside is answered with a new worker; a worker that exits by itself
    right after starting (a broken install, a bad database) would only fail again."""
    starts = tmp_path / "starts"

    def work(index: int) -> None:
        with starts.open("a") as log:
            log.write(f"{index}\n")
        if len(starts.read_text().split()) == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        sys.exit(3)

    began = time.monotonic()
    assert Supervisor(work, processes=1).run() == 1
    assert starts.read_text().split() == ["0", "0"]  # killed once, replaced, then failed
    assert time.monotonic() - began < 10


def hold_in_child(lock: WriteLock, seconds: float) -> tuple[int, int]:
    """A forked process that takes ``lock`` (inherited, as a server's workers inherit
    theirs), says so through a pipe and holds it ``seconds``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            with lock:
                os.write(write, b"held")
                time.sleep(seconds)
        finally:
            os._exit(0)
    os.close(write)
    assert os.read(read, 4) == b"held"
    return pid, read


def test_the_write_lock_excludes_writers_of_other_processes(tmp_path):
    lock = WriteLock()
    lock.share(str(tmp_path / "db-lock"))
    with lock:  # this process opens the lock file before the fork: the child needs its own
        pass
    assert stat.S_IMODE((tmp_path / "db-lock").stat().st_mode) & 0o077 == 0  # 0600
    pid, pipe = hold_in_child(lock, 0.5)
    began = time.monotonic()
    with lock:
        waited = time.monotonic() - began
    os.waitpid(pid, 0)
    os.close(pipe)
    assert waited > 0.3


def test_a_process_killed_holding_the_write_lock_does_not_block_the_others(tmp_path):
    lock = WriteLock()
    lock.share(str(tmp_path / "db-lock"))
    pid, pipe = hold_in_child(lock, 60)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(pipe)
    began = time.monotonic()
    with lock:
        assert time.monotonic() - began < 1
