"""The ``workbench`` command line: one module per command group (exit codes: see ``options``).

The top layer: parses arguments, calls the packages below, prints.
May import: every workbench package."""

from __future__ import annotations

import click

from workbench import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
def cli() -> None:
    """Offline Chinese⇄English translation and alignment workbench.

    Import articles (cleaned, split into sentences and machine translated with
    Argos Translate packages), review them in the browser, score the MT against
    the approved text and export the approved pairs as TMX.
    """


def _register_command_modules() -> None:
    """Each command group lives in its own module."""
    from workbench.cli import (
        analyze,
        db,
        export,
        importing,
        models,
        projects,
        qa,
        score,
        serve,
        terms,
        tm,
        translate,
        users,
    )

    for command in (
        models.models,
        importing.import_command,
        importing.align_command,
        serve.serve,
        serve.demo,
        score.score,
        export.export,
        export.import_xliff,
        translate.translate_command,
        tm.tm_group,
        terms.terms_group,
        qa.qa_command,
        analyze.analyze_command,
        projects.projects_group,
        users.users,
        db.db_group,
    ):
        cli.add_command(command)


_register_command_modules()
