"""Enquiries: the form on a provider's profile, and the provider's inbox."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today
from cairn.domain.enquiries.enquiry import enquiry_reference
from cairn.domain.errors import DomainError
from cairn.readmodels.enquiries.queries import (
    enquiry_for,
    inbox,
    providers_of_account,
    unread_count,
)
from cairn.web import ratelimit
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.forms import EnquiryForm
from cairn.web.i18n import current_language, translate
from cairn.web.ratelimit import limit_submissions

bp = Blueprint("enquiries", __name__, template_folder="templates")


class AnsweredForm(FlaskForm):  # type: ignore[misc]
    pass


class ReplyForm(FlaskForm):  # type: ignore[misc]
    text = TextAreaField(
        _l("Your reply"),
        validators=[
            DataRequired(_l("Write your reply")),
            Length(max=2000, message=_l("Your reply must be 2,000 characters or fewer")),
        ],
    )


class DeclineForm(FlaskForm):  # type: ignore[misc]
    text = TextAreaField(
        _l("What to tell them"),
        validators=[
            DataRequired(_l("Say why you cannot help, or who could")),
            Length(max=2000, message=_l("Must be 2,000 characters or fewer")),
        ],
    )


def _unread() -> int:
    if not current_user.is_authenticated or "provider" not in getattr(current_user, "roles", ()):
        return 0
    return unread_count(runtime().read_engine, current_user.account_id)


bp.add_app_template_global(_unread, "unread_enquiries")


# Enquiries actually sent from one address, on top of the limit on posting the form at all.
SENT_PER_ADDRESS = "5 per 10 minutes"
REFERENCE = re.compile(r"[0-9A-F]{4}-[0-9A-F]{4}")


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
            done = settle(
                rt.app.enquiries.send(
                    provider_id,
                    name=form.name.data,
                    contact=form.contact.data or "",
                    message=form.message.data,
                    consent=bool(form.consent.data),
                    reply_email=form.reply_email.data or "",
                    language=current_language(),
                    message_language=form.message_language.data,
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            return redirect(
                url_for(
                    "enquiries.sent",
                    provider_id=provider_id,
                    ref=enquiry_reference(done.id),
                    copy="1" if form.reply_email.data else None,
                )
            )
    return _profile(listing, form, 400)


def _profile(listing: Any, form: EnquiryForm, status: int) -> tuple[str, int]:
    return render_template("profile/profile.html", listing=listing, form=form), status


@bp.get("/providers/<uuid:provider_id>/enquiries/sent")
def sent(provider_id: UUID) -> str:
    rt = runtime()
    listing = rt.directory.listing(provider_id, today(rt.app.clock))
    if listing is None:
        abort(404)
    reference = request.args.get("ref", "")
    if not REFERENCE.fullmatch(reference):
        reference = ""  # a reference is only ever ours: anything else is not shown
    return render_template(
        "profile/enquiry_sent.html",
        listing=listing,
        reference=reference,
        copy=request.args.get("copy") == "1",
    )


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


def _mine(enquiry_id: UUID) -> Any:
    engine = runtime().read_engine
    providers = providers_of_account(engine, current_user.account_id)
    item = enquiry_for(engine, enquiry_id, [p.provider_id for p in providers])
    if item is None:
        abort(404)
    return item


def _enquiry_page(
    item: Any,
    reply_form: ReplyForm | None = None,
    decline_form: DeclineForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "enquiries/enquiry.html",
        item=item,
        reference=enquiry_reference(item.id),
        reply_form=reply_form or ReplyForm(formdata=None, prefix="reply"),
        decline_form=decline_form or DeclineForm(formdata=None, prefix="decline"),
        form=AnsweredForm(),
    ), status


@bp.get("/provider/inbox/<uuid:enquiry_id>")
@role_required(Role.PROVIDER)
def enquiry(enquiry_id: UUID) -> tuple[str, int]:
    item = _mine(enquiry_id)
    if item.read_at is None:
        # Opening it is reading it: the count of new enquiries goes down (recorded once).
        done = runtime().app.enquiries.mark_read(enquiry_id, by_account=current_user.account_id)
        if done is not None:
            settle(done)
            item = _mine(enquiry_id)
    return _enquiry_page(item)


@bp.post("/provider/inbox/<uuid:enquiry_id>/reply")
@role_required(Role.PROVIDER)
def reply(enquiry_id: UUID) -> Response | tuple[str, int]:
    item = _mine(enquiry_id)
    form = ReplyForm(prefix="reply")
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.enquiries.reply(
                    enquiry_id, by_account=current_user.account_id, text=form.text.data or ""
                )
            )
        except DomainError as error:
            form.text.errors = [translate(error.message)]
        else:
            flash(_("Your reply is on its way to %(name)s by email.", name=item.name), "success")
            return redirect(url_for("enquiries.enquiry", enquiry_id=enquiry_id))
    return _enquiry_page(item, reply_form=form, status=400)


@bp.post("/provider/inbox/<uuid:enquiry_id>/decline")
@role_required(Role.PROVIDER)
def decline(enquiry_id: UUID) -> Response | tuple[str, int]:
    item = _mine(enquiry_id)
    form = DeclineForm(prefix="decline")
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.enquiries.decline(
                    enquiry_id, by_account=current_user.account_id, text=form.text.data or ""
                )
            )
        except DomainError as error:
            form.text.errors = [translate(error.message)]
        else:
            told = _("They will be told by email.") if item.can_reply else ""
            flash(" ".join((_("You have said you cannot help."), told)).strip(), "success")
            return redirect(url_for("enquiries.provider_inbox"))
    return _enquiry_page(item, decline_form=form, status=400)


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
