"""Requests from the public to look after a listing with an address that is not the listing's
own: the CIC approves (an invitation goes to the claimant) or declines with a reason."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField

from cairn.domain.accounts.roles import Role
from cairn.domain.errors import DomainError
from cairn.readmodels.directory.claims import open_claims
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import translate

bp = Blueprint("claim_review", __name__, template_folder="templates", url_prefix="/admin")


class DecisionForm(FlaskForm):  # type: ignore[misc]
    reason = TextAreaField(_l("Reason (for declining)"))


@bp.get("/claims")
@role_required(Role.CIC_ADMIN)
def claims() -> str:
    return render_template(
        "admin/claims.html", claims=open_claims(runtime().read_engine), form=DecisionForm()
    )


@bp.post("/claims/<uuid:claim_id>/<decision>")
@role_required(Role.CIC_ADMIN)
def decide(claim_id: UUID, decision: str) -> Response:
    form = DecisionForm()
    if not form.validate_on_submit() or decision not in ("approve", "decline"):
        flash(_("Something was missing from the form. Try again."), "error")
        return redirect(url_for("claim_review.claims"))
    directory = runtime().app.directory
    by: UUID = current_user.account_id
    try:
        if decision == "approve":
            settle(directory.approve_claim(claim_id, by=by))
            flash(_("Approved: an invitation is on its way to them."), "success")
        else:
            settle(directory.decline_claim(claim_id, by=by, reason=form.reason.data or ""))
            flash(_("Declined: they will be told why by email."), "success")
    except DomainError as error:
        flash(translate(error.message), "error")
    return redirect(url_for("claim_review.claims"))
