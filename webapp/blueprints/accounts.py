"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from domain.accounts.passwords import DUMMY_HASH, verify_password
from domain.accounts.roles import Role
from domain.accounts.signins import record_sign_in
from webapp.auth import User
from webapp.blueprints.public import _same_site
from webapp.commanding import runtime, settle
from webapp.forms import LoginForm
from webapp.lockout import Lockout, who
from webapp.queries import account_by_email
from webapp.ratelimit import address, limit_sign_in, rate_limits

bp = Blueprint("accounts", __name__)

LOCKED_MESSAGE = _l(
    "There have been too many attempts to sign in with this email address. "
    "Wait a few minutes, then try again."
)


@bp.route("/sign-in", methods=["GET", "POST"])
@limit_sign_in
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data
        rt = runtime()
        row = account_by_email(rt.read_engine, email)
        account_id = row.id if row is not None else None
        lockout = Lockout(rate_limits())
        person = who(rate_limits(), account_id, email, address())
        if lockout.locked_until(person):
            # The same answer whether or not the email has an account; the password is not
            # checked and the guess not counted, so guessing cannot stretch the lock.
            if account_id is not None:
                settle(record_sign_in(rt.app, account_id, False, "locked"))
            form.form_errors.append(LOCKED_MESSAGE)
            return render_template("accounts/login.html", form=form), 429
        # Verify against a dummy hash for unknown emails, so timing reveals nothing.
        ok = verify_password(row.password_hash if row else DUMMY_HASH, form.password.data)
        if row is not None and ok:
            lockout.succeeded(person)
            settle(record_sign_in(rt.app, row.id, True))
            user = User(row.id, row.email, row.display_name, row.roles)
            login_user(user)
            default = (
                url_for("admin.applications")
                if user.has_role(Role.CIC_ADMIN)
                else url_for("provider.dashboard")
                if user.has_role(Role.PROVIDER)
                else url_for("public.home")
            )
            return redirect(_same_site(request.args.get("next")) or default)
        lockout.failed(person)
        if account_id is not None:
            settle(record_sign_in(rt.app, account_id, False, "wrong-password"))
        form.form_errors.append(
            _("The email address or password is not right. Check them and try again.")
        )
    status = 400 if form.errors or form.form_errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/sign-out")
def logout() -> Response:
    if current_user.is_authenticated:
        logout_user()
    return redirect(url_for("public.home"))
