"""Confirming that an account's email address is the person's: a link sent to it.

A new applicant's account gets one; following it (and pressing the one button: mail scanners
open links) records `Account.EmailConfirmed`. Taking up an invitation or choosing a new
password through an emailed link confirms the address too. Nothing is blocked meanwhile:
the person and the CIC see whether it is confirmed."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.accounts.reset import LinkExpired
from cairn.domain.text import _

CHECK_LASTS = timedelta(days=7)


class EmailCheck(Aggregate):
    class Sent(Aggregate.Created):
        account_id: UUID
        language: str

    @event(Sent)
    def __init__(self, account_id: UUID, language: str) -> None:
        self.account_id = account_id
        self.language = language

    def check_usable(self, now: datetime) -> None:
        if now - self.created_on > CHECK_LASTS:
            raise LinkExpired(
                _("This link has expired: links work for 7 days. Sign in to ask for another.")
            )
