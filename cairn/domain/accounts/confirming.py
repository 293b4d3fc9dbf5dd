"""Commands for confirming an account's email address (see email_check.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.email_check import EmailCheck
from cairn.domain.accounts.reset import LinkUsed
from cairn.domain.clock import today
from cairn.domain.errors import NotFound
from cairn.domain.outcome import Done
from cairn.domain.text import _

if TYPE_CHECKING:
    from cairn.domain.store import Store


class EmailCheckCommands:
    def __init__(self, app: Store) -> None:
        self.app = app

    def send_email_check(self, account_id: UUID, language: str) -> Done | None:
        """Email a link to the account's address; None if it is confirmed already."""
        account = self.app.load(Account, account_id)
        if account.email_confirmed_on is not None:
            return None
        check = EmailCheck(account_id=account_id, language=language)
        return Done(check.id, self.app.record(check))

    def email_check(self, check_id: UUID) -> tuple[EmailCheck, Account]:
        """The link's check and its account, if the link still works; raises if not."""
        try:
            check = self.app.load(EmailCheck, check_id)
        except NotFound:
            raise LinkUsed(_("This link is not right. Sign in to ask for another.")) from None
        check.check_usable(self.app.clock())
        return check, self.app.load(Account, check.account_id)

    def confirm_email(self, check_id: UUID) -> Done | None:
        """Record that the address is the person's; None if it was already."""
        _check, account = self.email_check(check_id)
        if not account.confirm_email(today(self.app.clock)):
            return None
        return Done(account.id, self.app.record(account))
