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
#: What each permission lets a user do, for refusals a person can read.
PERMISSION_WORDS = {
    "edit": "edit segments",
    "repair": "repair the alignment",
    "approve": "approve or reject segments",
    "upload": "upload documents or translation memories",
    "admin": "manage users",
}
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")
MIN_PASSWORD = 10
#: zxcvbn's score (0-4) a password must reach: 2 is "somewhat guessable" (about 10^8
#: guesses), which with scrypt hashing and login throttling is out of reach online.
MIN_STRENGTH = 2


class UserError(ValueError):
    """A user that cannot be created or changed; the message says why."""


def can(user: dict | None, permission: str) -> bool:
    return bool(user) and permission in PERMISSIONS.get(user["role"], set())


def refusal(user: dict | None, permission: str) -> str:
    """Why ``user`` may not do what ``permission`` covers, and who may."""
    roles = [role for role, granted in PERMISSIONS.items() if permission in granted]
    who = f"{user['role']}s" if user else "visitors who are not logged in"
    action = PERMISSION_WORDS.get(permission, permission)
    return f"{who} may not {action}; ask someone with the role {' or '.join(roles)}"


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or set(name) - NAME_CHARS:
        raise UserError(
            f"invalid user name {name!r}: use 1-64 letters, digits, '.', '_', '-' or '@'"
        )
    return name


def count(db) -> int:
    return db.execute("SELECT COUNT(*) FROM users").fetchone()[0]


def _one(db, column: str, value) -> dict | None:
    """The user whose ``column`` (a unique one: name, id, token_hash) holds ``value``."""
    rows = storage.select_rows(db, f"SELECT * FROM users WHERE {column} = ?", [value])
    return rows[0] if rows else None


def get(db, name: str) -> dict | None:
    return _one(db, "name", name)


def by_id(db, user_id: int) -> dict | None:
    """The user a browser session belongs to (looked up on every request)."""
    return _one(db, "id", user_id)


def add(db, name: str, role: str, password: str) -> dict:
    """Create a user; the password is hashed before it is stored."""
    name = check_name(name)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    check_password(name, password)
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


def check_password(name: str, password: str) -> None:
    """The password policy, the same on /setup, ``users add`` and ``users passwd``:
    at least MIN_PASSWORD characters, not the user name, not common or guessable
    (zxcvbn's dictionaries of common passwords, words, names and keyboard runs)."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if not password.strip():
        raise UserError("the password must not be only spaces")
    lowered, plain_name = password.strip().lower(), name.strip().lower()
    if plain_name and (lowered == plain_name or lowered == plain_name[::-1]):
        raise UserError("the password must not be the user name")
    from zxcvbn import zxcvbn

    verdict = zxcvbn(password[:100], user_inputs=[plain_name, "workbench"])
    if verdict["score"] < MIN_STRENGTH:
        hint = verdict["feedback"].get("warning") or "it is too easy to guess"
        raise UserError(
            f"the password is too weak ({hint.rstrip('.').lower()}); use a longer phrase of"
            " unrelated words"
        )


def set_password(db, name: str, password: str) -> None:
    check_password(name, password)
    if not get(db, name):
        raise UserError(f"no user {name!r}")
    with storage.write_transaction(db):
        db.execute(
            "UPDATE users SET password_hash = ? WHERE name = ?",
            [generate_password_hash(password), name],
        )
        end_sessions(db, name)


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
    return _one(db, "token_hash", token_hash(token))


def remove(db, name: str) -> None:
    if not get(db, name):
        raise UserError(f"no user {name!r}")
    with storage.write_transaction(db):
        end_sessions(db, name)
        db.execute("DELETE FROM users WHERE name = ?", [name])


def set_role(db, name: str, role: str) -> None:
    """Change a user's role; their sessions end, so the new role applies at once."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if not get(db, name):
        raise UserError(f"no user {name!r}")
    with storage.write_transaction(db):
        db.execute("UPDATE users SET role = ? WHERE name = ?", [role, name])
        end_sessions(db, name)


def end_sessions(db, name: str) -> int:
    """End every browser session of user ``name`` (logout everywhere); how many ended."""
    with storage.write_transaction(db):
        return db.execute(
            "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE name = ?)", [name]
        ).rowcount


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(8))


# --- command line -------------------------------------------------------------------------
