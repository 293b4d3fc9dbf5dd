"""The append-only log of sign-ins and failed sign-ins.

Each attempt is its own one-event aggregate, so attempts never conflict with each other.
The email is kept only as a digest: an attempt with an email that has no account must
not store that email, and the digest still lets repeated failures on one email be
counted for lockout. `by` is the account that signed in (or whose password was wrong),
None when the email belongs to no account; the audit log reads `by` as the actor."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.accounts.account import email_key
from domain.outcome import Done

if TYPE_CHECKING:
    from domain.app import CairnApp

# Lockout: this many failures for one email within the window lock it for the window.
LOCKOUT_THRESHOLD = 5
LOCKOUT_WINDOW = timedelta(minutes=15)


def email_digest(email: str) -> str:
    return hashlib.sha256(("cairn:sign-in:" + email_key(email)).encode()).hexdigest()


class SignInAttempt(Aggregate):
    Recorded: ClassVar[type[Aggregate.Event]]

    @event("Recorded")
    def __init__(
        self, email_digest: str, by: UUID | None, succeeded: bool, at: datetime, reason: str
    ) -> None:
        self.email_digest = email_digest
        self.by = by
        self.succeeded = succeeded
        self.at = at
        self.reason = reason


def record_sign_in(
    app: CairnApp, email: str, account_id: UUID | None, succeeded: bool, reason: str = ""
) -> Done:
    """Record one attempt. `reason` is a short code: "", "wrong-password", "locked"."""
    attempt = SignInAttempt(
        email_digest=email_digest(email),
        by=account_id,
        succeeded=succeeded,
        at=app.clock(),
        reason=reason,
    )
    return Done(attempt.id, app.record(attempt))
