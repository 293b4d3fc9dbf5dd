"""Enquiries: the form on a provider's profile, and the provider's inbox."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today
from cairn.domain.errors import DomainError
from cairn.readmodels.enquiries.queries import inbox, providers_of_account
from cairn.web import ratelimit
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.forms import EnquiryForm
from cairn.web.i18n import translate
from cairn.web.ratelimit import limit_submissions

bp = Blueprint("enquiries", __name__, template_folder="templates")


class AnsweredForm(FlaskForm):  # type: ignore[misc]
    pass


# Enquiries actually sent from one address, on top of the limit on posting the form at all.
SENT_PER_ADDRESS = "5 per 10 minutes"


@bp.post("/providers/<uuid:provider_id>/enquiries")
@limit_submissions()
def send(provider_id: UUID) -> Any:
    rt = runtime()
    listing = rt.directory.listing(provider_id, today(rt.app.clock))
    if listing is None:
        abort(404)
    form = EnquiryForm()
    if form.validate_on_submit():
        if form.website.data:
            # A robot: look successful, record nothing.
            return redirect(url_for("enquiries.sent", provider_id=provider_id))
        if ratelimit.enabled() and not ratelimit.rate_limits().allow(
            "enquiry-sent", SENT_PER_ADDRESS, ratelimit.address()
        ):
            form.form_errors.append(
                _("You have sent several messages in a short time. Wait 10 minutes and try again.")
            )
            return _profile(listing, form, 429)
        try:
            settle(
                rt.app.enquiries.send(
                    provider_id,
                    name=form.name.data,
                    contact=form.contact.data,
                    message=form.message.data,
                    consent=bool(form.consent.data),
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            return redirect(url_for("enquiries.sent", provider_id=provider_id))
    return _profile(listing, form, 400)


def _profile(listing: Any, form: EnquiryForm, status: int) -> tuple[str, int]:
    return render_template("profile/profile.html", listing=listing, form=form), status


@bp.get("/providers/<uuid:provider_id>/enquiries/sent")
def sent(provider_id: UUID) -> str:
    rt = runtime()
    listing = rt.directory.listing(provider_id, today(rt.app.clock))
    if listing is None:
        abort(404)
    return render_template("profile/enquiry_sent.html", listing=listing)


@bp.get("/provider/inbox")
@role_required(Role.PROVIDER)
def provider_inbox() -> str:
    engine = runtime().read_engine
    providers = providers_of_account(engine, current_user.account_id)
    items = inbox(engine, [p.provider_id for p in providers])
    names = {p.provider_id: p.name for p in providers}
    return render_template(
        "enquiries/inbox.html", providers=providers, items=items, names=names, form=AnsweredForm()
    )


@bp.post("/provider/inbox/<uuid:enquiry_id>/answered")
@role_required(Role.PROVIDER)
def mark_answered(enquiry_id: UUID) -> Response:
    form = AnsweredForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        settle(
            runtime().app.enquiries.mark_answered(enquiry_id, by_account=current_user.account_id)
        )
    except DomainError as error:
        flash(translate(error.message), "error")
    else:
        flash(_("Marked as answered."), "success")
    return redirect(url_for("enquiries.provider_inbox"))
