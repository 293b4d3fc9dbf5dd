"""Taking up the CIC's invitation: choose a password, and the listing is yours to look after.

The emailed link names the invitation (with a MAC: cairn/infrastructure/link_tokens.py); it
works once, for 14 days. A used or expired link says so and how to get another."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cairn.domain.errors import DomainError
from cairn.web.auth import start_session, user_for
from cairn.web.commanding import runtime, settle
from cairn.web.emailed_links import link_still_good, linked_id
from cairn.web.forms import NewPasswordForm
from cairn.web.i18n import current_language, translate
from cairn.web.ratelimit import SUBMISSIONS_PER_ADDRESS, limit_submissions

bp = Blueprint("invitations", __name__, template_folder="templates")

PURPOSE = "invitation"


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limit_submissions(SUBMISSIONS_PER_ADDRESS)
def accept(token: str) -> str | Response | tuple[str, int]:
    invitation_id = linked_id(
        PURPOSE, token, _("This invitation link is not right. Ask the CIC for another.")
    )
    directory = runtime().app.directory
    with link_still_good():
        invitation, provider = directory.invitation(invitation_id)
    invitee_email, _name = directory.invitee(invitation, provider)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            done = directory.accept_invitation(
                invitation_id, password=form.new_password.data or "", language=current_language()
            )
        except DomainError as error:
            form.new_password.errors = [translate(error.message)]
        else:
            settle(done)
            user = user_for(done.id)
            if user is not None:
                start_session(user)
            flash(_("Your account is made. This is your listing: check it is right."), "success")
            return redirect(url_for("provider.dashboard"))
    status = 400 if form.errors else 200
    return render_template(
        "provider/invitation.html",
        form=form,
        token=token,
        provider=provider,
        invitee_email=invitee_email,
    ), status
