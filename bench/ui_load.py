"""Load on the review API: N clients saving segments against a real ``workbench serve``.

    .venv/bin/python bench/ui_load.py --clients 20 --seconds 15

Makes a temporary database with one 2,000-segment document and a reviewer with
an API token, starts ``workbench serve`` on 127.0.0.1 in a subprocess, and lets
N threads (one keep-alive connection each; a bare HTTP/1.1 client, see Connection)
save random segments of a shared hot set through ``PUT /api/segments/<id>`` for
a fixed time. Clients share segments on purpose, so stale saves happen and must
come back as 409.

Prints saves per second, p50/p95/p99 latency of the saves, the conflicts, the
time to open the 2,000-segment document (server round trip of the editor page)
and the number of lost updates: saves acknowledged with 200 whose text is not
the revision of that version in the final database, or a final segment that is
not its last revision. That number must be 0.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workbench.cli.serve import default_processes, threads_per_process  # noqa: E402
from workbench.review import users  # noqa: E402
from workbench.store.db import connect, insert_document  # noqa: E402
from workbench.terms import entries as glossary  # noqa: E402

SERVE = "from workbench.cli import cli; cli()"  # the real `workbench serve`
RAW_SERVER = Path(__file__).resolve().parent / "raw_save_server.py"


SHARED_SHARE = 0.1


def made_by(code: Path, path: Path, segments: int, terms: int) -> tuple[int, str]:
    """``make_database`` run by another checkout's code (its schema; a newer one it refuses)."""
    script = (
        "import json, sys; from pathlib import Path;"
        " sys.path[:0] = [sys.argv[1], sys.argv[1] + '/bench']; from ui_load import make_database;"
        " from workbench.terms import entries as glossary;"
        " print(json.dumps(make_database(Path(sys.argv[2]), int(sys.argv[3]))));"
        " from workbench.store.db import connect; db = connect(sys.argv[2]);"
        " glossary.import_entries(db, (glossary.Entry(f'问题{i}', f'issue {i}', 'zh', 'en',"
        " source_variants=[f'议题{i}']) for i in range(int(sys.argv[4]))))"
    )
    made = subprocess.run(
        [sys.executable, "-c", script, str(code), str(path), str(segments), str(terms)],
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
    )
    doc, token = json.loads(made.stdout.splitlines()[-1])
    return doc, token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_database(path: Path, segments: int, terms: int = 0) -> tuple[int, str]:
    """A database with one document of ``segments`` and a glossary of ``terms`` entries
    (a real termbase has thousands; the segments use some of them)."""
    db = connect(path)
    rows = [
        {
            "source": f"第{i}句：会议讨论了{i}个问题，持续了{i % 7 + 1}小时。",
            "mt": f"Sentence {i}: the meeting discussed {i} issues for {i % 7 + 1} hours.",
            "confidence": (i % 100) / 100,
        }
        for i in range(segments)
    ]
    doc = insert_document(
        db,
        {
            "title": "Load test",
            "filename": "load.txt",
            "source_lang": "zh",
            "target_lang": "en",
            "kind": "mt",
            "mt_model": "bench",
        },
        rows,
        "bench",
    )
    glossary.import_entries(
        db,
        (
            glossary.Entry(f"问题{i}", f"issue {i}", "zh", "en", source_variants=[f"议题{i}"])
            for i in range(terms)
        ),
    )
    users.add(db, "bench", "reviewer", "bench-password")
    token = users.new_token(db, "bench")
    db.close()
    return doc, token


class Client(threading.Thread):
    def __init__(self, number, port, token, own, shared, deadline, lean, think):
        super().__init__(daemon=True)
        self.number, self.port, self.token = number, port, token
        self.own, self.shared, self.deadline, self.lean = own, shared, deadline, lean
        self.think = think
        self.versions = dict.fromkeys(own + shared, 1)
        self.latencies: list[float] = []
        self.acked: list[tuple[int, int, str]] = []
        self.conflicts = self.errors = 0

    def run(self) -> None:
        conn = Connection(self.port)
        head = (
            f"Host: 127.0.0.1:{self.port}\r\nAuthorization: Bearer {self.token}\r\n"
            "Content-Type: application/json\r\nContent-Length: "
        ).encode()
        rng = random.Random(self.number)
        n = 0
        while time.monotonic() < self.deadline:
            if self.think:
                time.sleep(rng.uniform(0, 2 * self.think))
            # Mostly one's own segments, as a team splits a document; sometimes a
            # segment everyone touches, so stale saves (409) really happen.
            pool = self.shared if rng.random() < SHARED_SHARE else self.own
            segment = rng.choice(pool)
            n += 1
            target = f"client {self.number} save {n}"
            body = json.dumps(
                {"target": target, "status": "draft", "version": self.versions[segment]}
            ).encode()
            request = b"".join(
                (
                    f"PUT /api/segments/{segment}{self.lean} HTTP/1.1\r\n".encode(),
                    head,
                    str(len(body)).encode(),
                    b"\r\n\r\n",
                    body,
                )
            )
            started = time.perf_counter()
            try:
                status, payload = conn.exchange(request)
                data = json.loads(payload)
            except (OSError, ValueError):
                self.errors += 1
                conn.close()
                conn = Connection(self.port)
                continue
            self.latencies.append(time.perf_counter() - started)
            if status == 200:
                self.versions[segment] = data["version"]
                self.acked.append((segment, data["version"], target))
            elif status == 409:
                self.conflicts += 1
                self.versions[segment] = data["current"]["version"]
            else:
                self.errors += 1
        conn.close()


class Connection:
    """A bare keep-alive HTTP/1.1 client for the save loop.

    ``http.client`` parses every response's headers with the email package,
    which costs the bench process more CPU per request than a save costs the
    server's Python; the bench shares the machine's cores with the server, so
    that would slow down what it measures. This sends prebuilt request bytes and
    reads the status line, ``Content-Length`` and the body: all a save needs.
    """

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.port, self.open = port, True

    def exchange(self, request: bytes) -> tuple[int, bytes]:
        if not self.open:  # the server ended the last exchange with Connection: close
            self.close()
            self.__init__(self.port)
        self.sock.sendall(request)
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self.receive()
        head, self.buffer = self.buffer[:end].decode("latin-1"), self.buffer[end + 4 :]
        lines = head.split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = None
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                self.open = False
            elif name == "transfer-encoding":
                raise ValueError(f"unexpected {line!r}: this client reads Content-Length bodies")
        if length is None:
            raise ValueError("no Content-Length in the response")
        while len(self.buffer) < length:
            self.receive()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, body

    def receive(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


@contextlib.contextmanager
def serving(
    path: Path,
    synchronous: str = "NORMAL",
    tree: Path = REPO,
    env: dict | None = None,
    threads: int | None = None,
    processes: int | None = None,
    raw: bool = False,
    pids: list[int] | None = None,
) -> Iterator[int]:
    """The real ``workbench serve`` of ``tree`` (this checkout, or another one's code) on
    the database, in a subprocess; yields its port. ``raw``: the floor under it instead
    (``bench/raw_save_server.py``: waitress and sqlite3 doing a save's SQL only). The
    server's process id is appended to ``pids``. ``threads``, ``processes``: None
    leaves the server's default (``--code`` of a checkout from before ``--processes``)."""
    port = free_port()
    if raw:
        processes = processes or 1
        threads = threads or threads_per_process(processes)
        command = [sys.executable, str(RAW_SERVER), str(path), str(port)]
        command += [str(threads), str(processes)]
    else:
        command = [sys.executable, "-c", SERVE, "serve", "--db", str(path), "--port", str(port)]
        command += [] if threads is None else ["--threads", str(threads)]
        command += [] if processes is None else ["--processes", str(processes)]
    server = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tree,
        env={
            **(os.environ if env is None else env),
            "PYTHONPATH": str(tree),
            "WORKBENCH_SQLITE_SYNCHRONOUS": synchronous,
        },
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("the server did not start")
        if pids is not None:
            pids.append(server.pid)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def lost_updates(path: Path, acked: list[tuple[int, int, str]]) -> int:
    """Acknowledged saves missing from the final database (see the module docstring)."""
    db = sqlite3.connect(path)  # as it is: no migration
    revisions = {
        (segment, version): target
        for segment, version, target in db.execute(
            "SELECT segment_id, version, target FROM revisions WHERE action = 'save'"
        )
    }
    lost = sum(1 for seg, version, target in acked if revisions.get((seg, version)) != target)
    touched = {segment for segment, _, _ in acked}
    for segment in touched:
        version, target = db.execute(
            "SELECT version, target FROM segments WHERE id = ?", [segment]
        ).fetchone()
        if revisions.get((segment, version)) != target:
            lost += 1
    db.close()
    return lost


def open_times(port: int, token: str, doc: int, tries: int = 20) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(tries):
        started = time.perf_counter()
        conn.request("GET", f"/documents/{doc}", headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
        times.append(time.perf_counter() - started)
    conn.close()
    return times


@dataclass
class Load:
    """What one server did under the clients."""

    saves: int
    requests: int
    seconds: float
    conflicts: int
    errors: int
    latencies: list[float]
    lost: int
    cpu: float | None  # the server process's CPU seconds during the run
    client_cpu: float  # this process's (the clients') CPU seconds during the run
    wal_bytes: int  # the largest the database's write-ahead log grew during the run

    def figures(self) -> dict:
        ms = 1000
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return {
            "saves_per_s": round(self.saves / self.seconds, 1),
            "requests_per_s": round(self.requests / self.seconds, 1),
            "saves": self.saves,
            "conflicts": self.conflicts,
            "errors": self.errors,
            "lost_updates": self.lost,
            "p50_ms": round(statistics.median(self.latencies) * ms, 1),
            "p95_ms": round(cuts[94] * ms, 1),
            "p99_ms": round(cuts[98] * ms, 1),
            "server_cpu_ms_per_request": (
                None if self.cpu is None else round(self.cpu / self.requests * ms, 2)
            ),
            "client_cpu_ms_per_request": round(self.client_cpu / self.requests * ms, 2),
            "wal_mb_max": round(self.wal_bytes / 2**20, 1),
        }


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a server has used so far, its worker processes included
    (``--processes``); None where /proc is missing."""
    ticks = cpu_ticks(pid)
    return None if ticks is None else ticks / os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = sum(int(f) for f in fields[11:15])  # its own and its finished children's
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError, ValueError):
            for child in (task / "children").read_text().split():
                ticks += cpu_ticks(int(child)) or 0
    return ticks


class WalWatch(threading.Thread):
    """The largest size the database's ``-wal`` file reaches while the clients save:
    a log that cannot restart grows on disk for as long as the load lasts."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.wal = Path(f"{path}-wal")
        self.largest = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.1):
            with contextlib.suppress(OSError):
                self.largest = max(self.largest, self.wal.stat().st_size)


def load(path: Path, port: int, pid: int, ids: list[int], token: str, args) -> Load:
    """Let ``args.clients`` clients save on the server at ``port`` for ``args.seconds``;
    the server's CPU time per request is measured on its process ``pid``."""
    picked = random.Random(0).sample(ids, args.shared + args.own * args.clients)
    shared = picked[: args.shared]
    deadline = time.monotonic() + args.seconds
    clients = [
        Client(
            i,
            port,
            token,
            picked[args.shared + i * args.own :][: args.own],
            shared,
            deadline,
            "?lean=1" if args.lean else "",
            args.think_ms / 1000,
        )
        for i in range(args.clients)
    ]
    wal = WalWatch(path)
    wal.start()
    cpu_before, client_before = cpu_seconds(pid), sum(os.times()[:2])
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    elapsed = time.perf_counter() - started
    cpu_after, client_after = cpu_seconds(pid), sum(os.times()[:2])
    wal.stopped.set()
    wal.join()
    acked = [a for c in clients for a in c.acked]
    return Load(
        cpu=None if cpu_before is None or cpu_after is None else cpu_after - cpu_before,
        client_cpu=client_after - client_before,
        saves=len(acked),
        requests=sum(len(c.latencies) for c in clients),
        seconds=elapsed,
        conflicts=sum(c.conflicts for c in clients),
        errors=sum(c.errors for c in clients),
        latencies=[t for c in clients for t in c.latencies],
        lost=lost_updates(path, acked),
        wal_bytes=wal.largest,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--own", type=int, default=50, help="segments each client works on")
    parser.add_argument(
        "--shared",
        type=int,
        default=20,
        help="segments every client also saves now and then (10%% of saves)",
    )
    parser.add_argument(
        "--synchronous",
        choices=("NORMAL", "FULL"),
        default="NORMAL",
        help="SQLite synchronous mode of the server (WORKBENCH_SQLITE_SYNCHRONOUS)",
    )
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0,
        help="mean pause between one client's saves (0: save flat out)",
    )
    parser.add_argument(
        "--lean",
        action="store_true",
        help="ask for a short reply (no QA, diff, HTER) as a script would",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="each server process's worker threads (default: workbench serve's)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        help="server processes (default: workbench serve's, one per core up to 4)",
    )
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="skip the same clients against the raw floor (bench/raw_save_server.py)",
    )
    parser.add_argument(
        "--glossary", type=int, default=0, help="glossary entries in the database (default none)"
    )
    parser.add_argument(
        "--code",
        type=Path,
        default=REPO,
        help="serve another checkout's code (a git worktree of an older commit: before/after)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="workbench-ui-load-") as tmp:
        path = Path(tmp) / "load.db"
        doc, token = (
            make_database(path, args.segments, args.glossary)
            if args.code == REPO
            else made_by(args.code, path, args.segments, args.glossary)
        )
        floor_path = Path(tmp) / "floor.db"
        shutil.copyfile(path, floor_path)  # the same rows, saved on by the floor server
        with contextlib.closing(sqlite3.connect(path)) as db:  # no migration: --code's schema
            ids = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM segments WHERE document_id = ? ORDER BY position", [doc]
                )
            ]
        pids: list[int] = []
        processes = args.processes or default_processes()
        threads = args.threads or threads_per_process(processes)
        this_checkout = args.code == REPO  # else another's: its own defaults unless given
        ours_processes = processes if args.processes or this_checkout else None
        ours_threads = threads if args.threads or this_checkout else None
        with serving(
            path,
            args.synchronous,
            args.code,
            threads=ours_threads,
            processes=ours_processes,
            pids=pids,
        ) as port:
            opened = open_times(port, token, doc)
            ours = load(path, port, pids[-1], ids, token, args)
        floor = None
        if not args.no_floor:
            with serving(
                floor_path,
                args.synchronous,
                threads=threads,
                processes=processes,
                raw=True,
                pids=pids,
            ) as port:
                floor = load(floor_path, port, pids[-1], ids, token, args)

    result = {
        "clients": args.clients,
        "seconds": args.seconds,
        "think_ms": args.think_ms,
        "lean": args.lean,
        "synchronous": args.synchronous,
        "threads": threads,
        "processes": processes,
        "glossary_entries": args.glossary,
        "code": str(args.code),
        "workbench": ours.figures(),
        "open_document_ms": {
            "median": round(statistics.median(opened) * 1000, 1),
            "max": round(max(opened) * 1000, 1),
        },
    }
    if floor is not None:
        raw = floor.figures()
        result["floor"] = raw
        result["ratio"] = {
            "saves_per_s": round(ours.saves / ours.seconds / (floor.saves / floor.seconds), 2),
            "p95": round(result["workbench"]["p95_ms"] / raw["p95_ms"], 2),
        }
        if ours.cpu is not None and floor.cpu is not None:
            result["ratio"]["server_cpu_per_request"] = round(
                result["workbench"]["server_cpu_ms_per_request"] / raw["server_cpu_ms_per_request"],
                2,
            )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(args, result)
    if ours.lost or (floor is not None and floor.lost):
        sys.exit(1)


def report(args, result: dict) -> None:
    ours = result["workbench"]
    print(
        f"server: workbench serve (waitress, {result['processes']} processes × {result['threads']}"
        f" threads), {args.clients} clients,"
        f" {args.seconds:.0f} s, {args.own} own segments each and"
        f" {args.shared} shared ones, of a {args.segments}-segment document,"
        f" synchronous={args.synchronous}"
        + (", lean replies" if args.lean else "")
        + (f", glossary of {args.glossary} entries" if args.glossary else "")
        + (f", code of {args.code}" if args.code != REPO else "")
        + (f", think time {args.think_ms:.0f} ms" if args.think_ms else ", no think time")
    )
    print(
        f"saves acknowledged: {ours['saves']}  ({ours['saves_per_s']:.0f} saves/s);"
        f" requests {ours['requests_per_s']:.0f}/s"
    )
    print(f"conflicts (409, stale version): {ours['conflicts']}; errors: {ours['errors']}")
    print(
        f"save latency: p50 {ours['p50_ms']:.1f} ms, p95 {ours['p95_ms']:.1f} ms,"
        f" p99 {ours['p99_ms']:.1f} ms"
    )
    opened = result["open_document_ms"]
    print(
        f"open the {args.segments}-segment document (editor page, first 100 rows):"
        f" median {opened['median']:.1f} ms, max {opened['max']:.1f} ms"
    )
    print(f"lost updates: {ours['lost_updates']}")
    print(f"largest write-ahead log during the run: {ours['wal_mb_max']:.1f} MB")
    if ours["server_cpu_ms_per_request"] is not None:
        print(f"server CPU per request: {ours['server_cpu_ms_per_request']:.2f} ms")
    if "floor" in result:
        raw, ratio = result["floor"], result["ratio"]
        print(
            f"floor, same clients (waitress + sqlite3, a save's SQL only):"
            f" {raw['saves_per_s']:.0f} saves/s, p50 {raw['p50_ms']:.1f} ms,"
            f" p95 {raw['p95_ms']:.1f} ms, lost updates {raw['lost_updates']}"
            + (
                f", server CPU per request {raw['server_cpu_ms_per_request']:.2f} ms"
                if raw["server_cpu_ms_per_request"] is not None
                else ""
            )
        )
        print(f"workbench / floor: saves/s {ratio['saves_per_s']:.2f}, p95 {ratio['p95']:.2f}")


if __name__ == "__main__":
    main()
