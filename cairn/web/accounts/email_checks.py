"""Confirming an account's email address: the emailed link's page (one button: opening the
link changes nothing, since mail scanners open links) and "send the link again"."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from cairn.domain.errors import DomainError
from cairn.infrastructure.link_tokens import read_link_token
from cairn.web.auth import signed_in_required
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import current_language, translate
from cairn.web.ratelimit import SUBMISSIONS_PER_ADDRESS, limit_submissions

bp = Blueprint("email_checks", __name__, template_folder="templates")

PURPOSE = "confirm-email"


class ConfirmEmailForm(FlaskForm):  # type: ignore[misc]
    pass


def _problem(message: str) -> tuple[str, int]:
    return render_template("accounts/link_problem.html", message=message, ask_again=False), 410


@bp.route("/account/confirm-email/<token>", methods=["GET", "POST"])
@limit_submissions(SUBMISSIONS_PER_ADDRESS)
def confirm(token: str) -> str | tuple[str, int]:
    check_id: UUID | None = read_link_token(runtime().settings.secret_key, PURPOSE, token)
    if check_id is None:
        return _problem(_("This link is not right. Sign in to ask for another."))
    checks = runtime().app.email_checks
    try:
        _check, account = checks.email_check(check_id)
    except DomainError as error:
        return _problem(translate(error.message))
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
