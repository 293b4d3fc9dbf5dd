"""The pages an emailed link opens share their refusals: a link that is altered, used or out of
date gets one page (410 Gone) that says which and how to get another.

`linked_id` reads the record a link names (cairn/infrastructure/link_tokens.py); inside
`link_still_good`, a domain refusal (used, expired) becomes that page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn
from uuid import UUID

from flask import abort, make_response, render_template

from cairn.domain.errors import DomainError
from cairn.infrastructure.link_tokens import read_link_token
from cairn.web.commanding import runtime
from cairn.web.i18n import translate


def refuse_link(message: str, *, ask_again: bool = False) -> NoReturn:
    """Stop here with the link's problem. `ask_again`: offer a new password link."""
    page = render_template("link_problem.html", message=message, ask_again=ask_again)
    abort(make_response(page, 410))


def linked_id(purpose: str, token: str, bad_link: str, *, ask_again: bool = False) -> UUID:
    """The record the link names, or the problem page with `bad_link` if it was altered."""
    record_id = read_link_token(runtime().settings.secret_key, purpose, token)
    if record_id is None:
        refuse_link(bad_link, ask_again=ask_again)
    return record_id


@contextmanager
def link_still_good(*, ask_again: bool = False) -> Iterator[None]:
    """A domain refusal of the link (used, expired, no longer needed) becomes the problem page."""
    try:
        yield
    except DomainError as error:
        refuse_link(translate(error.message), ask_again=ask_again)
