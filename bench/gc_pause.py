"""How long a full garbage collection holds a review server process, before and after
``gc.freeze()`` (which ``workbench serve`` calls once the app is loaded).

    .venv/bin/python bench/gc_pause.py

A full collection walks every object the collector tracks while holding the
interpreter lock, so every request of that process waits for it. The process is
built as ``workbench serve`` builds it: the app on a fresh database, jieba's
dictionary loaded, a page rendered and a save made.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from ui_load import make_database  # noqa: E402

from aligner.tokens import jieba_module  # noqa: E402
from workbench.web import create_app  # noqa: E402


def full_collection_ms(rounds: int) -> float:
    """Median wall time of ``rounds`` full collections, in milliseconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        gc.collect()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gc.db"
        _, token = make_database(path, 200)
        app = create_app(str(path))
        jieba_module()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        client.get("/documents/1", headers=headers)
        client.put("/api/segments/1", json={"target": "a save", "version": 1}, headers=headers)
        before = full_collection_ms(args.rounds)
        tracked = len(gc.get_objects())
        gc.freeze()
        after = full_collection_ms(args.rounds)
        print(
            json.dumps(
                {
                    "tracked_objects": tracked,
                    "full_collection_ms": before,
                    "after_freeze_ms": after,
                    "frozen_objects": gc.get_freeze_count(),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
