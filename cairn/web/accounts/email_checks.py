"""Confirming an account's email address: the emailed link's page (one button: opening the
link changes nothing, since mail scanners open links) and "send the link again"."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from cairn.web.auth import signed_in_required
from cairn.web.commanding import runtime, settle
from cairn.web.emailed_links import link_still_good, linked_id
from cairn.web.i18n import current_language
from cairn.web.ratelimit import SUBMISSIONS_PER_ADDRESS, limit_submissions

bp = Blueprint("email_checks", __name__, template_folder="templates")

PURPOSE = "confirm-email"


class ConfirmEmailForm(FlaskForm):  # type: ignore[misc]
    pass


@bp.route("/account/confirm-email/<token>", methods=["GET", "POST"])
@limit_submissions(SUBMISSIONS_PER_ADDRESS)
def confirm(token: str) -> str | tuple[str, int]:
    check_id = linked_id(PURPOSE, token, _("This link is not right. Sign in to ask for another."))
    checks = runtime().app.email_checks
    with link_still_good():
        _check, account = checks.email_check(check_id)
    form = ConfirmEmailForm()
    confirmed = account.email_confirmed_on is not None
    if form.validate_on_submit() and not confirmed:
        done = checks.confirm_email(check_id)
        if done is not None:
            settle(done)
        confirmed = True
    return render_template(
        "accounts/confirm_email.html",
        form=form,
        token=token,
        email=account.email,
        confirmed=confirmed,
    )


@bp.post("/account/confirm-email")
@signed_in_required
@limit_submissions(SUBMISSIONS_PER_ADDRESS)
def send_again() -> Response:
    if ConfirmEmailForm().validate_on_submit():
        done = runtime().app.email_checks.send_email_check(
            current_user.account_id, current_language()
        )
        if done is None:
            flash(_("Your email address is already confirmed."), "success")
        else:
            settle(done)
            flash(_("We have sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.account"))
