"""An enquiry from a member of the public to one provider, and the notification about it."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import InvalidTransition
from cairn.domain.personal import personal
from cairn.domain.text import _

# How long one sender may hold an enquiry's notification before another may try again.
CLAIM_LASTS = timedelta(minutes=2)


class Enquiry(Aggregate):
    """Private between the person and the provider: never shown on a public page."""

    # Declared so that projections read typed attributes; the names are in stored topics.

    class Received(Aggregate.Created):
        provider_id: UUID
        name: str
        contact: str
        message: str
        consent: bool

    class Answered(Aggregate.Event):
        by: UUID

    class NotificationClaimed(Aggregate.Event):
        sender: str
        until: datetime

    class NotificationSent(Aggregate.Event):
        to: str

    class Purged(Aggregate.Event):
        retention_days: int

    @event(Received)
    def __init__(
        self, provider_id: UUID, name: str, contact: str, message: str, consent: bool
    ) -> None:
        self.provider_id = provider_id
        self.name = name
        self.contact = contact
        self.message = message
        self.consent = consent
        self.answered_by: UUID | None = None
        self.claimed_by: str | None = None
        self.claimed_until: datetime | None = None
        self.notified_to: str | None = None
        self.purged = False

    def mark_answered(self, by: UUID) -> None:
        if self.answered_by is not None:
            raise InvalidTransition(_("This enquiry is already marked as answered."))
        self._answered(by=by)

    @event(Answered)
    def _answered(self, by: UUID) -> None:
        self.answered_by = by

    # -- the email telling the provider an enquiry is waiting ------------------------------

    def claim_notification(self, sender: str, now: datetime) -> None:
        """A sender takes the job; saved before sending, so two senders never both send.

        A sender may take its own claim again (to retry); others wait until it lapses."""
        if self.notified_to is not None:
            raise InvalidTransition(_("The provider has already been told about this enquiry."))
        held = self.claimed_until is not None and now < self.claimed_until
        if held and self.claimed_by != sender:
            raise InvalidTransition(_("Another sender is telling the provider about this enquiry."))
        self._notification_claimed(sender=sender, until=now + CLAIM_LASTS)

    @event(NotificationClaimed)
    def _notification_claimed(self, sender: str, until: datetime) -> None:
        self.claimed_by = sender
        self.claimed_until = until

    def record_notification_sent(self, to: str) -> None:
        if self.notified_to is not None:
            raise InvalidTransition(_("The provider has already been told about this enquiry."))
        self._notification_sent(to=to)

    @event(NotificationSent)
    def _notification_sent(self, to: str) -> None:
        self.notified_to = to

    # -- retention --------------------------------------------------------------------------

    def purge(self, retention_days: int) -> None:
        """Past its retention period: the enquiry leaves the read models and its key is shredded
        (by the caller, before saving this), so its personal fields read back as erased."""
        if self.purged:
            raise InvalidTransition(_("This enquiry has already been deleted."))
        self._purged(retention_days=retention_days)

    @event(Purged)
    def _purged(self, retention_days: int) -> None:
        self.purged = True


# The enquirer's name, contact details and message are theirs: encrypted with a key of this
# enquiry's own (no `enquiry_key` field exists, so the subject is the enquiry's id), which the
# retention sweep shreds without touching anything else the person holds.
personal(Enquiry.Received, fields=("name", "contact", "message"), subject="enquiry_key")
# Where the notification went is the provider's email: under that email's key.
personal(Enquiry.NotificationSent, fields=("to",), subject="to")
