"""Feedback about the service, for the CIC's administrators: read it, deal with it, delete it."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.enquiries.feedback import VERDICTS
from cairn.domain.errors import DomainError
from cairn.domain.personal import subject_for_id
from cairn.readmodels.enquiries.queries import feedback_entries
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import translate

bp = Blueprint("feedback", __name__, template_folder="templates", url_prefix="/admin")


class FeedbackActionForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the feedback is named in the URL."""


@bp.get("/feedback")
@role_required(Role.CIC_ADMIN)
def list_feedback() -> str:
    dealt_with = request.args.get("show") == "dealt-with"
    return render_template(
        "feedback/list.html",
        entries=feedback_entries(runtime().read_engine, dealt_with=dealt_with),
        dealt_with=dealt_with,
        verdicts={key: translate(label) for key, label in VERDICTS.items()},
        form=FeedbackActionForm(),
    )


@bp.post("/feedback/<uuid:feedback_id>/dealt-with")
@role_required(Role.CIC_ADMIN)
def deal_with(feedback_id: UUID) -> Response:
    _check_token()
    try:
        settle(
            runtime().app.enquiries.deal_with_feedback(
                feedback_id, by_account=current_user.account_id
            )
        )
    except DomainError as error:
        flash(translate(error.message), "error")
    else:
        flash(gettext("Marked as dealt with."), "success")
    return redirect(url_for("feedback.list_feedback"))


@bp.post("/feedback/<uuid:feedback_id>/delete")
@role_required(Role.CIC_ADMIN)
def delete(feedback_id: UUID) -> Response:
    _check_token()
    rt = runtime()
    try:
        settle(
            rt.app.enquiries.delete_feedback(
                feedback_id,
                by_account=current_user.account_id,
                shred=lambda record_id: rt.keys.shred(subject_for_id(record_id)),
            )
        )
    except DomainError as error:
        flash(translate(error.message), "error")
    else:
        flash(gettext("Feedback deleted. Its words can no longer be read anywhere."), "success")
    return redirect(url_for("feedback.list_feedback", show=request.args.get("show")))


def _check_token() -> None:
    if not FeedbackActionForm().validate_on_submit():
        abort(400)
