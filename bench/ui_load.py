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
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workbench.review import users  # noqa: E402
from workbench.store.db import connect, insert_document  # noqa: E402

SERVE = "from workbench.cli import cli; cli()"  # the real `workbench serve`


SHARED_SHARE = 0.1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_database(path: Path, segments: int) -> tuple[int, str]:
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
    users.add(db, "bench", "reviewer", "bench-password")
    token = users.new_token(db, "bench")
    db.close()
    return doc, token


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


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
    path: Path, synchronous: str = "NORMAL", tree: Path = REPO, env: dict | None = None
) -> Iterator[int]:
    """The real ``workbench serve`` of ``tree`` (this checkout, or another one's code) on
    the database, in a subprocess; yields its port."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--db", str(path), "--port", str(port)],
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
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def lost_updates(path: Path, acked: list[tuple[int, int, str]]) -> int:
    """Acknowledged saves missing from the final database (see the module docstring)."""
    db = connect(path)
    revisions = {
        (segment, version): target
        for segment, version, target in db.execute(
            "SELECT segment_id, version, target FROM revisions WHERE action = 'save'"
        )
    }
    lost = sum(1 for seg, version, target in acked if revisions.get((seg, version)) != target)
    touched = {segment for segment, _, _ in acked}
    for segment in touched:
        row = db["segments"].get(segment)
        if revisions.get((segment, row["version"])) != row["target"]:
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
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="workbench-ui-load-") as tmp:
        path = Path(tmp) / "load.db"
        doc, token = make_database(path, args.segments)
        db = connect(path)
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM segments WHERE document_id = ? ORDER BY position", [doc]
            )
        ]
        db.close()
        with serving(path, args.synchronous) as port:
            opened = open_times(port, token, doc)
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
            started = time.perf_counter()
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            elapsed = time.perf_counter() - started
        latencies = [t for c in clients for t in c.latencies]
        acked = [a for c in clients for a in c.acked]
        lost = lost_updates(path, acked)

    ms = 1000
    print(
        f"server: workbench serve (waitress), {args.clients} clients, {args.seconds:.0f} s,"
        f" {args.own} own segments each and"
        f" {args.shared} shared ones, of a {args.segments}-segment document,"
        f" synchronous={args.synchronous}"
        + (", lean replies" if args.lean else "")
        + (f", think time {args.think_ms:.0f} ms" if args.think_ms else ", no think time")
    )
    print(
        f"saves acknowledged: {len(acked)}  ({len(acked) / elapsed:.0f} saves/s);"
        f" requests {len(latencies)} ({len(latencies) / elapsed:.0f}/s)"
    )
    print(
        f"conflicts (409, stale version): {sum(c.conflicts for c in clients)};"
        f" errors: {sum(c.errors for c in clients)}"
    )
    p95, p99 = percentile(latencies, 95) * ms, percentile(latencies, 99) * ms
    print(
        f"save latency: p50 {statistics.median(latencies) * ms:.1f} ms,"
        f" p95 {p95:.1f} ms, p99 {p99:.1f} ms"
    )
    print(
        f"open the {args.segments}-segment document (editor page, first 100 rows):"
        f" median {statistics.median(opened) * ms:.1f} ms, max {max(opened) * ms:.1f} ms"
    )
    print(f"lost updates: {lost}")
    if lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
