"""Moving an account to another email address: asked for on the account page (with the
password), confirmed by the link emailed to the new address (one button: opening the link
changes nothing, since mail scanners open links)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from cairn.domain.errors import DomainError
from cairn.web.accounts.forms import ChangeEmailForm
from cairn.web.accounts.routes import account_page
from cairn.web.auth import signed_in_required
from cairn.web.commanding import runtime, settle
from cairn.web.emailed_links import link_still_good, linked_id
from cairn.web.i18n import current_language, translate
from cairn.web.ratelimit import SIGN_IN_PER_ADDRESS, SUBMISSIONS_PER_ADDRESS, limit_submissions

bp = Blueprint("email_changes", __name__, template_folder="templates")

PURPOSE = "change-email"


class UseEmailForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the button is the whole form."""


@bp.post("/account/email")
@signed_in_required
@limit_submissions(SIGN_IN_PER_ADDRESS)  # it checks the password: guessing is guessing
def ask() -> Response | tuple[str, int]:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            done = runtime().app.email_changes.request_change(
                current_user.account_id,
                form.password.data,
                form.new_email.data,
                current_language(),
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            settle(done)
            flash(
                _(
                    "We have sent a link to %(email)s. Open it to sign in with that address "
                    "from now on; until then, your address stays %(current)s.",
                    email=form.new_email.data.strip(),
                    current=current_user.email,
                ),
                "success",
            )
            return redirect(url_for("accounts.account"))
    return account_page(email_form=form, status=400)


@bp.route("/account/change-email/<token>", methods=["GET", "POST"])
@limit_submissions(SUBMISSIONS_PER_ADDRESS)
def use(token: str) -> str | tuple[str, int]:
    change_id = linked_id(PURPOSE, token, _("This link is not right. Sign in and ask again."))
    changes = runtime().app.email_changes
    with link_still_good():
        change = changes.check_link(change_id)
    form = UseEmailForm()
    if form.validate_on_submit():
        with link_still_good():
            settle(changes.make_change(change_id))
        return render_template("accounts/email_changed.html", email=change.new_email)
    return render_template(
        "accounts/change_email.html", form=form, token=token, email=change.new_email
    )
