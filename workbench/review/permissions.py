"""Who may change what: the one rule every state-changing route asks.

Roles grant permissions (``users.PERMISSIONS``); on top of them one rule holds
everywhere a segment changes: an approved segment is read-only to anyone who
may not approve. That covers a save (``PUT``), a revert, every alignment repair
(the segments a repair changes are checked, not only the one clicked) and the
undo of a repair. A translator also may not undo a repair made by someone who
may approve (a reviewer's or an administrator's decision). Each check raises
``Forbidden`` with a message for the user; the web layer turns it into a 403.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from workbench.review import users


class Forbidden(Exception):
    """The user's role does not allow this; the message says why."""


def role(user: dict | None) -> str:
    return user["role"] if user else "anonymous"


def require(user: dict | None, permission: str) -> None:
    """Raise unless the user's role grants ``permission``."""
    if not users.can(user, permission):
        raise Forbidden(users.refusal(user, permission))


def may_change(user: dict | None, segment: dict) -> None:
    """Raise if ``segment`` (a row) is approved and the user may not approve."""
    if segment.get("status") == "approved" and not users.can(user, "approve"):
        raise Forbidden(
            f"segment {segment.get('id')} is approved and locked; ask a reviewer to reopen it"
        )


def may_set_status(user: dict | None, status: str | None) -> None:
    """Only reviewers decide: approved and rejected are theirs to set."""
    if status in ("approved", "rejected") and not users.can(user, "approve"):
        raise Forbidden(f"only reviewers may set a segment to {status}")


def save(user: dict | None, current: dict, status: str | None) -> None:
    """A save (``PUT``) of ``current``, optionally setting ``status``."""
    require(user, "edit")
    may_set_status(user, status)
    may_change(user, current)


def revert_status(user: dict | None, current: dict, old_status: str) -> str:
    """The status a revert to a revision with ``old_status`` gives: a translator's
    revert never brings back a reviewer's decision (approved/rejected)."""
    require(user, "edit")
    may_change(user, current)
    if old_status in ("approved", "rejected") and not users.can(user, "approve"):
        return "translated" if old_status == "approved" else "draft"
    return old_status


def repair(user: dict | None, changed: Iterable[dict]) -> None:
    """A repair that changed (or removed) the rows ``changed``, as they were before it."""
    require(user, "repair")
    for row in changed:
        may_change(user, row)


def repair_record(db: sqlite_utils.Database, repair_id: int) -> list[dict]:
    """The rows a recorded repair changed, as they were before it."""
    found = db.execute("SELECT before FROM repairs WHERE id = ?", [repair_id]).fetchone()
    return json.loads(found[0]) if found else []


def undo(db: sqlite_utils.Database, user: dict | None, document_id: int) -> None:
    """Undo of the document's latest repair: it changes the rows the repair left and
    restores those it found, so both must be changeable; and a translator may not
    reverse a decision of someone who may approve."""
    require(user, "repair")
    if users.can(user, "approve"):
        return
    found = db.execute(
        "SELECT author, before, after FROM repairs WHERE document_id = ? AND undone_at IS NULL"
        " ORDER BY id DESC LIMIT 1",
        [document_id],
    ).fetchone()
    if found is None:
        return  # nothing to undo: the operation itself says so
    author, before, after = found
    if author != (user or {}).get("name"):
        other = users.get(db, author) if author else None
        if other is None or users.can(other, "approve"):
            raise Forbidden(
                f"the last repair here was made by {author or 'someone else'}, who may approve;"
                " only a reviewer may undo it"
            )
    for row in [*json.loads(before), *json.loads(after)]:
        may_change(user, row)
