"""Inviting providers who have no account: one at a time, or all of them at once."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.directory.lifecycle import STATUS_LABELS, Status
from cairn.domain.errors import DomainError
from cairn.readmodels.directory.outreach import without_accounts
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import translate

bp = Blueprint("invite", __name__, template_folder="templates", url_prefix="/admin")


class InviteForm(FlaskForm):  # type: ignore[misc]
    pass


@bp.get("/invitations")
@role_required(Role.CIC_ADMIN)
def invitations() -> str:
    rows = without_accounts(runtime().read_engine)
    labels = {s.value: STATUS_LABELS[s] for s in Status}
    return render_template("admin/invitations.html", rows=rows, labels=labels, form=InviteForm())


@bp.post("/invitations")
@role_required(Role.CIC_ADMIN)
def invite_all() -> Response:
    if InviteForm().validate_on_submit():
        rt = runtime()
        candidates = [row.provider_id for row in without_accounts(rt.read_engine)]
        sent = rt.app.directory.invite_all(candidates, by=current_user.account_id)
        rt.wait_for(rt.app.head())
        flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", sent), "success")
    return redirect(url_for("invite.invitations"))


@bp.post("/invitations/<uuid:provider_id>")
@role_required(Role.CIC_ADMIN)
def invite_one(provider_id: UUID) -> Response:
    if InviteForm().validate_on_submit():
        try:
            settle(runtime().app.directory.invite(provider_id, by=current_user.account_id))
        except DomainError as error:
            flash(translate(error.message), "error")
        else:
            flash(_("Invitation sent."), "success")
    return redirect(url_for("invite.invitations"))
