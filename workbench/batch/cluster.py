"""Dask distributed as the engine of ``workbench translate`` (``--cluster``, ``--workers``).

The client (this process) does what it does alone — reads, cleans, splits,
looks the sentences up in the SQLite MT cache, writes the outputs — except the
translating: the missing sentences are sorted by token length and cut into the
same batches as on one machine (``length_batches``), each batch goes to a
worker as one task, and each result is committed to the cache the moment it
comes back. The database never leaves the client, so resume, cache and outputs
behave exactly as without a cluster.

A worker loads each Argos package once per process (``_engines``) and only if
it is the client's: the same cache key (name and version) and the same
checksum of the package's files. A worker killed mid-batch loses nothing but
time: the scheduler gives its batches to another worker (a batch that killed
``distributed.scheduler.allowed-failures`` workers in a row is an error).

Dask is an optional extra (``workbench[cluster]``) and is imported only here,
only when ``--cluster`` or ``--workers`` is given.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import hashlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.mt.packages import InstalledModel

CONNECT_TIMEOUT = 10  # seconds to reach the scheduler, and for it to have a worker
IN_FLIGHT_PER_THREAD = 2  # batches queued per worker thread: no thread waits for the client
NO_WORKER_TIMEOUT = 60  # seconds with no worker at all before the run gives up
INSTALL_EXTRA = "pip install 'workbench[cluster]'"
TIMEOUTS = (TimeoutError, asyncio.TimeoutError)  # distinct types before Python 3.11


class ClusterError(Exception):
    """The cluster cannot translate: unreachable, no workers, a worker without the model."""


class WorkerModelError(Exception):
    """Raised on a worker whose package is missing or differs from the client's."""


def import_distributed():
    """``distributed``, or a ClusterError saying how to install it."""
    try:
        import distributed
    except ImportError as error:
        raise ClusterError(
            f"--cluster and --workers need Dask, which is not installed ({error});"
            f" install it with `{INSTALL_EXTRA}`"
        ) from error
    return distributed


def package_checksum(directory: Path) -> str:
    """sha256 over every file of an installed package (names and contents), in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelSpec:
    """What a worker must load for one direction: the client's package, checked."""

    key: str  # the MT cache key: argos:NAME:VERSION
    name: str
    from_code: str
    to_code: str
    checksum: str

    @classmethod
    def of(cls, model: InstalledModel) -> ModelSpec:
        return cls(
            model.key, model.name, model.from_code, model.to_code, package_checksum(model.path)
        )


# --------------------------------------------------------------------------- on the workers

_engines: dict[str, tuple[str, object]] = {}  # cache key -> (checksum, Translator), per process
_engines_lock = threading.Lock()


def _worker_threads() -> tuple[str, int]:
    """This worker's address and thread count (1 outside a worker)."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return "this process", 1
    return worker.address, max(1, int(getattr(worker.state, "nthreads", 1)))


def undo_malloc_trim_threshold() -> None:
    """Give glibc back its large-buffer thresholds, which Dask's nanny takes away.

    The nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``; setting it
    also pins glibc's mmap threshold at 128 KiB, so every engine buffer above
    that is mmapped and unmapped again at each decoding step: batches ran 6×
    slower on a worker than in a plain process. These are the ceilings glibc's
    own adaptive thresholds grow to (32 MiB mmap, trim at twice that).
    """
    if not sys.platform.startswith("linux") or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to undo
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD


def worker_translator(spec: ModelSpec):
    """The loaded Translator for ``spec`` in this process; WorkerModelError if it cannot be."""
    from workbench.mt.packages import installed_models, packages_dir
    from workbench.mt.translator import Translator

    with _engines_lock:
        checksum, translator = _engines.get(spec.key, ("", None))
        if translator is not None and checksum == spec.checksum:
            return translator
        address, threads = _worker_threads()
        model = next((m for m in installed_models() if m.key == spec.key), None)
        if model is None:
            raise WorkerModelError(
                f"worker {address} has no {spec.name} package (the client's model,"
                f" {spec.key}) in {packages_dir()}; run `workbench models install"
                f" translate-{spec.from_code}_{spec.to_code}` (or the same .argosmodel file)"
                " on that machine"
            )
        checksum = package_checksum(model.path)
        if checksum != spec.checksum:
            raise WorkerModelError(
                f"worker {address}: {model.path} is not the client's {spec.name} (sha256"
                f" {checksum[:12]}… ≠ {spec.checksum[:12]}…); install the same .argosmodel file"
                " on every machine"
            )
        # A worker's threads run its tasks; each translation uses them all, like one process.
        undo_malloc_trim_threshold()
        translator = Translator(model, threads=threads)
        _engines[spec.key] = (checksum, translator)
        return translator


def translate_batch(spec: ModelSpec, tokens: list[list[str]]) -> list[str]:
    """A worker task: one batch of tokenized sentences through the engine."""
    return worker_translator(spec).translate_tokens(tokens)


def load_models(specs: Sequence[ModelSpec]) -> str:
    """A worker task run before translating: load every model; the address when done."""
    for spec in specs:
        worker_translator(spec)
    return _worker_threads()[0]


# --------------------------------------------------------------------------- on the client


@dataclass
class Batch:
    """One task's worth: sentences of one direction and their tokens."""

    spec: ModelSpec
    sentences: list[str]
    tokens: list[list[str]]


class Engine:
    """A Dask client: connected to ``address``, or to a LocalCluster of ``workers`` processes.

    Used as a context manager; leaving it closes the client (and the local cluster).
    """

    def __init__(self, address: str | None = None, workers: int | None = None):
        if (address is None) == (workers is None):
            raise ValueError("give a scheduler address or a number of workers")
        self.address = address
        self.workers = workers
        self.client = None
        self.cluster = None

    def __enter__(self) -> Engine:
        distributed = import_distributed()
        where = f"the Dask scheduler at {self.address}" if self.address else "a local cluster"
        try:
            if self.workers:
                import dask

                # The statistical profiler samples a running task's stack every 10 ms:
                # half of an idle worker's own CPU use, taken from the engine's one thread.
                with dask.config.set({"distributed.worker.profile.enabled": False}):
                    self.cluster = distributed.LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",
                        silence_logs=logging.ERROR,
                    )
            target = self.address if self.cluster is None else self.cluster
            self.client = distributed.Client(target, timeout=CONNECT_TIMEOUT)
        except (OSError, *TIMEOUTS) as error:
            self.__exit__(None, None, None)
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ClusterError(f"cannot use {where}: {reason}") from error
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TIMEOUTS as error:
            self.__exit__(None, None, None)
            raise ClusterError(
                f"cannot use {where}: it has no worker after {CONNECT_TIMEOUT} s"
                " (start some with `dask worker ADDRESS`)"
            ) from error
        return self

    def __exit__(self, *exc) -> None:
        for closable in (self.client, self.cluster):
            if closable is not None:
                # Closing a broken cluster must not hide why it broke.
                with contextlib.suppress(Exception):
                    closable.close()
        self.client = self.cluster = None

    def check_models(self, specs: Sequence[ModelSpec]) -> None:
        """Every worker loads every model now: a missing or different one fails the run at once."""
        futures = [
            self.client.submit(
                load_models, list(specs), workers=[address], allow_other_workers=True, pure=False
            )
            for address in self.client.nthreads()
        ]
        for future in futures:
            self._result(future)

    def run(self, batches: Sequence[Batch]) -> Iterator[tuple[Batch, list[str]]]:
        """Each batch and its translations, in the order they finish.

        At most ``IN_FLIGHT_PER_THREAD`` batches per worker thread are
        submitted at a time, so a huge corpus never sits in the scheduler's
        memory and finished batches reach the cache in a steady stream.
        """
        from distributed import wait

        queue = list(reversed(batches))
        pending: dict = {}
        idle = 0.0
        while queue or pending:
            threads = sum(self.client.nthreads().values())
            window = max(1, IN_FLIGHT_PER_THREAD * threads)
            while queue and len(pending) < window:
                batch = queue.pop()
                future = self.client.submit(translate_batch, batch.spec, batch.tokens, pure=False)
                pending[future] = batch
            try:
                done = wait(list(pending), timeout=5, return_when="FIRST_COMPLETED").done
            except TIMEOUTS:
                done = set()
            if not done:
                idle = idle + 5 if not threads else 0.0
                if idle >= NO_WORKER_TIMEOUT:
                    raise ClusterError(
                        f"the cluster has had no worker for {NO_WORKER_TIMEOUT} s; the"
                        " translations so far are cached: start workers and run again"
                    )
                continue
            for future in done:
                batch = pending.pop(future)
                yield batch, self._result(future)

    def _result(self, future):
        """A task's result; the one-line ClusterError for whatever went wrong."""
        from distributed import KilledWorker

        try:
            return future.result()
        except WorkerModelError as error:
            raise ClusterError(str(error)) from error
        except KilledWorker as error:
            raise ClusterError(
                f"a batch was lost with every worker that tried it ({error}); the translations"
                " so far are cached: run again to continue"
            ) from error
        except Exception as error:
            if type(error).__name__ == "CancelledError":
                raise ClusterError(
                    "lost the connection to the Dask scheduler; the translations so far are"
                    " cached: run again to continue"
                ) from error
            raise


def translate_cached_on(
    engine: Engine,
    db,
    work: dict[tuple[str, str], list[str]],
    progress: Callable[[int], None],
    cached: Callable[[int], None],
) -> dict[tuple[str, str], list[str]]:
    """``translate_cached`` for every direction at once, batches translated on the cluster.

    Both directions' batches share the cluster, so no worker idles at the end
    of the first; each batch is committed to the cache as it arrives.
    """
    from workbench.mt.translator import (
        MAX_BATCH_TOKENS,
        Tokenizer,
        find_model,
        length_batches,
        lookup_cached,
        store_cached,
    )

    models = {direction: find_model(*direction) for direction in sorted(work)}
    specs = {direction: ModelSpec.of(model) for direction, model in models.items()}
    known: dict[tuple[str, str], dict[str, str]] = {}
    batches: list[Batch] = []
    for direction, sentences in sorted(work.items()):
        known[direction], missing = lookup_cached(db, specs[direction].key, sentences)
        cached(len(known[direction]))
        if not missing:
            continue
        tokens = Tokenizer(models[direction]).encode(missing)
        for batch in length_batches([len(t) for t in tokens], MAX_BATCH_TOKENS, 256):
            batches.append(
                Batch(specs[direction], [missing[i] for i in batch], [tokens[i] for i in batch])
            )
    direction_of = {spec.key: direction for direction, spec in specs.items()}
    if batches:
        engine.check_models([specs[d] for d in sorted({direction_of[b.spec.key] for b in batches})])
    for batch, translated in engine.run(batches):
        store_cached(db, batch.spec.key, batch.sentences, translated)
        known[direction_of[batch.spec.key]].update(zip(batch.sentences, translated, strict=True))
        progress(len(batch.sentences))
    return {
        direction: [known[direction].get(s, "") for s in sentences]
        for direction, sentences in work.items()
    }
