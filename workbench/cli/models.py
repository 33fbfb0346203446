"""`workbench models`: install and list Argos translation packages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.options import EXIT_MODEL, emit_json, fail, json_option


@click.group("models")
def models() -> None:
    """Install and list Argos translation packages."""


@models.command("install")
@click.argument("package")
def models_install(package: str) -> None:
    """Install PACKAGE: a local .argosmodel file, or translate-zh_en / translate-en_zh
    (downloaded from the Argos index and checked against a pinned sha256)."""
    from workbench.mt import packages

    try:
        if package.endswith(".argosmodel") or Path(package).exists():
            model = packages.install_archive(Path(package))
        else:
            with click.progressbar(
                length=0, label=f"Downloading {package}", file=sys.stderr
            ) as bar:
                model = packages.download_and_install(package, progress=bar)
    except packages.PackageError as error:
        fail(str(error), EXIT_MODEL)
    note = " (tiny test model)" if model.tiny else ""
    click.echo(
        f"Installed {model.name} {model.package_version}: {model.from_code}→{model.to_code}{note}"
    )


@models.command("list")
@json_option
def models_list(as_json: bool) -> None:
    """List installed translation packages."""
    from workbench.mt.packages import installed_models, packages_dir

    found = installed_models()
    if as_json:
        emit_json([m.as_dict() for m in found])
        return
    if not found:
        click.echo(f"No translation packages installed in {packages_dir()}.")
        click.echo("Install one with: workbench models install translate-zh_en")
    for m in found:
        tiny = "  [tiny test model]" if m.tiny else ""
        click.echo(f"{m.from_code}→{m.to_code}  {m.name} {m.package_version}  {m.path}{tiny}")
