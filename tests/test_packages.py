"""Installing Argos packages: from a file, from the (local stand-in for the) Argos index."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EN_ZH, ZH_EN

from workbench.cli import cli
from workbench.mt import packages


def listed(runner: CliRunner) -> list[dict]:
    result = runner.invoke(cli, ["models", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_install_from_file_then_list(no_models):
    runner = CliRunner()
    assert listed(runner) == []
    result = runner.invoke(cli, ["models", "install", str(ZH_EN)])
    assert result.exit_code == 0, result.output
    assert "zh→en" in result.output and "tiny test model" in result.output
    (model,) = listed(runner)
    assert (model["from"], model["to"], model["tiny_test_model"]) == ("zh", "en", True)
    assert (no_models / model["name"] / "model" / "model.bin").is_file()


def test_reinstall_replaces_package(no_models):
    packages.install_archive(EN_ZH)
    packages.install_archive(EN_ZH)
    assert [(m.from_code, m.to_code) for m in packages.installed_models()] == [("en", "zh")]


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda data: data[: len(data) // 2], "not an Argos package"),
        (lambda data: b"this is not a zip file at all", "not an Argos package"),
    ],
)
def test_corrupt_archive_installs_nothing(no_models, tmp_path, damage, message):
    broken = tmp_path / "broken.argosmodel"
    broken.write_bytes(damage(ZH_EN.read_bytes()))
    result = CliRunner().invoke(cli, ["models", "install", str(broken)])
    assert result.exit_code == 3
    assert message in result.output
    assert list(no_models.iterdir()) == []


def test_archive_with_a_corrupt_member_installs_nothing(no_models, tmp_path):
    """A flipped byte inside model.bin fails the CRC check before anything is extracted."""
    data = bytearray(ZH_EN.read_bytes())
    with zipfile.ZipFile(ZH_EN) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith("model/model.bin"))
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 200
    data[offset] ^= 0xFF
    broken = tmp_path / "flipped.argosmodel"
    broken.write_bytes(bytes(data))
    with pytest.raises(packages.PackageError, match="corrupt"):
        packages.install_archive(broken)
    assert list(no_models.iterdir()) == []


def test_archive_without_model_is_refused(no_models, tmp_path):
    partial = tmp_path / "partial.argosmodel"
    with zipfile.ZipFile(ZH_EN) as src, zipfile.ZipFile(partial, "w") as dst:
        for item in src.infolist():
            if "model/" not in item.filename:
                dst.writestr(item, src.read(item))
    with pytest.raises(packages.PackageError, match="model/model.bin is missing"):
        packages.install_archive(partial)
    assert list(no_models.iterdir()) == []


@pytest.fixture
def argos_index(tmp_path, monkeypatch):
    """A local HTTP server standing in for the Argos package index."""
    root = tmp_path / "index"
    root.mkdir()
    (root / "zh_en.argosmodel").write_bytes(ZH_EN.read_bytes())

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    index = [
        {
            "from_code": "zh",
            "to_code": "en",
            "package_version": "1.9",
            "links": [base + "zh_en.argosmodel"],
            "type": "translate",
        }
    ]
    (root / "index.json").write_text(json.dumps(index))
    from argostranslate import settings

    monkeypatch.setattr(settings, "remote_package_index", base + "index.json")
    yield root
    server.shutdown()


def test_download_with_wrong_checksum_installs_nothing(no_models, argos_index):
    result = CliRunner().invoke(cli, ["models", "install", "translate-zh_en"])
    assert result.exit_code == 3
    assert "checksum mismatch" in result.output
    assert packages.PINNED["translate-zh_en"]["sha256"] in result.output
    assert list(no_models.iterdir()) == []


def test_download_with_pinned_checksum_installs(no_models, argos_index, monkeypatch):
    digest = hashlib.sha256(ZH_EN.read_bytes()).hexdigest()
    monkeypatch.setitem(packages.PINNED["translate-zh_en"], "sha256", digest)
    result = CliRunner().invoke(cli, ["models", "install", "translate-zh_en"])
    assert result.exit_code == 0, result.output
    assert [(m.from_code, m.to_code) for m in packages.installed_models()] == [("zh", "en")]


def test_unreachable_index_fails_fast_and_says_why(no_models, monkeypatch):
    from argostranslate import settings

    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    result = CliRunner().invoke(cli, ["models", "install", "translate-en_zh"])
    assert result.exit_code == 3
    assert "download of http://127.0.0.1:9/index.json failed" in result.output
    assert list(no_models.iterdir()) == []


def test_unknown_package_name(no_models):
    result = CliRunner().invoke(cli, ["models", "install", "translate-fr_de"])
    assert result.exit_code == 3
    assert "unknown package" in result.output


def test_missing_file(no_models):
    result = CliRunner().invoke(cli, ["models", "install", str(Path("nope.argosmodel"))])
    assert result.exit_code == 3
    assert "no such file" in result.output
