"""The page the six-monthly email opens: the listing as the public sees it, and one button
that says it is still right (a GET only shows; mail scanners that open links change nothing)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from cairn.domain.errors import DomainError
from cairn.web.commanding import runtime, settle
from cairn.web.emailed_links import link_still_good, linked_id
from cairn.web.i18n import translate
from cairn.web.provider.forms import IntakeForm
from cairn.web.ratelimit import SUBMISSIONS_PER_ADDRESS, limit_submissions

bp = Blueprint("listing_check", __name__, template_folder="templates")

PURPOSE = "confirm-listing"


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    pass


BAD_LINK = _l("This link is not right. Sign in to confirm your listing.")


def _linked(token: str) -> tuple[UUID, Any]:
    """The request the link names and its listing; the problem page if the link is bad."""
    request_id = linked_id(PURPOSE, token, str(BAD_LINK))
    with link_still_good():
        _request, provider = runtime().app.directory.confirmation_request(request_id)
    return request_id, provider


@bp.route("/listing-check/<token>", methods=["GET", "POST"])
@limit_submissions(SUBMISSIONS_PER_ADDRESS)
def check(token: str) -> str | Response | tuple[str, int]:
    request_id, provider = _linked(token)
    directory = runtime().app.directory
    form = ConfirmForm()
    confirmed = False
    error = None
    if form.validate_on_submit():
        try:
            settle(directory.confirm_by_link(request_id))
        except DomainError as refused:
            error = translate(refused.message)
        else:
            confirmed = True
    return _page(provider, token, form=form, confirmed=confirmed, error=error)


def _page(provider: Any, token: str, **context: Any) -> tuple[str, int]:
    listing = provider.public_listing()
    context.setdefault("form", ConfirmForm(formdata=None))
    context.setdefault(
        "intake_form",
        IntakeForm(formdata=None, intake=provider.intake, until=provider.intake_until),
    )
    status = 400 if context.get("error") or context["intake_form"].errors else 200
    return render_template(
        "provider/listing_check.html", provider=provider, listing=listing, token=token, **context
    ), status


@bp.post("/listing-check/<token>/intake")
@limit_submissions(SUBMISSIONS_PER_ADDRESS)
def intake(token: str) -> tuple[str, int]:
    """Taking on new people? Said from the emailed link, without signing in."""
    request_id, provider = _linked(token)
    directory = runtime().app.directory
    form = IntakeForm()
    saved = False
    if form.validate_on_submit():
        try:
            settle(
                directory.set_intake_by_link(request_id, form.intake.data, form.until.data or None)
            )
        except DomainError as refused:
            form.until.errors = [translate(refused.message)]
        else:
            saved = True
            _request, provider = directory.confirmation_request(request_id)
    return _page(provider, token, intake_form=form, intake_saved=saved)
