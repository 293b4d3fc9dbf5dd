"""Commands: sending an enquiry, answering it, notifying the provider; recording unmet demand."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from cairn.domain.directory.provider import Provider
from cairn.domain.enquiries.demand import UnmetDemandSignal
from cairn.domain.enquiries.enquiry import Enquiry
from cairn.domain.enquiries.feedback import PAGE_MAX_LENGTH, TEXT_MAX_LENGTH, VERDICTS, Feedback
from cairn.domain.errors import DomainError, NotFound
from cairn.domain.geo.districts import packaged_districts
from cairn.domain.outcome import Done
from cairn.domain.service_types import is_service_type
from cairn.domain.validation import (
    DAYS,
    TIMES,
    Invalid,
    _,
    clean_text,
    normalise_district,
    normalise_email,
    parse_language,
)

if TYPE_CHECKING:
    from cairn.domain.store import Store

NAME_MAX_LENGTH = 120
CONTACT_MAX_LENGTH = 200
MESSAGE_MAX_LENGTH = 2000


class NotYours(DomainError):
    """The person is not the provider this enquiry was sent to."""


class EnquiryCommands:
    def __init__(self, app: Store) -> None:
        self.app = app

    def send(
        self,
        provider_id: UUID,
        *,
        name: str,
        contact: str,
        message: str,
        consent: bool,
        reply_email: str = "",
        language: str = "en",
        message_language: str = "",
    ) -> Done:
        """Someone asks a listed provider for help. Values are checked here too.

        `contact` is what the provider sees; `reply_email` (optional, never shown to them) is
        where Cairn sends a copy and the provider's reply. At least one is needed.
        `language` is the one they use Cairn in (their emails are in it); `message_language`
        the one their message is written in, when they were asked (else taken as `language`)."""
        if not consent:
            raise DomainError(_("Tick the box to agree that we share your enquiry"))
        try:
            fields = {
                "name": clean_text(name, max_length=NAME_MAX_LENGTH),
                "contact": clean_text(contact, max_length=CONTACT_MAX_LENGTH, min_length=0),
                "message": clean_text(message, max_length=MESSAGE_MAX_LENGTH, multiline=True),
                "reply_email": normalise_email(reply_email) if reply_email.strip() else "",
                "message_language": parse_language(message_language or language),
            }
        except Invalid as error:
            raise DomainError(error.message) from None
        if not fields["contact"] and not fields["reply_email"]:
            raise DomainError(
                _(
                    "Give a way to reach you: a phone number or email for the provider, "
                    "or an email for their reply through Cairn"
                )
            )
        provider = self.app.load(Provider, provider_id)
        if provider.public_listing() is None:
            raise NotFound(_("We could not find that provider."))
        enquiry = Enquiry(provider_id=provider_id, consent=True, language=language, **fields)
        return Done(enquiry.id, self.app.record(enquiry))

    def _owned(self, enquiry_id: UUID, by_account: UUID) -> Enquiry:
        enquiry = self.app.load(Enquiry, enquiry_id)
        provider = self.app.load(Provider, enquiry.provider_id)
        if provider.account_id != by_account:
            raise NotYours(_("This enquiry was sent to another provider."))
        return enquiry

    def mark_read(self, enquiry_id: UUID, *, by_account: UUID) -> Done | None:
        """None when it was read before (nothing to record)."""
        enquiry = self._owned(enquiry_id, by_account)
        if not enquiry.mark_read(by=by_account):
            return None
        return Done(enquiry.id, self.app.record(enquiry))

    def reply(self, enquiry_id: UUID, *, by_account: UUID, text: str) -> Done:
        """The provider's answer, emailed to the enquirer."""
        enquiry = self._owned(enquiry_id, by_account)
        enquiry.reply(by_account, self._reply_text(text))
        return Done(enquiry.id, self.app.record(enquiry))

    def decline(self, enquiry_id: UUID, *, by_account: UUID, text: str) -> Done:
        """The provider cannot help (and may say who could); the enquirer is told if they
        gave an email."""
        enquiry = self._owned(enquiry_id, by_account)
        enquiry.decline(by_account, self._reply_text(text))
        return Done(enquiry.id, self.app.record(enquiry))

    def _reply_text(self, text: str) -> str:
        try:
            return clean_text(text, max_length=MESSAGE_MAX_LENGTH, multiline=True)
        except Invalid as error:
            raise DomainError(error.message) from None

    def purge(
        self,
        enquiry_id: UUID,
        *,
        received_before: datetime,
        retention_days: int,
        shred: Callable[[UUID], object],
    ) -> Done | None:
        """Delete an enquiry kept longer than its retention period: `shred` destroys its key
        first (so a crash after it leaves nothing readable), then the Purged event takes it
        out of the read models. None if it is not due, or already gone."""
        enquiry = self.app.load(Enquiry, enquiry_id)
        if enquiry.purged or enquiry.created_on >= received_before:
            return None
        shred(enquiry_id)
        enquiry.purge(retention_days)
        return Done(enquiry.id, self.app.record(enquiry))

    def mark_answered(self, enquiry_id: UUID, *, by_account: UUID) -> Done:
        enquiry = self._owned(enquiry_id, by_account)
        enquiry.mark_answered(by=by_account)
        return Done(enquiry.id, self.app.record(enquiry))

    def claim_notification(self, enquiry_id: UUID, *, sender: str) -> Enquiry:
        """Take the job of emailing the provider; raises if done or held by another sender."""
        enquiry = self.app.load(Enquiry, enquiry_id)
        enquiry.claim_notification(sender, self.app.clock())
        self.app.record(enquiry)  # a racing sender loses here with StaleState
        return enquiry

    def record_notification_sent(self, enquiry_id: UUID, *, to: str) -> Done:
        enquiry = self.app.load(Enquiry, enquiry_id)
        enquiry.record_notification_sent(to)
        return Done(enquiry.id, self.app.record(enquiry))

    # -- feedback about the service --------------------------------------------------------

    def send_feedback(self, *, verdict: str, text: str, page: str = "") -> Done:
        """Anonymous feedback. `page` is kept only if it is one of our own paths, without
        its query string (a search's words stay out of it)."""
        if verdict not in VERDICTS:
            raise DomainError(_("Choose how easy the service was to use"))
        if not text.strip():
            raise DomainError(_("Tell us what went well or what we could do better"))
        try:
            words = clean_text(text, max_length=TEXT_MAX_LENGTH, multiline=True)
        except Invalid as error:
            raise DomainError(error.message) from None
        path = page.split("?", 1)[0].split("#", 1)[0]
        own_page = path.startswith("/") and not path.startswith("//") and "\\" not in path
        feedback = Feedback(
            verdict=verdict, page=path[:PAGE_MAX_LENGTH] if own_page else "", text=words
        )
        return Done(feedback.id, self.app.record(feedback))

    def deal_with_feedback(self, feedback_id: UUID, *, by_account: UUID) -> Done:
        feedback = self.app.load(Feedback, feedback_id)
        feedback.deal_with(by=by_account)
        return Done(feedback.id, self.app.record(feedback))

    def delete_feedback(
        self, feedback_id: UUID, *, by_account: UUID, shred: Callable[[UUID], object]
    ) -> Done:
        """`shred` destroys the feedback's key first, so a crash after it leaves nothing
        readable; the Deleted event then takes it out of the read model."""
        feedback = self.app.load(Feedback, feedback_id)
        if feedback.deleted:
            raise DomainError(_("This feedback has been deleted."))
        shred(feedback_id)
        feedback.delete(by=by_account)
        return Done(feedback.id, self.app.record(feedback))

    def record_unmet_demand(
        self,
        *,
        district: str,
        services: Iterable[str] = (),
        days: Iterable[str] = (),
        times: Iterable[str] = (),
        word_services: Iterable[str] = (),
        known_districts: Container[str] | None = None,
    ) -> Done:
        """Only known codes are kept, so nothing a person typed freely can reach the log; and
        only a district the geo data knows (`known_districts`, the installed copy; by default
        the shipped one), since a half-typed or mistyped one is no evidence of a place."""
        try:
            district = normalise_district(district)
        except Invalid as error:
            raise DomainError(error.message) from None
        known = packaged_districts() if known_districts is None else known_districts
        if district not in known:
            unknown = _(
                "We do not know the postcode district {district}. Check it, or enter a town"
            )
            raise DomainError(unknown.format(district=district))
        signal = UnmetDemandSignal(
            district=district,
            services=_service_keys(services),
            days=tuple(d for d in DAYS if d in set(days)),
            times=tuple(t for t in TIMES if t in set(times)),
            word_services=_service_keys(word_services),
        )
        return Done(signal.id, self.app.record(signal))


def _service_keys(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in keys if is_service_type(k)))
