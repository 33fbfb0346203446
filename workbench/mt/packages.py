"""Install and list Argos Translate packages without ever touching the network
unless asked to.

Packages go where argostranslate keeps them (``ARGOS_PACKAGES_DIR``, by default
``~/.local/share/argos-translate/packages``) in argostranslate's own format, so
other Argos tools see them too. Installation is ours rather than
``argostranslate.package.install_from_path`` because that one extracts straight
into the package directory (a corrupt archive leaves half a package behind) and
then imports ``argostranslate.translate``, which needs stanza and torch.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

# The Argos index packages we know and the archives we accept for them.
PINNED = {
    "translate-zh_en": {
        "from_code": "zh",
        "to_code": "en",
        "package_version": "1.9",
        "sha256": "62e7af5a3a48b530e47b7b3e5c78c2de79073ecd815750d2bf3ab35b4a67da2d",
    },
    "translate-en_zh": {
        "from_code": "en",
        "to_code": "zh",
        "package_version": "1.9",
        "sha256": "433e7c4f034d87fbe2353161e05f18646d7999452f801a4e1f0378522b9850ab",
    },
}
DOWNLOAD_TIMEOUT = 60  # seconds without data before a download is abandoned
MAX_ARCHIVE_BYTES = 2 * 1024**3


class PackageError(Exception):
    """An archive that cannot be installed, or a download that failed; nothing was installed."""


@dataclass(frozen=True)
class InstalledModel:
    """An installed Argos translation package, as far as Workbench cares."""

    name: str
    from_code: str
    to_code: str
    package_version: str
    path: Path
    tiny: bool  # a test fixture, not a real translation model

    @property
    def key(self) -> str:
        """Identifies the model in the MT cache: a new version never reuses old output."""
        return f"argos:{self.name}:{self.package_version}"

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "from": self.from_code,
            "to": self.to_code,
            "version": self.package_version,
            "path": str(self.path),
            "tiny_test_model": self.tiny,
        }


def tiny_note(model_key: str | None) -> str:
    """What a file written from a tiny test model's MT says about it (every writer the same)."""
    return f"machine translation by a tiny test model ({model_key}), not meaningful"


#: More package directories, for this process only (``os.pathsep``-separated): `workbench
#: demo` keeps the tiny test packages in one of its own, so no other command uses them.
EXTRA_DIRS_ENV = "WORKBENCH_EXTRA_PACKAGES"


def packages_dir() -> Path:
    """Where argostranslate installs packages (it reads the setting at import)."""
    from argostranslate import settings

    return Path(settings.package_data_dir)


def package_dirs() -> list[Path]:
    """The package directory, then any extra ones set in ``WORKBENCH_EXTRA_PACKAGES``."""
    extra = [Path(p) for p in os.environ.get(EXTRA_DIRS_ENV, "").split(os.pathsep) if p]
    return [packages_dir(), *extra]


def installed_models() -> list[InstalledModel]:
    """Every installed translation package, read through argostranslate's Package."""
    from argostranslate import package as argos_package

    models = []
    found = [d for root in package_dirs() if root.is_dir() for d in sorted(root.iterdir())]
    for directory in found:
        if not (directory / "metadata.json").is_file():
            continue
        pkg = argos_package.Package(directory)
        if getattr(pkg, "type", "translate") != "translate":
            continue
        extra = json.loads((directory / "metadata.json").read_text("utf-8")).get("x-workbench", {})
        models.append(
            InstalledModel(
                name=directory.name,
                from_code=pkg.from_code,
                to_code=pkg.to_code,
                package_version=str(pkg.package_version),
                path=directory,
                tiny=bool(extra.get("tiny_test_model")),
            )
        )
    return models


def install_archive(archive: Path, into: Path | None = None) -> InstalledModel:
    """Validate an ``.argosmodel`` zip and install it atomically (into argostranslate's
    package directory, or ``into`` another one).

    The archive is extracted beside the package directory and renamed into
    place only when it is complete, so a bad file never leaves a partial
    package; an existing package of the same name is replaced.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise PackageError(f"{archive}: no such file")
    if not zipfile.is_zipfile(archive):
        raise PackageError(f"{archive}: not an Argos package (not a zip archive)")
    try:
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            tops = {name.split("/", 1)[0] for name in names if name.strip("/")}
            if len(tops) != 1:
                raise PackageError(
                    f"{archive}: expected one top-level directory, found {len(tops)}"
                )
            top = tops.pop()
            for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
                if f"{top}/{required}" not in names:
                    raise PackageError(f"{archive}: {required} is missing")
            if sum(info.file_size for info in zf.infolist()) > MAX_ARCHIVE_BYTES:
                raise PackageError(f"{archive}: unpacks to more than 2 GB")
            bad = zf.testzip()
            if bad:
                raise PackageError(f"{archive}: corrupt member {bad}")
            metadata = json.loads(zf.read(f"{top}/metadata.json"))
            for field in ("from_code", "to_code", "package_version"):
                if field not in metadata:
                    raise PackageError(f"{archive}: metadata.json has no {field}")
            target_root = Path(into) if into else packages_dir()
            target_root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".install-", dir=target_root.parent))
            try:
                zf.extractall(staging)
                destination = target_root / top
                if destination.exists():
                    shutil.rmtree(destination)
                os.replace(staging / top, destination)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (
        zipfile.BadZipFile,
        zlib.error,
        json.JSONDecodeError,
        UnicodeDecodeError,
        EOFError,
    ) as error:
        raise PackageError(f"{archive}: corrupt package ({error})") from error
    for model in installed_models():
        if model.path == target_root / top:
            return model
    raise PackageError(f"{archive}: installed but argostranslate cannot read it")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch(url: str, destination: Path, progress=None) -> None:
    """Download url to destination, raising PackageError on any network failure."""
    try:
        with (
            urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response,
            open(destination, "wb") as out,
        ):
            total = int(response.headers.get("Content-Length") or 0)
            if progress:
                progress.total = total or None
            while chunk := response.read(1 << 16):
                out.write(chunk)
                if progress:
                    progress.update(len(chunk))
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        raise PackageError(f"download of {url} failed: {error}") from error


def download_and_install(name: str, progress=None) -> InstalledModel:
    """Fetch a pinned package from the Argos index, check its sha256, install it."""
    if name not in PINNED:
        known = ", ".join(sorted(PINNED))
        raise PackageError(f"unknown package {name!r}; known: {known}, or give a .argosmodel path")
    pin = PINNED[name]
    from argostranslate import settings

    with tempfile.TemporaryDirectory(prefix="workbench-download-") as tmp:
        index_path = Path(tmp) / "index.json"
        _fetch(settings.remote_package_index, index_path)
        try:
            index = json.loads(index_path.read_text("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise PackageError(f"the Argos package index is not valid JSON: {error}") from error
        entries = [
            entry
            for entry in index
            if entry.get("from_code") == pin["from_code"]
            and entry.get("to_code") == pin["to_code"]
            and str(entry.get("package_version")) == pin["package_version"]
        ]
        if not entries or not entries[0].get("links"):
            raise PackageError(f"{name} {pin['package_version']} is not in the Argos package index")
        archive = Path(tmp) / f"{name}.argosmodel"
        errors = []
        for link in entries[0]["links"]:
            try:
                _fetch(link, archive, progress)
                break
            except PackageError as error:
                errors.append(str(error))
        else:
            raise PackageError("; ".join(errors))
        actual = sha256_of(archive)
        if actual != pin["sha256"]:
            raise PackageError(
                f"checksum mismatch for {name}: expected sha256 {pin['sha256']}, got {actual};"
                " nothing was installed"
            )
        return install_archive(archive)
