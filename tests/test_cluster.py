"""`workbench translate --cluster/--workers`: Dask worker processes translate, the client caches.

Real Dask (a LocalCluster of worker processes on this machine), the tiny real
Argos packages, real SQLite files. Every cluster run is compared byte for byte
with the single-process run of the same inputs.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, free_port
from test_translate import FLORES, cached, flores_corpus

from workbench.cli import cli

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")


def run(*args: str):
    return CliRunner().invoke(cli, ["translate", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def scheduler(installed_models):
    """A scheduler with two single-threaded worker processes, as `dask worker` would start."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, installed_models) -> Path:
    """Ten-sentence FLORES articles in both languages (both directions translated)."""
    if not FLORES.is_dir():
        pytest.fail(f"{FLORES} is missing: the tests need ../shared/eval beside the repository")
    folder = tmp_path_factory.mktemp("cluster") / "corpus"
    flores_corpus(folder, lines=20)
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("fmt", ["txt", "jsonl", "tmx"])
def test_cluster_output_is_byte_identical(tmp_path, corpus, scheduler, fmt, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the TMX header date
    out = {}
    for name, extra in (("alone", []), ("cluster", ["--cluster", scheduler])):
        if name == "cluster":
            from workbench.mt import translator

            def refuse(self, tokens):
                raise AssertionError("the client must not translate: the workers do")

            monkeypatch.setattr(translator.Translator, "translate_tokens", refuse)
        target = tmp_path / (name if fmt == "txt" else f"{name}.{fmt}")
        db = tmp_path / f"{name}.db"
        result = run(str(corpus), "--format", fmt, "-o", str(target), "--db", str(db), *extra)
        assert result.exit_code == 0, result.output
        out[name] = files(target) if fmt == "txt" else target.read_bytes()
        assert cached(db) > 0
    assert out["cluster"] == out["alone"]
    assert cached(tmp_path / "cluster.db") == cached(tmp_path / "alone.db")


def worker_processes(pid: int) -> list[int]:
    """Dask worker processes the client with ``pid`` started (multiprocessing spawn children;
    with setproctitle installed, as mutmut brings it, a started worker calls itself
    ``dask worker [address]`` instead)."""
    import psutil

    return [
        child.pid
        for child in psutil.Process(pid).children()
        if any(mark in " ".join(child.cmdline()) for mark in ("spawn_main", "dask worker"))
    ]


def test_killed_worker_still_gives_identical_output(tmp_path, installed_models):
    """kill -9 of a worker mid-run: its batches go to the other worker, nothing changes."""
    if not FLORES.is_dir():
        pytest.fail(f"{FLORES} is missing: the tests need ../shared/eval beside the repository")
    corpus = tmp_path / "corpus"
    flores_corpus(corpus, lines=60)
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def command(out: Path, db: Path, *extra: str) -> list[str]:
        return [
            sys.executable, "-c", "from workbench.cli import cli; cli()", "translate",
            str(corpus), "--format", "jsonl", "-o", str(out), "--db", str(db), "-q", *extra,
        ]  # fmt: skip

    alone = tmp_path / "alone.jsonl"
    subprocess.run(command(alone, tmp_path / "alone.db"), env=env, check=True, timeout=300)

    db, out = tmp_path / "cluster.db", tmp_path / "cluster.jsonl"
    process = subprocess.Popen(command(out, db, "--workers", "2"), env=env)
    deadline = time.monotonic() + 120
    while cached(db) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    victims = worker_processes(process.pid)
    assert len(victims) == 2, victims
    os.kill(victims[0], signal.SIGKILL)
    done = cached(db)
    assert process.wait(timeout=300) == 0
    assert 0 < done < cached(db), "the worker was not killed mid-run; make the corpus bigger"
    assert out.read_bytes() == alone.read_bytes()


def test_unreachable_scheduler_is_one_line_and_exit_3(tmp_path, corpus):
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    result = run(
        str(corpus), "--format", "jsonl", "--db", str(tmp_path / "x.db"), "--cluster", address
    )
    assert result.exit_code == 3
    assert time.monotonic() - started < 30
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: cannot use the Dask scheduler at {address}")


def test_worker_without_the_model_exits_3(tmp_path, corpus):
    empty = tmp_path / "no-packages"
    empty.mkdir()
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
        env={"ARGOS_PACKAGES_DIR": str(empty)},
    ) as cluster:
        address = cluster.scheduler_address
        db = tmp_path / "x.db"
        result = run(str(corpus), "--format", "jsonl", "--db", str(db), "--cluster", address)
    assert result.exit_code == 3
    (line,) = result.stderr.strip().splitlines()
    assert "has no translate-en_zh-tiny package" in line or "has no translate-zh_en-tiny" in line
    assert "workbench models install translate-" in line
    assert cached(db) == 0


def test_a_different_package_is_refused(installed_models, tmp_path):
    from workbench.batch.cluster import ModelSpec, WorkerModelError, worker_translator

    spec = ModelSpec.of(installed_models[("zh", "en")])
    altered = ModelSpec(spec.key, spec.name, spec.from_code, spec.to_code, "0" * 64)
    with pytest.raises(WorkerModelError, match="install the same .argosmodel file"):
        worker_translator(altered)


def test_without_dask_the_message_names_the_extra(tmp_path, corpus, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    for option in (["--workers", "2"], ["--cluster", "tcp://127.0.0.1:8786"]):
        result = run(str(corpus), "--format", "jsonl", "--db", str(tmp_path / "x.db"), *option)
        assert result.exit_code == 3
        assert "pip install 'workbench[cluster]'" in result.stderr


def test_cluster_and_workers_exclude_each_other(tmp_path, corpus):
    result = run(str(corpus), "--cluster", "tcp://127.0.0.1:8786", "--workers", "2")
    assert result.exit_code == 2
    assert run(str(corpus), "--workers", "0").exit_code == 2
