"""A forgotten password: ask by email, follow the emailed link, choose a new one.

The answer to the request is the same whether or not the email has an account, so the
form tells nobody who is registered. The link is good once, for an hour; a used, expired or
altered link gets a page that says so and offers to send another."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cairn.domain.accounts.reset import LinkExpired, LinkUsed
from cairn.domain.errors import DomainError
from cairn.web.accounts.forms import ForgottenPasswordForm
from cairn.web.auth import end_every_session
from cairn.web.commanding import runtime, settle
from cairn.web.emailed_links import link_still_good, linked_id, refuse_link
from cairn.web.forms import NewPasswordForm
from cairn.web.i18n import current_language, translate
from cairn.web.ratelimit import SUBMISSIONS_PER_ADDRESS, limit_submissions

bp = Blueprint("resets", __name__, template_folder="templates")

PURPOSE = "password-reset"


@bp.route("/account/forgotten-password", methods=["GET", "POST"])
@limit_submissions(SUBMISSIONS_PER_ADDRESS)
def forgotten() -> str | Response | tuple[str, int]:
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        done = runtime().app.resets.request_reset(form.email.data or "", current_language())
        if done is not None:
            settle(done)
        return redirect(url_for("resets.sent"))
    status = 400 if form.errors else 200
    return render_template("accounts/forgotten.html", form=form), status


@bp.get("/account/forgotten-password/sent")
def sent() -> str:
    return render_template("accounts/reset_sent.html")


@bp.route("/account/new-password/<token>", methods=["GET", "POST"])
@limit_submissions(SUBMISSIONS_PER_ADDRESS)
def new_password(token: str) -> str | Response | tuple[str, int]:
    reset_id = linked_id(
        PURPOSE, token, _("This link is not right. Ask for a new one below."), ask_again=True
    )
    resets = runtime().app.resets
    with link_still_good(ask_again=True):
        reset = resets.check_link(reset_id)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            done = resets.set_password(reset_id, form.new_password.data or "")
        except (LinkUsed, LinkExpired) as error:
            refuse_link(translate(error.message), ask_again=True)
        except DomainError as error:
            form.new_password.errors = [translate(error.message)]
        else:
            settle(done)
            end_every_session(reset.account_id)  # whoever knew the old password is out
            flash(_("Your password is changed. Sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    status = 400 if form.errors else 200
    return render_template("accounts/new_password.html", form=form, token=token), status
