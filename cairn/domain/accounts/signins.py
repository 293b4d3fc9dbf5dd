"""The append-only log of sign-ins to known accounts, lockout's back-off, and unlocks.

Each attempt is its own one-event aggregate, so attempts never conflict with each other.
An attempt is recorded only when the email belongs to an account, and then only as that
account's id (`by`, which the audit log reads as the actor): an email that has no account
leaves no trace in the events at all. Its failures are counted, like every failure, in the
rate-limit store, where counters expire (cairn.web.lockout).

Events from before this rule carry an `email_digest` (an unsalted SHA-256 of the email);
they still load, and no projection reads that field any more."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.accounts.account import email_key
from cairn.domain.outcome import Done

if TYPE_CHECKING:
    from cairn.domain.store import Store

# Lockout. Failures for one account (or unknown email) from one address: after this many
# within the window, that address is locked out of that account.
LOCKOUT_THRESHOLD = 5
# Failures for one account from every address together: after this many, the account is
# locked everywhere. Higher, so a stranger needs many guesses to bother the owner at all.
ACCOUNT_LOCKOUT_THRESHOLD = 20
LOCKOUT_WINDOW = timedelta(minutes=15)
# Each lock lasts twice as long as the one before, from a minute up to a quarter of an hour;
# a lock's length is never stretched by guesses made during it.
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(minutes=15)
# How long the number of earlier locks is remembered (for the doubling).
BACKOFF_MEMORY = timedelta(hours=24)


def email_digest(email: str) -> str:
    """The digest attempts carried before accounts alone were recorded. Never written now:
    only to find those old events for the person's subject access request."""
    return hashlib.sha256(("cairn:sign-in:" + email_key(email)).encode()).hexdigest()


def lock_length(earlier_locks: int) -> timedelta:
    """The length of a lock after `earlier_locks` others within BACKOFF_MEMORY."""
    doubled: timedelta = FIRST_LOCK * (2 ** min(earlier_locks, 16))
    return min(doubled, LONGEST_LOCK)


class SignInAttempt(Aggregate):
    class Recorded(Aggregate.Created):
        # None only in old attempts with an email that had no account.
        by: UUID | None
        succeeded: bool
        at: datetime
        reason: str

    @event(Recorded)
    def __init__(self, by: UUID, succeeded: bool, at: datetime, reason: str) -> None:
        self.by = by
        self.succeeded = succeeded
        self.at = at
        self.reason = reason


class SignInUnlock(Aggregate):
    """An administrator ended an account's sign-in lockout: who, for whom, when."""

    class Unlocked(Aggregate.Created):
        account_id: UUID
        by: UUID
        at: datetime

    @event(Unlocked)
    def __init__(self, account_id: UUID, by: UUID, at: datetime) -> None:
        self.account_id = account_id
        self.by = by
        self.at = at


def record_sign_in(app: Store, account_id: UUID, succeeded: bool, reason: str = "") -> Done:
    """Record one attempt on a known account. `reason`: "", "wrong-password", "locked"."""
    attempt = SignInAttempt(by=account_id, succeeded=succeeded, at=app.clock(), reason=reason)
    return Done(attempt.id, app.record(attempt))


def record_unlock(app: Store, account_id: UUID, by: UUID) -> Done:
    unlock = SignInUnlock(account_id=account_id, by=by, at=app.clock())
    return Done(unlock.id, app.record(unlock))
