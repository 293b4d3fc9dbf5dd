"""The first step of applying, with one answer whether or not the email is already known.

Saying "an account with this email already exists" would let anyone test emails one by one.
So a known email (an account, or a provider in the directory) is refused silently: nothing is
saved, the password is still hashed so the answer takes as long, and the page that follows
is the same one a new applicant sees ("sign in with your email and new password to carry
on"). Mistakes in the answers themselves (a weak password, say) are reported as usual: the
domain checks them before it looks at the email.

The owner of a known email should hear that someone tried to apply with it. Cairn cannot
send mail to account holders yet, so `tell_owner_of_known_email` only logs that it would;
it is the one place to send that mail from once accounts can receive it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from cairn.domain.accounts.passwords import hash_password
from cairn.domain.errors import DuplicateEmail
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import current_language

log = logging.getLogger(__name__)


def start_application_neutrally(
    *, email: str, contact_name: str, password: str, answers: Mapping[str, Any]
) -> None:
    """Start an application; for a known email, do nothing the caller could tell apart.

    Raises DomainError for mistakes in the answers, as `start_application` does."""
    try:
        settle(
            runtime().app.directory.start_application(
                email=email,
                contact_name=contact_name,
                password=password,
                answers=answers,
                language=current_language(),  # the language Cairn will write to them in
            )
        )
    except DuplicateEmail:
        hash_password(password)  # the time a new account would have taken
        tell_owner_of_known_email(email)


def tell_owner_of_known_email(email: str) -> None:
    """The seam for "someone tried to apply with your email": no mail is sent yet."""
    del email  # not logged: the log must not become a list of emails tried
    log.info("an application used an email that is already known; the owner was not told")
