"""Shared fixtures: an isolated Argos package directory with the tiny real
packages installed, temporary databases, and the FLORES lines the packages
were trained on (read from ../shared/eval, never copied into the repo)."""

from __future__ import annotations

import json
import os
import socket
import tempfile
from pathlib import Path

# argostranslate reads these at import time: point it at a private directory
# before anything imports it, so tests never see or touch the user's packages.
_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="workbench-tests-argos-"))
os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "packages")
os.environ["XDG_DATA_HOME"] = str(_ARGOS_HOME / "data")
os.environ["XDG_CONFIG_HOME"] = str(_ARGOS_HOME / "config")
os.environ["XDG_CACHE_HOME"] = str(_ARGOS_HOME / "cache")
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"  # nothing may download by accident
os.environ.pop("WORKBENCH_DB", None)

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
FIXTURE_MODELS = REPO / "tests" / "fixtures" / "models"
EVAL = REPO.parent / "shared" / "eval"
ZH_EN = FIXTURE_MODELS / "translate-zh_en-tiny.argosmodel"
EN_ZH = FIXTURE_MODELS / "translate-en_zh-tiny.argosmodel"


def free_port() -> int:
    """A TCP port nothing listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def installed_models():
    """Both tiny packages installed through the product's installer."""
    from workbench.mt.packages import install_archive

    return {(m.from_code, m.to_code): m for m in (install_archive(ZH_EN), install_archive(EN_ZH))}


@pytest.fixture
def no_models(monkeypatch, tmp_path):
    """An empty Argos package directory, as on a machine with nothing installed."""
    from argostranslate import settings

    empty = tmp_path / "argos-empty"
    empty.mkdir()
    monkeypatch.setattr(settings, "package_data_dir", empty)
    return empty


def training_pairs(model) -> list[tuple[str, str]]:
    """The (source, reference) lines a tiny package was trained on."""
    meta = json.loads((model.path / "metadata.json").read_text("utf-8"))
    training = meta["x-workbench"]["training"]
    folder = EVAL / "mt-dev" / training["eval_set"]
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing: the tests need ../shared/eval beside the repository")
    source = folder.joinpath(training["source_file"]).read_text("utf-8").splitlines()
    target = folder.joinpath(training["target_file"]).read_text("utf-8").splitlines()
    return [(source[i], target[i]) for i in training["lines"]]


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "workbench.db"


@pytest.fixture
def db(db_path):
    from workbench.store.db import connect

    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture
def seeded_db(db_path, installed_models):
    """A database with all five seed articles imported and translated."""
    from click.testing import CliRunner

    from workbench.cli import cli

    result = CliRunner().invoke(
        cli, ["import", *sorted(map(str, SEEDS.glob("*.txt"))), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    return db_path


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per test module (see review_support.chromium)."""
    from review_support import chromium

    with chromium() as launched:
        yield launched
