"""The administrator's view of email: what could not be sent (the dead-letter list, with
"try again"), and, where no mail server is configured, the local outbox that holds it.

The outbox rows hold no personal data: the list names the kind of email and when; who it
is for is read from the log only on the local outbox, which is for development."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.readmodels.mail.kinds import Kind
from cairn.readmodels.mail.local_mail import local_message, local_messages
from cairn.readmodels.mail.queue import retry_dead, state_counts, troubled_messages
from cairn.web.auth import role_required
from cairn.web.commanding import runtime

bp = Blueprint("mail", __name__, template_folder="templates", url_prefix="/admin")

KIND_LABELS = {
    Kind.APPLICATION_RECEIVED: _l("Application received"),
    Kind.INFORMATION_REQUESTED: _l("More information needed"),
    Kind.APPROVED: _l("Approved"),
    Kind.DECLINED: _l("Declined"),
    Kind.SUSPENDED: _l("Suspended"),
    Kind.REINSTATED: _l("Reinstated"),
    Kind.INVITATION: _l("Invitation to make an account"),
    Kind.CLAIM_RECEIVED: _l("Request to look after a listing received"),
    Kind.CLAIM_DECLINED: _l("Request to look after a listing declined"),
    Kind.RENEWAL_REMINDER: _l("Insurance or PVG reminder"),
    Kind.CONFIRMATION_REQUEST: _l("Is your listing still right?"),
    Kind.WEEKLY_DIGEST: _l("Weekly digest for the CIC"),
    Kind.PASSWORD_RESET: _l("New password link"),
    Kind.EMAIL_CHECK: _l("Confirm an email address"),
    Kind.ENQUIRY_RECEIVED: _l("New enquiry"),
    Kind.ENQUIRY_COPY: _l("Copy of an enquiry sent"),
    Kind.ENQUIRY_REPLY: _l("A provider's reply"),
    Kind.ENQUIRY_DECLINED: _l("A provider cannot help"),
}


class RetryForm(FlaskForm):  # type: ignore[misc]
    pass


@bp.get("/mail")
@role_required(Role.CIC_ADMIN)
def outbox() -> str:
    rt = runtime()
    return render_template(
        "admin/mail.html",
        counts=state_counts(rt.read_engine),
        troubled=troubled_messages(rt.read_engine),
        kind_labels=KIND_LABELS,
        local=rt.mail is None,
        form=RetryForm(),
    )


@bp.post("/mail/retry/<path:key>")
@role_required(Role.CIC_ADMIN)
def retry(key: str) -> Response:
    rt = runtime()
    if RetryForm().validate_on_submit() and retry_dead(rt.read_engine, key, rt.app.clock()):
        flash(_("The email will be tried again within a minute."), "success")
    else:
        flash(_("That email is not waiting to be tried again."), "error")
    return redirect(url_for("mail.outbox"))


@bp.get("/mail/local")
@role_required(Role.CIC_ADMIN)
def local() -> str:
    rt = runtime()
    return render_template(
        "admin/mail_local.html", messages=local_messages(rt.read_engine), local=rt.mail is None
    )


@bp.get("/mail/local/<int:message_id>")
@role_required(Role.CIC_ADMIN)
def local_one(message_id: int) -> str:
    message = local_message(runtime().read_engine, message_id)
    if message is None:
        abort(404)
    return render_template("admin/mail_local_one.html", message=message)
