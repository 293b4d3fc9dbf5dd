"""The letters about moving an account to another email address: the link to the new
address, and notices to the old one (when it is asked for, and when it is done)."""

from __future__ import annotations

from cairn.domain.accounts.email_change import CHANGE_LASTS, EmailChange
from cairn.jobs.mail.letters import Gettext, Letter, LetterBase, Recipient
from cairn.readmodels.mail.queue import OutboxItem


def masked(address: str) -> str:
    """Enough of an address for its owner to know it, not enough to write to: n•••@example.org."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"


class AccountLetters(LetterBase):
    def _email_change_link(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        hours = int(CHANGE_LASTS.total_seconds() // 3600)
        return Letter(
            _("Confirm your new email address for Cairn"),
            self._hello(to, _),
            [
                _("You asked to sign in to Cairn with this email address from now on."),
                _("Confirm it is yours with this link. It works once, for {hours} hours.").format(
                    hours=hours
                ),
            ],
            (_("Use this email address"), self.links.token_link("change-email", item.event_id)),
            [
                _(
                    "If you did not ask for this, ignore this email: nothing changes and "
                    "nobody can use the link without it."
                )
            ],
        )

    def _email_change_notice(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        change = self.app.load(EmailChange, item.event_id)
        return Letter(
            _("Someone asked to change the email address of your Cairn account"),
            self._hello(to, _),
            [
                _(
                    "Someone signed in to your Cairn account asked to use {address} instead "
                    "of this address. Nothing changes unless the link we sent there is used."
                ).format(address=masked(change.new_email)),
                _(
                    "If it was not you, change your password now and choose 'Sign out "
                    "everywhere': that ends the request and every other session."
                ),
            ],
            (_("Go to your account"), self.links.to("/account")),
        )

    def _email_changed(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        changed = self._event(item)
        return Letter(
            _("The email address of your Cairn account has changed"),
            self._hello(to, _),
            [
                _(
                    "Your Cairn account now uses {address}. We will not write to this "
                    "address again."
                ).format(address=masked(changed.email)),
                _(
                    "If you did not make this change, tell the CIC straight away: they can "
                    "disable the account and put it right."
                ),
            ],
            (_("Tell the CIC"), self.links.to("/feedback")),
        )
