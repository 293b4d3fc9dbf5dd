"""The administrator's sign-in lockout page: accounts with recent failures, and unlocking."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.accounts.signins import record_unlock
from cairn.readmodels.accounts.queries import account_by_id
from cairn.readmodels.audit.queries import recent_failed_sign_ins
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.lockout import Lockout, who
from cairn.web.ratelimit import rate_limits

bp = Blueprint("lockouts", __name__, template_folder="templates", url_prefix="/admin")

LOOK_BACK = timedelta(hours=24)


class UnlockForm(FlaskForm):  # type: ignore[misc]
    pass


@bp.get("/sign-in-lockouts")
@role_required(Role.CIC_ADMIN)
def lockouts() -> str:
    rt = runtime()
    rows = recent_failed_sign_ins(rt.read_engine, rt.app.clock() - LOOK_BACK)
    lockout = Lockout(rate_limits())
    # The lock on the account as a whole; locks on one address show only to that address.
    locked = {
        row.account_id: bool(lockout.locked_until(who(rate_limits(), row.account_id, "", "")))
        for row in rows
    }
    return render_template("admin/lockouts.html", rows=rows, locked=locked, form=UnlockForm())


@bp.post("/sign-in-lockouts/<uuid:account_id>/unlock")
@role_required(Role.CIC_ADMIN)
def unlock(account_id: UUID) -> Response:
    form = UnlockForm()
    if not form.validate_on_submit():
        abort(400)
    rt = runtime()
    row = account_by_id(rt.read_engine, account_id)
    if row is None:
        abort(404)
    Lockout(rate_limits()).unlock(account_id)
    settle(record_unlock(rt.app, account_id, by=current_user.account_id))
    flash(_("%(name)s can sign in again.", name=row.display_name), "success")
    return redirect(url_for("lockouts.lockouts"))
