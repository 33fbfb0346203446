"""Several server processes on one listening socket: ``workbench serve --processes N``.

Why processes: one interpreter serialises its threads on the GIL, and a save's SQL
releases and takes it back several times while the save holds the write lock. With
eight request threads in one process the lock holder waits for the GIL behind the
others, so handovers, not work, set the pace: ``bench/ui_load.py`` (20 clients, flat
out, 2-core VM) measured 184–231 saves/s and a p95 of 124–150 ms for one process of
eight threads; two processes of two threads each, interleaved runs, 402–498 saves/s and
66–73 ms (docs/scale.md). Writers of all processes still go one
at a time (``database.WRITE_LOCK``, shared through a lock file), so nothing about
transactions or version checks changes.

The parent binds the sockets, forks the workers and only supervises: it holds no
thread and no database connection, so every ``fork`` is safe. A worker killed by a
signal (the OOM killer, an operator) is replaced; one that exits by itself within
seconds of starting stops the server with status 1 (a crash loop would only fill the
log). Workers die with the parent, even with ``kill -9``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable

log = logging.getLogger("workbench.serve")

QUICK_EXIT_SECONDS = 10.0  # a worker that exits sooner after its start stops the server
RESTART_SECONDS = 1.0  # a worker is started at most this often
PARENT_CHECK_SECONDS = 1.0  # how often a worker looks for its parent (not on Linux)


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """Bound, listening sockets for ``host:port`` (every address it names), as waitress
    would make them itself."""
    from waitress.adjustments import Adjustments

    adjustments = Adjustments(host=host, port=port)
    sockets = []
    try:
        for family, kind, proto, address in adjustments.listen:
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen(adjustments.backlog)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def serve_forked(app, database: str, host: str, port: int, processes: int, **options) -> int:
    """Serve ``app`` (WSGI) with waitress in ``processes`` workers on ``host:port``, their
    writers taking turns through ``database``'s lock file and one of them checkpointing
    its WAL; returns the exit status. ``options`` go to ``waitress.serve``."""
    from waitress import serve

    from workbench.web.database import WRITE_LOCK, Checkpointer

    sockets = listening_sockets(host, port)
    WRITE_LOCK.share(f"{database}-lock")

    def work(index: int) -> None:
        if index == 0:  # one checkpointer for the whole server
            Checkpointer(database).start()
        serve(app, sockets=sockets, **options)

    return Supervisor(work, processes).run()


def die_with_parent(parent: int) -> None:
    """Have this worker end when ``parent`` ends, even by SIGKILL: on Linux the kernel
    sends it SIGTERM then (``PR_SET_PDEATHSIG``); elsewhere ``watch_parent`` looks."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    else:
        watch_parent(parent)
    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)


def watch_parent(parent: int, every: float = PARENT_CHECK_SECONDS) -> threading.Thread:
    """A thread that ends this process with SIGTERM once ``parent`` is no longer its
    parent (the system adopted it): where no kernel call does so, a worker outlives a
    server killed with SIGKILL by ``every`` seconds at most, and frees the port."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os.kill(os.getpid(), signal.SIGTERM)

    thread = threading.Thread(target=watch, name="parent-watch", daemon=True)
    thread.start()
    return thread


class Supervisor:
    """Starts ``processes`` workers, each running ``work(index)``; replaces one that dies."""

    def __init__(self, work: Callable[[int], None], processes: int) -> None:
        self.work, self.processes = work, processes
        self.workers: dict[int, tuple[int, float]] = {}  # pid: (index, started)
        self.stopping = False
        self.failed = False

    def run(self) -> int:
        """Serve until SIGTERM/SIGINT or a worker's crash loop; the exit status."""
        parent = os.getpid()
        previous = {
            number: signal.signal(number, self.stop) for number in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            for index in range(self.processes):
                self.start(index, parent)
            while self.workers:
                pid, status = os.wait()
                index, started = self.workers.pop(pid, (None, 0.0))
                if index is None or self.stopping:
                    continue
                code = os.waitstatus_to_exitcode(status)
                if code >= 0 and time.monotonic() - started < QUICK_EXIT_SECONDS:
                    log.error("worker %d exited (%d) right after starting: stopping", index, code)
                    self.failed = True
                    self.stop()
                    continue
                log.warning("worker %d ended (%s): starting another", index, describe(code))
                time.sleep(max(0.0, started + RESTART_SECONDS - time.monotonic()))
                self.start(index, parent)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        return 1 if self.failed else 0

    def start(self, index: int, parent: int) -> None:
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                die_with_parent(parent)
                self.work(index)
            except KeyboardInterrupt:
                pass
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        self.workers[pid] = (index, time.monotonic())

    def stop(self, *_signal: object) -> None:
        self.stopping = True
        for pid in list(self.workers):
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGTERM)


def describe(code: int) -> str:
    """``waitstatus_to_exitcode``'s number in words: "signal SIGKILL" or "status 1"."""
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"signal {signal.Signals(-code).name}"
        return f"signal {-code}"
    return f"status {code}"
