"""Login throttling: growing delays per account and per client address, kept in the
database.

A few mistakes cost nothing; after that each further failure doubles the wait
before the next attempt is even checked (answered with 429 and Retry-After),
up to ``CAP`` seconds. Counting per account stops guessing one user's password
from many addresses; counting per address (with a higher allowance, for a team
behind one address) stops trying one password on many accounts.

The counts are rows of ``login_failures`` (migration 6), not the server's
memory: a restart does not clear them and every server process on the same
database sees the same counts. An attempt is counted *before* its password is
checked, in one write transaction with the check, so many attempts sent at
once cannot all slip through between a check and the count; a success then
takes its attempt back and clears the account. Rows of keys without a failure
for ``FORGET`` seconds are deleted on the next attempt.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import sqlite_utils

from workbench.web.database import writing

#: Failures allowed before delays start, per kind of key.
FREE = {"account": 5, "address": 20}
CAP = 15 * 60
FORGET = 60 * 60

Key = tuple[str, str]


def _wait(kind: str, count: int, last: float, now: float) -> float:
    """Seconds still to wait after ``count`` failures, the last at ``last``."""
    if not count or now - last > FORGET:
        return 0.0
    over = count - FREE[kind]
    if over < 0:
        return 0.0
    return max(0.0, last + min(CAP, 2.0**over) - now)


class LoginThrottle:
    """The rules; the counts are in the database passed to each call. ``clock`` is
    wall-clock time (seconds since the epoch): the rows outlive the process."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock

    def attempt(self, db: sqlite_utils.Database, keys: list[Key]) -> int:
        """Count an attempt for ``keys`` unless they must wait; returns the seconds
        to wait (0: the attempt is counted, go ahead and check the password)."""
        now = self.clock()
        with writing(db):
            db.execute("DELETE FROM login_failures WHERE last < ?", [now - FORGET])
            rows = {
                (kind, key): (count, last)
                for kind, key, count, last in db.execute(
                    "SELECT kind, key, count, last FROM login_failures"
                    " WHERE (kind = ? AND key = ?) OR (kind = ? AND key = ?)",
                    [part for key in keys for part in key],
                )
            }
            wait = max((_wait(key[0], *rows.get(key, (0, 0.0)), now) for key in keys), default=0.0)
            if wait:
                return math.ceil(wait)
            for kind, key in keys:
                db.execute(
                    "INSERT INTO login_failures (kind, key, count, last) VALUES (?, ?, 1, ?)"
                    " ON CONFLICT (kind, key)"
                    " DO UPDATE SET count = count + 1, last = excluded.last",
                    [kind, key, now],
                )
        return 0

    def succeeded(self, db: sqlite_utils.Database, keys: list[Key]) -> None:
        """The password was right: clear the account, take the attempt back from the
        address (a team behind one address is not slowed by its own logins)."""
        with writing(db):
            for kind, key in keys:
                if kind == "account":
                    db.execute("DELETE FROM login_failures WHERE kind = ? AND key = ?", [kind, key])
                else:
                    db.execute(
                        "UPDATE login_failures SET count = count - 1"
                        " WHERE kind = ? AND key = ? AND count > 0",
                        [kind, key],
                    )


def keys(name: str, address: str | None) -> list[Key]:
    return [("account", name.strip().lower()[:64]), ("address", (address or "unknown")[:64])]
