"""Users from the command line: hashed passwords, roles and API tokens."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.review import users
from workbench.store.db import connect


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_users_add_stores_a_hash_not_the_password(db_path):
    result = run(
        "users",
        "add",
        "mei",
        "--role",
        "reviewer",
        "--password",
        "s3cret-pass",
        "--db",
        str(db_path),
    )
    assert result.exit_code == 0, result.output
    row = users.get(connect(db_path), "mei")
    assert row["role"] == "reviewer"
    assert "s3cret-pass" not in row["password_hash"]
    assert users.authenticate(connect(db_path), "mei", "s3cret-pass")["name"] == "mei"
    assert users.authenticate(connect(db_path), "mei", "wrong") is None
    assert users.authenticate(connect(db_path), "nobody", "s3cret-pass") is None


def test_users_add_prompts_for_the_password(db_path):
    result = run(
        "users",
        "add",
        "li",
        "--role",
        "translator",
        "--db",
        str(db_path),
        input="long-password\nlong-password\n",
    )
    assert result.exit_code == 0, result.output
    assert users.authenticate(connect(db_path), "li", "long-password")


def test_users_add_can_generate_a_password(db_path):
    result = run("users", "add", "root", "--role", "admin", "--generate", "--db", str(db_path))
    assert result.exit_code == 0
    password = result.output.split("Password (shown only now): ")[1].strip()
    assert users.authenticate(connect(db_path), "root", password)


@pytest.mark.parametrize(
    "args, message",
    [
        (["bad name", "--role", "admin", "--password", "long-enough"], "invalid user name"),
        (["x", "--role", "boss", "--password", "long-enough"], "Invalid value for '--role'"),
        (["x", "--role", "admin", "--password", "short"], "at least 10"),
    ],
)
def test_users_add_refuses_bad_input(db_path, args, message):
    result = run("users", "add", *args, "--db", str(db_path))
    assert result.exit_code == 2
    assert message in result.output


def test_duplicate_user_is_refused(db_path):
    run("users", "add", "a", "--role", "admin", "--password", "long-enough", "--db", str(db_path))
    again = run(
        "users", "add", "a", "--role", "admin", "--password", "long-enough", "--db", str(db_path)
    )
    assert again.exit_code == 2 and "already exists" in again.output


def test_token_is_printed_once_and_stored_hashed(db_path):
    run(
        "users",
        "add",
        "bot",
        "--role",
        "translator",
        "--password",
        "long-enough",
        "--db",
        str(db_path),
    )
    result = run("users", "token", "bot", "--db", str(db_path))
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("wb_")
    db = connect(db_path)
    assert users.by_token(db, token)["name"] == "bot"
    assert token not in users.get(db, "bot")["token_hash"]
    newer = run("users", "token", "bot", "--db", str(db_path)).output.strip()
    assert users.by_token(db, token) is None and users.by_token(db, newer)["name"] == "bot"
    assert run("users", "token", "ghost", "--db", str(db_path)).exit_code == 2


def test_list_passwd_and_remove(db_path):
    assert "No users yet" in run("users", "list", "--db", str(db_path)).output
    run(
        "users",
        "add",
        "kim",
        "--role",
        "translator",
        "--password",
        "long-enough",
        "--db",
        str(db_path),
    )
    assert "kim  translator" in run("users", "list", "--db", str(db_path)).output
    assert (
        run("users", "passwd", "kim", "--password", "another-one", "--db", str(db_path)).exit_code
        == 0
    )
    assert users.authenticate(connect(db_path), "kim", "another-one")
    assert run("users", "remove", "kim", "--db", str(db_path)).exit_code == 0
    assert users.get(connect(db_path), "kim") is None


def test_roles_grant_what_the_issue_says():
    assert not users.can({"role": "translator"}, "approve")
    assert users.can({"role": "reviewer"}, "approve")
    assert users.can({"role": "admin"}, "approve")
    assert users.can({"role": "translator"}, "edit")
    assert not users.can(None, "edit")


def test_refusals_say_what_is_refused_and_who_may_in_words():
    from workbench.review.users import refusal

    message = refusal({"role": "translator"}, "upload")
    assert message == (
        "translators may not upload documents or translation memories;"
        " ask someone with the role reviewer or admin"
    )
    assert "is needed" not in message and "(" not in message
