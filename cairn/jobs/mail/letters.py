"""The shape of an email (a Letter, its Recipient) and what every kind of letter reads.

A letter is a subject, a greeting, paragraphs and at most one link to act on; the text and
HTML bodies are both made from it (render.py). Nothing private travels: never an enquiry's
words or a reflection, only what the recipient needs and a link. The letters themselves are
in directory_letters.py and enquiry_letters.py; composer.py picks one for an outbox row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from cairn.domain.app import CairnApp
from cairn.domain.directory.claim import ListingClaim
from cairn.domain.directory.confirmations import ConfirmationRequest
from cairn.domain.directory.invitation import Invitation
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.reminders import RenewalReminder
from cairn.domain.enquiries.enquiry import Enquiry
from cairn.domain.errors import NotFound
from cairn.domain.personal import is_erased
from cairn.readmodels.mail.kinds import Kind
from cairn.readmodels.mail.queue import OutboxItem

Gettext = Callable[[str], str]
# (purpose, record id) -> the absolute URL of a link that proves who followed it.
TokenLink = Callable[[str, UUID], str]


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str
    language: str


@dataclass(frozen=True)
class Letter:
    subject: str
    greeting: str
    paragraphs: list[str]
    action: tuple[str, str] | None = None  # (label, absolute URL)
    after: list[str] = field(default_factory=list)  # below the link


@dataclass(frozen=True)
class Links:
    base_url: str
    token_link: TokenLink

    def to(self, path: str) -> str:
        return self.base_url.rstrip("/") + path


class LetterBase:
    """The application and the links every letter needs, and the helpers they share."""

    def __init__(self, app: CairnApp, links: Links, service_name: str = "Cairn") -> None:
        self.app = app
        self.links = links
        self.service = service_name

    def _provider_id(self, item: OutboxItem) -> UUID:
        if item.kind is Kind.INVITATION:
            return self.app.load(Invitation, item.event_id).provider_id
        if item.kind in (Kind.CLAIM_RECEIVED, Kind.CLAIM_DECLINED):
            return self.app.load(ListingClaim, item.event_id).provider_id
        if item.kind is Kind.RENEWAL_REMINDER:
            return self.app.load(RenewalReminder, item.event_id).provider_id
        if item.kind is Kind.CONFIRMATION_REQUEST:
            return self.app.load(ConfirmationRequest, item.event_id).provider_id
        if item.kind is Kind.ENQUIRY_RECEIVED:
            return self.app.load(Enquiry, item.event_id).provider_id
        return item.event_id

    def _event(self, item: OutboxItem) -> Any:
        events = list(
            self.app.repository.event_store.get(
                item.event_id, gt=item.event_version - 1, lte=item.event_version
            )
        )
        if not events:
            raise NotFound("the event this email is about is not in the log")
        return events[0]

    def _hello(self, to: Recipient, _: Gettext) -> str:
        return _("Hello {name},").format(name=to.name) if to.name else _("Hello,")

    def _sign_in(self, _: Gettext, path: str = "/provider") -> tuple[str, str]:
        return (_("Sign in to Cairn"), self.links.to(path))

    def _business(self, item: OutboxItem) -> str:
        return self.app.load(Provider, self._provider_id(item)).name


def person(address: str, name: str, language: str) -> Recipient | None:
    """Who a letter goes to, or None when their address reads back erased (or is empty)."""
    if is_erased(address) or not address:
        return None
    return Recipient(address=address, name="" if is_erased(name) else name, language=language)
