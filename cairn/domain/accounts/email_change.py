"""A request to sign in with another email address, proved by a link sent to that address.

The person asks from their account page with their password; the link goes to the new
address and a notice to the current one (so a stolen session cannot move an account away
quietly). The link works once, for a day, and not at all once the account's address or
password has changed since the request."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.accounts.reset import LinkExpired, LinkUsed
from cairn.domain.personal import personal
from cairn.domain.text import _

CHANGE_LASTS = timedelta(days=1)


class EmailChange(Aggregate):
    class Requested(Aggregate.Created):
        account_id: UUID
        email: str  # the address now: the notice goes to it, and its key is the person's
        new_email: str
        account_version: int  # the account as it was: a later change of it ends the link
        language: str

    class Made(Aggregate.Event):
        pass

    @event(Requested)
    def __init__(
        self, account_id: UUID, email: str, new_email: str, account_version: int, language: str
    ) -> None:
        self.account_id = account_id
        self.email = email
        self.new_email = new_email
        self.account_version = account_version
        self.language = language
        self.made = False

    def check_usable(self, now: datetime, account_changed_since: bool) -> None:
        if self.made:
            raise LinkUsed(_("This link has already been used: your email address is changed."))
        if account_changed_since:
            raise LinkUsed(
                _(
                    "This link no longer works: your account has changed since you asked. "
                    "Sign in and ask again from your account page."
                )
            )
        if now - self.created_on > CHANGE_LASTS:
            raise LinkExpired(
                _(
                    "This link has expired: links work for a day. Sign in and ask again "
                    "from your account page."
                )
            )

    def make(self, now: datetime, account_changed_since: bool) -> None:
        self.check_usable(now, account_changed_since)
        self._made()

    @event(Made)
    def _made(self) -> None:
        self.made = True


# Both addresses under the current address's subject: the person's one key.
personal(EmailChange.Requested, fields=("email", "new_email"), subject="email")
