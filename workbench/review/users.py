"""Users, roles, passwords and API tokens (the commands are in ``workbench.cli.users``).

Passwords are stored only as werkzeug hashes (scrypt); API tokens only as their
sha256, so a copy of the database gives away neither. A token is printed once,
when it is made; making a new one revokes the old one.
"""

from __future__ import annotations

import functools
import hashlib
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from workbench.store import db as storage

ROLES = ("translator", "reviewer", "admin")
#: What each role may do beyond reading; admin may do everything.
PERMISSIONS = {
    "translator": {"edit", "repair"},
    "reviewer": {"edit", "repair", "approve", "upload"},
    "admin": {"edit", "repair", "approve", "upload", "admin"},
}
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")
MIN_PASSWORD = 8


class UserError(ValueError):
    """A user that cannot be created or changed; the message says why."""


def can(user: dict | None, permission: str) -> bool:
    return bool(user) and permission in PERMISSIONS.get(user["role"], set())


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or set(name) - NAME_CHARS:
        raise UserError(
            f"invalid user name {name!r}: use 1-64 letters, digits, '.', '_', '-' or '@'"
        )
    return name


def count(db) -> int:
    return db.execute("SELECT COUNT(*) FROM users").fetchone()[0]


def get(db, name: str) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE name = ?", [name]))
    return rows[0] if rows else None


def add(db, name: str, role: str, password: str) -> dict:
    """Create a user; the password is hashed before it is stored."""
    name = check_name(name)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if get(db, name):
        raise UserError(f"user {name!r} already exists")
    with storage.write_transaction(db):
        db["users"].insert(
            {
                "name": name,
                "role": role,
                "password_hash": generate_password_hash(password),
                "created_at": storage.now(),
            }
        )
    return get(db, name)


def set_password(db, name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if not get(db, name):
        raise UserError(f"no user {name!r}")
    with storage.write_transaction(db):
        db.execute(
            "UPDATE users SET password_hash = ? WHERE name = ?",
            [generate_password_hash(password), name],
        )


def authenticate(db, name: str, password: str) -> dict | None:
    """The user if the password is right; None otherwise (same answer for unknown names)."""
    user = get(db, name.strip())
    if user is None or not user["password_hash"]:
        check_password_hash(_dummy_hash(), password)  # same time whether or not the name exists
        return None
    return user if check_password_hash(user["password_hash"], password) else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(db, name: str) -> str:
    """A fresh API token for ``name``; the previous one stops working."""
    if not get(db, name):
        raise UserError(f"no user {name!r}")
    token = "wb_" + secrets.token_urlsafe(32)
    with storage.write_transaction(db):
        db.execute("UPDATE users SET token_hash = ? WHERE name = ?", [token_hash(token), name])
    return token


def by_token(db, token: str) -> dict | None:
    if not token:
        return None
    rows = list(db.query("SELECT * FROM users WHERE token_hash = ?", [token_hash(token)]))
    return rows[0] if rows else None


def remove(db, name: str) -> None:
    if not get(db, name):
        raise UserError(f"no user {name!r}")
    with storage.write_transaction(db):
        db.execute("DELETE FROM users WHERE name = ?", [name])


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(8))


# --- command line -------------------------------------------------------------------------
