"""`workbench users`: accounts, roles, passwords and API tokens."""

from __future__ import annotations

import secrets

import click

from workbench.cli.options import db_option, fail
from workbench.review.users import (
    ROLES,
    UserError,
    add,
    new_token,
    remove,
    set_password,
    set_role,
)
from workbench.store import db as storage

EXIT_BAD_USER = 2  # a name, role or password the command refuses: a usage error


@click.group("users")
def users() -> None:
    """Create users and API tokens for the review UI."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option(
    "--password",
    envvar="WORKBENCH_PASSWORD",
    help="The password (or set WORKBENCH_PASSWORD); prompted for when omitted.",
)
@click.option("--generate", is_flag=True, help="Generate a random password and print it once.")
@db_option
def users_add(name: str, role: str, password: str | None, generate: bool, db_path: str) -> None:
    """Create user NAME with ROLE (translator, reviewer or admin)."""
    if generate:
        password = secrets.token_urlsafe(12)
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        add(storage.connect(db_path), name, role, password)
    except UserError as error:
        fail(str(error), EXIT_BAD_USER)
    click.echo(f"Created {role} {name}.")
    if generate:
        click.echo(f"Password (shown only now): {password}")


@users.command("passwd")
@click.argument("name")
@click.option("--password", envvar="WORKBENCH_PASSWORD", help="The new password.")
@db_option
def users_passwd(name: str, password: str | None, db_path: str) -> None:
    """Set a new password for NAME."""
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(storage.connect(db_path), name, password)
    except UserError as error:
        fail(str(error), EXIT_BAD_USER)
    click.echo(f"Password of {name} changed.")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@db_option
def users_role(name: str, role: str, db_path: str) -> None:
    """Give NAME another ROLE; their browser sessions end (they log in again)."""
    try:
        set_role(storage.connect(db_path), name, role)
    except UserError as error:
        fail(str(error), EXIT_BAD_USER)
    click.echo(f"{name} is now a {role}; their sessions were ended.")


@users.command("token")
@click.argument("name")
@db_option
def users_token(name: str, db_path: str) -> None:
    """Print a new API token for NAME (send it as `Authorization: Bearer TOKEN`)."""
    try:
        token = new_token(storage.connect(db_path), name)
    except UserError as error:
        fail(str(error), EXIT_BAD_USER)
    click.echo(token)


@users.command("list")
@db_option
def users_list(db_path: str) -> None:
    """List users and their roles."""
    rows = list(storage.connect(db_path).query("SELECT name, role, token_hash FROM users"))
    if not rows:
        click.echo("No users yet. Create one with: workbench users add NAME --role admin")
    for row in rows:
        token = "  (has API token)" if row["token_hash"] else ""
        click.echo(f"{row['name']}  {row['role']}{token}")


@users.command("remove")
@click.argument("name")
@db_option
def users_remove(name: str, db_path: str) -> None:
    """Delete user NAME (their revisions keep their name)."""
    try:
        remove(storage.connect(db_path), name)
    except UserError as error:
        fail(str(error), EXIT_BAD_USER)
    click.echo(f"Removed {name}.")
