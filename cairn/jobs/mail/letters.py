"""What each kind of email says, and to whom: read from the log when it is sent.

A letter is a subject, a greeting, paragraphs and at most one link to act on; the text and
HTML bodies are both made from it (cairn/jobs/mail/render.py). Nothing private travels:
never an enquiry's words or a reflection, only what the recipient needs and a link to sign
in and read it. A letter to someone erased (their address reads back erased) is None."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from babel.dates import format_date

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.reset import RESET_LASTS, PasswordReset
from cairn.domain.app import CairnApp
from cairn.domain.directory.invitation import INVITATION_LASTS, Invitation
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.reminders import Check, RenewalReminder, Stage
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


class Composer:
    """Turns an outbox row into (recipient, letter), reading what it needs from the log."""

    def __init__(self, app: CairnApp, links: Links, service_name: str = "Cairn") -> None:
        self.app = app
        self.links = links
        self.service = service_name

    def recipient(self, item: OutboxItem) -> Recipient | None:
        kind = item.kind
        if kind is Kind.PASSWORD_RESET:
            reset = self.app.load(PasswordReset, item.event_id)
            account = self.app.load(Account, reset.account_id)
            return _person(account.email, account.display_name, reset.language)
        provider = self.app.load(Provider, self._provider_id(item))
        language = "en"
        if kind is Kind.INVITATION:
            language = self.app.load(Invitation, item.event_id).language
        elif provider.account_id is not None:
            with suppress(NotFound):  # an account made for it and since removed
                language = self.app.load(Account, provider.account_id).language
        return _person(provider.email, provider.contact_name, language)

    def letter(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        write = getattr(self, "_" + item.kind.value.replace("-", "_"))
        letter: Letter = write(item, to, _)
        return letter

    # -- helpers ------------------------------------------------------------------------------

    def _provider_id(self, item: OutboxItem) -> UUID:
        if item.kind is Kind.INVITATION:
            return self.app.load(Invitation, item.event_id).provider_id
        if item.kind is Kind.RENEWAL_REMINDER:
            return self.app.load(RenewalReminder, item.event_id).provider_id
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

    # -- the letters --------------------------------------------------------------------------

    def _application_received(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("We have your application to join the directory"),
            self._hello(to, _),
            [
                _(
                    "Thank you for applying to list {business} on Cairn. The CIC will look at "
                    "your application and check your PVG membership, insurance and training."
                ).format(business=self._business(item)),
                _(
                    "We will email you when we need more information or have decided. You can "
                    "see where your application is at any time."
                ),
            ],
            self._sign_in(_),
        )

    def _information_requested(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        question = self._event(item).question
        return Letter(
            _("We need more information about your application"),
            self._hello(to, _),
            [
                _("The CIC needs more information before it can decide about {business}.").format(
                    business=self._business(item)
                ),
                _("The question is:"),
                question,
                _("Sign in to answer it. Your application waits until you do."),
            ],
            self._sign_in(_),
        )

    def _approved(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("Your listing is approved and on the directory"),
            self._hello(to, _),
            [
                _("Good news: {business} is approved and people can now find you on Cairn.").format(
                    business=self._business(item)
                ),
                _(
                    "Keep your listing true: sign in to change your details, read enquiries, "
                    "and confirm your listing when we ask every six months."
                ),
            ],
            self._sign_in(_),
        )

    def _declined(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        reason = self._event(item).reason
        return Letter(
            _("Your application was not approved"),
            self._hello(to, _),
            [
                _("The CIC has decided not to approve {business} for the directory.").format(
                    business=self._business(item)
                ),
                _("The reason given is:"),
                reason,
                _("If you have questions, or things change, get in touch with the CIC."),
            ],
            self._sign_in(_),
        )

    def _suspended(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        reason = self._event(item).reason
        return Letter(
            _("Your listing is suspended"),
            self._hello(to, _),
            [
                _("The CIC has suspended {business}: it no longer shows in the directory.").format(
                    business=self._business(item)
                ),
                _("The reason given is:"),
                reason,
                _("When it is put right, the CIC can reinstate your listing."),
            ],
            self._sign_in(_),
        )

    def _reinstated(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("Your listing is back on the directory"),
            self._hello(to, _),
            [
                _("The CIC has reinstated {business}: people can find you again.").format(
                    business=self._business(item)
                )
            ],
            self._sign_in(_),
        )

    def _renewal_reminder(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        reminder = self.app.load(RenewalReminder, item.event_id)
        when = format_date(reminder.expires_on, format="long", locale=to.language)
        what = (
            _("Your public liability insurance")
            if reminder.check == Check.INSURANCE.value
            else _("Your PVG scheme membership")
        )
        if reminder.stage == Stage.EXPIRED.value:
            subject = (
                _("Your insurance has run out")
                if reminder.check == Check.INSURANCE.value
                else _("Your PVG membership has run out")
            )
            first = _("{what} ran out on {date}.").format(what=what, date=when)
            then = _(
                "Your listing is hidden until the CIC records a new one. Send it to the CIC "
                "as soon as you can."
            )
        else:
            days = _days_until(reminder.expires_on, self.app)
            subject = (
                _("Your insurance runs out on {date}")
                if reminder.check == Check.INSURANCE.value
                else _("Your PVG membership runs out on {date}")
            ).format(date=when)
            first = _("{what} runs out on {date}, in {days} days.").format(
                what=what, date=when, days=days
            )
            then = _(
                "Send the renewal to the CIC before then, so your listing stays on the directory."
            )
        return Letter(subject, self._hello(to, _), [first, then], self._sign_in(_))

    def _invitation(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        days = INVITATION_LASTS.days
        return Letter(
            _("Look after your listing on Cairn"),
            self._hello(to, _),
            [
                _(
                    "{business} is listed in the Cairn directory of local care and support. "
                    "The CIC invites you to make an account, so you can keep the listing "
                    "true, confirm it, and read the enquiries people send you."
                ).format(business=self._business(item)),
                _("Choose a password at this link. It works once, for {days} days.").format(
                    days=days
                ),
            ],
            (_("Make your account"), self.links.token_link("invitation", item.event_id)),
            [_("If you do not want an account, ignore this email.")],
        )

    def _password_reset(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        minutes = int(RESET_LASTS.total_seconds() // 60)
        return Letter(
            _("Choose a new password for Cairn"),
            self._hello(to, _),
            [
                _("Someone asked to choose a new password for your Cairn account."),
                _("Use this link to choose one. It works once, for {minutes} minutes.").format(
                    minutes=minutes
                ),
            ],
            (_("Choose a new password"), self.links.token_link("password-reset", item.event_id)),
            [
                _(
                    "If it was not you, ignore this email: your password stays as it is. "
                    "Nobody can use the link without this email."
                )
            ],
        )

    def _enquiry_received(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("You have a new enquiry on Cairn"),
            self._hello(to, _),
            [
                _("Someone has sent {business} an enquiry through Cairn.").format(
                    business=self._business(item)
                ),
                _("For their privacy, the message is not in this email. Sign in to read it."),
            ],
            self._sign_in(_, "/provider/inbox"),
        )


def _person(address: str, name: str, language: str) -> Recipient | None:
    if is_erased(address) or not address:
        return None
    return Recipient(address=address, name="" if is_erased(name) else name, language=language)


def _days_until(day: date, app: CairnApp) -> int:
    return max((day - app.clock().date()).days, 0)
