"""A request to set a new password without the old one, proved by a link sent by email.

The link carries this request's id and a MAC of it under the service's secret (made and
checked outside the domain), so nothing in the log lets anyone forge one. A request works
once, for an hour, and not at all once the password has changed since it was made."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError
from cairn.domain.text import _

RESET_LASTS = timedelta(hours=1)


class LinkExpired(DomainError):
    """The link's time ran out; ask for another."""


class LinkUsed(DomainError):
    """The link worked once already."""


class PasswordReset(Aggregate):
    class Requested(Aggregate.Created):
        account_id: UUID
        account_version: int  # the account as it was: a later password change ends the link
        language: str  # the language the person asked in: the email is in it

    class Used(Aggregate.Event):
        pass

    @event(Requested)
    def __init__(self, account_id: UUID, account_version: int, language: str) -> None:
        self.account_id = account_id
        self.account_version = account_version
        self.language = language
        self.used = False

    def check_usable(self, now: datetime, account_changed_since: bool) -> None:
        """Raise unless the link may set a password now."""
        if self.used or account_changed_since:
            raise LinkUsed(_("This link has already been used. Ask for a new one below."))
        if now - self.created_on > RESET_LASTS:
            raise LinkExpired(
                _("This link has expired: links work for an hour. Ask for a new one below.")
            )

    def use(self, now: datetime, account_changed_since: bool) -> None:
        self.check_usable(now, account_changed_since)
        self._used()

    @event(Used)
    def _used(self) -> None:
        self.used = True
