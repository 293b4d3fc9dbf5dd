"""Sign-in lockout that a stranger cannot stretch, counted in the shared rate-limit store.

Two locks, each with exponential back-off (cairn.domain.accounts.signins.lock_length):

* per account *and* address: LOCKOUT_THRESHOLD failures from one address lock that address
  out of that account. The owner, signing in from elsewhere, is not affected.
* per account: ACCOUNT_LOCKOUT_THRESHOLD failures from all addresses together lock the
  account everywhere, for at most LONGEST_LOCK.

A guess made while locked is refused without checking the password and is not counted, so
it cannot extend the lock: a lock ends when it was set to. A success clears the failures.
An administrator's unlock moves the account to a new "generation": every lock and count of
the old one is then ignored, on every worker.

An email with no account is counted exactly like one with an account (the same locks, the
same answers), under a keyed digest that only this deployment can make, in counters that
expire. Nothing about it is written to the event store."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from cairn.domain.accounts.account import email_key
from cairn.domain.accounts.signins import (
    ACCOUNT_LOCKOUT_THRESHOLD,
    BACKOFF_MEMORY,
    LOCKOUT_THRESHOLD,
    LOCKOUT_WINDOW,
    lock_length,
)
from cairn.web.ratelimit import RateLimits

GENERATION_MEMORY = 30 * 86400.0  # longer than any lock or count below lives


@dataclass(frozen=True)
class Who:
    """Whose sign-in this is: an account, or an email with none, and from where."""

    subject: str
    address: str


def who(limits: RateLimits, account_id: UUID | None, email: str, address: str) -> Who:
    subject = f"a:{account_id}" if account_id else "e:" + limits.digest(email_key(email))
    return Who(subject, limits.digest(address))


class Lockout:
    def __init__(self, limits: RateLimits) -> None:
        self.store = limits.store

    def _names(self, person: Who) -> tuple[str, str]:
        generation = self.store.get(f"lockgen:{person.subject}").hits
        account = f"{person.subject}:g{generation}"
        return account, f"{account}:{person.address}"

    def locked_until(self, person: Who) -> float:
        """When the lock on this person (from this address) ends; 0 if there is none."""
        ends = [self.store.get(f"lock:{name}") for name in self._names(person)]
        return max((c.resets_at for c in ends if c.hits), default=0.0)

    def failed(self, person: Who) -> None:
        """Count a wrong password; lock what has had too many."""
        account, pair = self._names(person)
        for name, threshold in ((pair, LOCKOUT_THRESHOLD), (account, ACCOUNT_LOCKOUT_THRESHOLD)):
            if self.store.incr(f"fail:{name}", LOCKOUT_WINDOW.total_seconds()).hits >= threshold:
                self._lock(name)

    def _lock(self, name: str) -> None:
        earlier = self.store.incr(f"locks:{name}", BACKOFF_MEMORY.total_seconds()).hits - 1
        self.store.clear(f"fail:{name}")
        self.store.clear(f"lock:{name}")
        self.store.incr(f"lock:{name}", lock_length(earlier).total_seconds())

    def succeeded(self, person: Who) -> None:
        """The right password: earlier failures no longer count (the back-off memory stays)."""
        for name in self._names(person):
            self.store.clear(f"fail:{name}")

    def unlock(self, account_id: UUID) -> None:
        """An administrator's unlock: every lock and count on the account is forgotten."""
        subject = f"a:{account_id}"
        self.store.incr(f"lockgen:{subject}", GENERATION_MEMORY)
