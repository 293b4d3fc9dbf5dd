"""An enquiry from a member of the public to one provider, and what the provider does with it:
reads it, replies (the reply is emailed to the enquirer), declines, or marks it answered.

The enquirer may give an email for a copy and for replies (`reply_email`): the provider
never sees it, only what the enquirer chose to share in `contact`."""

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
        # Given for a copy and replies through Cairn; not shown to the provider. Older: none.
        reply_email: str = ""
        language: str = "en"  # the language they wrote in Cairn in: their emails are in it
        # The language the message is written in, as they said (asked beside it). Older
        # events: none, and the message was taken to be in `language` (see `message_written_in`).
        message_language: str = ""

        @property
        def message_written_in(self) -> str:
            """What pages mark the message with (`lang`), so it is read in the right voice."""
            return self.message_language or self.language

    class Read(Aggregate.Event):
        by: UUID

    class Replied(Aggregate.Event):
        by: UUID
        text: str

    class Declined(Aggregate.Event):
        by: UUID
        text: str
        notify: bool  # whether the enquirer gave an email to be told at

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
        self,
        provider_id: UUID,
        name: str,
        contact: str,
        message: str,
        consent: bool,
        reply_email: str = "",
        language: str = "en",
        message_language: str = "",
    ) -> None:
        # `message_language` is for the pages that show the message (the read model reads it
        # from the event); nothing here needs it.
        self.provider_id = provider_id
        self.reply_email = reply_email
        self.language = language
        self.read_by: UUID | None = None
        self.replies = 0
        self.declined = False
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

    def mark_read(self, by: UUID) -> bool:
        """The provider opens it; True the first time (later openings record nothing)."""
        if self.read_by is not None:
            return False
        self._read(by=by)
        return True

    @event(Read)
    def _read(self, by: UUID) -> None:
        self.read_by = by

    def reply(self, by: UUID, text: str) -> None:
        self._require_open()
        if not self.reply_email:
            raise InvalidTransition(
                _("They did not give an email for replies: contact them the way they asked.")
            )
        self._replied(by=by, text=text)

    @event(Replied)
    def _replied(self, by: UUID, text: str) -> None:
        self.replies += 1
        self.answered_by = self.answered_by or by

    def decline(self, by: UUID, text: str) -> None:
        self._require_open()
        self._declined(by=by, text=text, notify=bool(self.reply_email))

    @event(Declined)
    def _declined(self, by: UUID, text: str, notify: bool) -> None:
        self.declined = True
        self.answered_by = self.answered_by or by

    def _require_open(self) -> None:
        if self.purged:
            raise InvalidTransition(_("This enquiry has already been deleted."))
        if self.declined:
            raise InvalidTransition(_("You have already said you cannot help with this enquiry."))

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
personal(
    Enquiry.Received, fields=("name", "contact", "message", "reply_email"), subject="enquiry_key"
)
# The provider's reply is about the enquirer and goes with their enquiry: the same key, so the
# retention sweep's shred takes it too.
personal(Enquiry.Replied, fields=("text",), subject="enquiry_key")
personal(Enquiry.Declined, fields=("text",), subject="enquiry_key")
# Where the notification went is the provider's email: under that email's key.
personal(Enquiry.NotificationSent, fields=("to",), subject="to")


def enquiry_reference(enquiry_id: UUID) -> str:
    """A short reference a person can read out on the phone: from the enquiry's id."""
    digits = enquiry_id.hex[:8].upper()
    return f"{digits[:4]}-{digits[4:]}"
