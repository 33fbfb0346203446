"""Login throttling: growing delays per account and per client address.

A few mistakes cost nothing; after that each further failure doubles the wait
before the next attempt is even checked (answered with 429 and Retry-After),
up to ``CAP`` seconds. Counting per account stops guessing one user's password
from many addresses; counting per address (with a higher allowance, for a team
behind one address) stops trying one password on many accounts. A success
clears the account's count; failures are forgotten after ``FORGET`` seconds
without one. The counts live in the server's memory: a restart clears them,
which costs an attacker a restart they cannot cause.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

#: Failures allowed before delays start, per kind of key.
FREE = {"account": 5, "address": 20}
CAP = 15 * 60
FORGET = 60 * 60
MAX_KEYS = 100_000  # memory bound: the oldest entries go first


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}

    def _wait(self, key: tuple[str, str], now: float) -> float:
        count, last = self._failures.get(key, (0, 0.0))
        if not count or now - last > FORGET:
            return 0.0
        over = count - FREE[key[0]]
        if over < 0:
            return 0.0
        return max(0.0, last + min(CAP, 2.0**over) - now)

    def retry_after(self, keys: list[tuple[str, str]]) -> int:
        """Seconds to wait before these keys may try again (0: go ahead)."""
        with self._lock:
            now = self.clock()
            return math.ceil(max((self._wait(key, now) for key in keys), default=0.0))

    def failed(self, keys: list[tuple[str, str]]) -> None:
        with self._lock:
            now = self.clock()
            for key in keys:
                count, last = self._failures.pop(key, (0, now))
                if now - last > FORGET:
                    count = 0
                self._failures[key] = (count + 1, now)
            while len(self._failures) > MAX_KEYS:
                self._failures.pop(next(iter(self._failures)))

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)


def keys(name: str, address: str | None) -> list[tuple[str, str]]:
    return [("account", name.strip().lower()[:64]), ("address", address or "unknown")]
