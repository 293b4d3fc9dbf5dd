"""A shortlist of providers, kept without signing in: in the visitor's session, shared as a
link that names the providers (their ids, nothing about the visitor), printed from the page,
or emailed to an address the visitor types (used once, never kept)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired

from cairn.domain.clock import today
from cairn.domain.directory.listing import PublicListing
from cairn.domain.validation import Invalid, normalise_email
from cairn.web.commanding import runtime
from cairn.web.i18n import translate
from cairn.web.ratelimit import SHORTLIST_PER_ADDRESS, limit_posts, limit_submissions
from cairn.web.redirects import safe_local_path
from cairn.web.urls import external_url

bp = Blueprint("shortlist", __name__, template_folder="templates")

SESSION_KEY = "shortlist"
MAX_SAVED = 30


def saved_ids() -> list[UUID]:
    ids = []
    for raw in session.get(SESSION_KEY, []):
        try:
            ids.append(UUID(raw))
        except (TypeError, ValueError):
            continue
    return ids


def is_saved(provider_id: UUID) -> bool:
    return str(provider_id) in session.get(SESSION_KEY, [])


bp.add_app_template_global(is_saved, "is_shortlisted")
bp.add_app_template_global(lambda: len(session.get(SESSION_KEY, [])), "shortlist_size")


def _save(ids: list[UUID]) -> None:
    session[SESSION_KEY] = [str(i) for i in dict.fromkeys(ids)][-MAX_SAVED:]


class ShortlistForm(FlaskForm):  # type: ignore[misc]
    """Add or remove one provider; `next` is where to go back to (a search, a profile)."""

    next = HiddenField()


class EmailShortlistForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("Your email address"), validators=[DataRequired(_l("Enter your email address"))]
    )


def _back(default: str) -> Response:
    return redirect(safe_local_path(request.form.get("next")) or default)


@bp.post("/shortlist/<uuid:provider_id>/add")
@limit_posts(SHORTLIST_PER_ADDRESS)
def add(provider_id: UUID) -> Response:
    if not ShortlistForm().validate_on_submit():
        abort(400)
    rt = runtime()
    if rt.directory.listing(provider_id, today(rt.app.clock)) is None:
        abort(404)
    if len(saved_ids()) >= MAX_SAVED and not is_saved(provider_id):
        flash(gettext("Your shortlist is full. Remove a provider to save another."), "error")
    else:
        _save([*saved_ids(), provider_id])
        flash(gettext("Saved to your shortlist."), "success")
    return _back(url_for("shortlist.show"))


@bp.post("/shortlist/<uuid:provider_id>/remove")
@limit_posts(SHORTLIST_PER_ADDRESS)
def remove(provider_id: UUID) -> Response:
    if not ShortlistForm().validate_on_submit():
        abort(400)
    _save([i for i in saved_ids() if i != provider_id])
    flash(gettext("Removed from your shortlist."), "success")
    return _back(url_for("shortlist.show"))


def _listings(ids: list[UUID]) -> tuple[list[PublicListing], int]:
    """The providers still listed, in the order saved, and how many are no longer listed."""
    rt = runtime()
    on = today(rt.app.clock)
    found = [rt.directory.listing(i, on) for i in ids]
    listed = [listing for listing in found if listing is not None]
    return listed, len(found) - len(listed)


def share_url(ids: list[UUID]) -> str:
    return external_url("shortlist.shared", ids=",".join(str(i) for i in ids))


def _page(*, email_form: EmailShortlistForm | None = None, status: int = 200) -> tuple[str, int]:
    listings, gone = _listings(saved_ids())
    can_email = runtime().mail is not None
    page = render_template(
        "shortlist/shortlist.html",
        listings=listings,
        gone=gone,
        share_url=share_url([x.provider_id for x in listings]) if listings else None,
        form=ShortlistForm(),
        email_form=(email_form or EmailShortlistForm()) if can_email else None,
        shared=False,
    )
    return page, status


@bp.get("/shortlist")
def show() -> tuple[str, int]:
    return _page()


@bp.get("/shortlist/shared")
def shared() -> str:
    """Someone's shortlist, opened from the link they copied: the same providers, read-only,
    with a button to keep them in this visitor's own shortlist."""
    ids = []
    for raw in (request.args.get("ids") or "").split(",")[:MAX_SAVED]:
        try:
            ids.append(UUID(raw.strip()))
        except ValueError:
            continue
    listings, gone = _listings(list(dict.fromkeys(ids)))
    return render_template(
        "shortlist/shortlist.html",
        listings=listings,
        gone=gone,
        share_url=None,
        form=ShortlistForm(),
        email_form=None,
        shared=True,
    )


@bp.post("/shortlist/keep")
@limit_posts(SHORTLIST_PER_ADDRESS)
def keep() -> Response:
    """Add every provider of a shared shortlist to this visitor's own."""
    if not ShortlistForm().validate_on_submit():
        abort(400)
    ids = []
    for raw in request.form.getlist("provider")[:MAX_SAVED]:
        try:
            ids.append(UUID(raw))
        except ValueError:
            continue
    _save([*saved_ids(), *ids])
    flash(gettext("These providers are now in your shortlist."), "success")
    return redirect(url_for("shortlist.show"))


@bp.post("/shortlist/email")
@limit_submissions()
def email() -> Response | tuple[str, int]:
    """The address is used for this one email and never kept."""
    mail = runtime().mail
    if mail is None:
        abort(404)
    form = EmailShortlistForm()
    if not form.validate_on_submit():
        return _page(email_form=form, status=400)
    try:
        address = normalise_email(form.email.data)
    except Invalid as refused:
        form.email.errors = [translate(refused.message)]
        return _page(email_form=form, status=400)
    listings, _ = _listings(saved_ids())
    if not listings:
        flash(gettext("Your shortlist is empty."), "error")
        return redirect(url_for("shortlist.show"))
    try:
        mail.send(_message(address, listings))
    except (OSError, smtplib.SMTPException):
        form.form_errors.append(
            gettext("We could not send the email just now. Try again later, or copy the link.")
        )
        return _page(email_form=form, status=503)
    flash(gettext("We have sent your shortlist to %(email)s.", email=address), "success")
    return redirect(url_for("shortlist.show"))


def _message(address: str, listings: list[PublicListing]) -> EmailMessage:
    link = share_url([listing.provider_id for listing in listings])
    message = EmailMessage()
    message["To"] = address
    message["Subject"] = gettext("Your Cairn shortlist")
    message.set_content(render_template("shortlist/email.txt", listings=listings, link=link))
    message.add_alternative(
        render_template("shortlist/email.html", listings=listings, link=link), subtype="html"
    )
    return message
