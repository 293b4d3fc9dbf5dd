"""Signing in and out, a person's own account, and administrators managing accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.passwords import DUMMY_HASH, verify_password
from cairn.domain.accounts.roles import ROLE_LABELS, Role
from cairn.domain.accounts.signins import record_sign_in
from cairn.domain.errors import DomainError, NotFound
from cairn.readmodels.accounts.queries import (
    ACCOUNT_SORTS,
    account_by_email,
    account_by_id,
    accounts_page,
    email_confirmed_on,
    is_disabled,
    wants_learning_notices,
)
from cairn.readmodels.paging import clamp_page
from cairn.web.accounts.forms import (
    AccountStatusForm,
    ChangeEmailForm,
    ChangePasswordForm,
    LearningNoticesForm,
    RoleForm,
    SignOutEverywhereForm,
)
from cairn.web.auth import (
    end_every_session,
    end_session,
    role_required,
    signed_in_required,
    start_session,
    user_for,
)
from cairn.web.commanding import runtime, settle
from cairn.web.forms import LoginForm
from cairn.web.i18n import translate
from cairn.web.lockout import Lockout, who
from cairn.web.ratelimit import (
    SIGN_IN_PER_ADDRESS,
    address,
    limit_sign_in,
    limit_submissions,
    rate_limits,
)
from cairn.web.redirects import safe_local_path as _same_site
from cairn.web.sorting import chosen_sort

bp = Blueprint("accounts", __name__, template_folder="templates")

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
        # A disabled account gets the same answer as a wrong password: nothing to learn.
        disabled = row is not None and is_disabled(rt.read_engine, row.id)
        user = user_for(row.id) if row is not None and ok and not disabled else None
        if user is not None:
            lockout.succeeded(person)
            settle(record_sign_in(rt.app, user.account_id, True))
            start_session(user)
            default = (
                url_for("admin.applications")
                if user.has_role(Role.CIC_ADMIN)
                else url_for("learning.partnership")
                if user.has_role(Role.PARTNERSHIP_LEAD)
                else url_for("provider.dashboard")
                if user.has_role(Role.PROVIDER)
                else url_for("public.home")
            )
            return redirect(_same_site(request.args.get("next")) or default)
        lockout.failed(person)
        if account_id is not None:
            reason = "disabled" if disabled and ok else "wrong-password"
            settle(record_sign_in(rt.app, account_id, False, reason))
        form.form_errors.append(
            _("The email address or password is not right. Check them and try again.")
        )
    status = 400 if form.errors or form.form_errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/sign-out")
def logout() -> Response:
    # Even a session the server already ended: the cookie is cleared all the same.
    end_session()
    return redirect(url_for("public.home"))


# -- a person's own account -----------------------------------------------------------


def _me() -> UUID:
    account_id: UUID = current_user.account_id
    return account_id


def account_page(
    password_form: ChangePasswordForm | None = None,
    email_form: ChangeEmailForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The account page, with a form that was sent back with its errors."""
    return render_template(
        "accounts/account.html",
        password_form=password_form or ChangePasswordForm(formdata=None),
        email_form=email_form or ChangeEmailForm(formdata=None),
        everywhere_form=SignOutEverywhereForm(formdata=None),
        email_confirmed_on=email_confirmed_on(runtime().read_engine, _me()),
        notices_form=LearningNoticesForm(formdata=None),
        takes_part_in_learning=current_user.has_role(Role.TEAM_MEMBER),
        learning_notices=wants_learning_notices(runtime().read_engine, _me()),
    ), status


@bp.get("/account")
@signed_in_required
def account() -> tuple[str, int]:
    return account_page()


@bp.post("/account/password")
@signed_in_required
@limit_submissions(SIGN_IN_PER_ADDRESS)  # guessing the current password is guessing a password
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        rt = runtime()
        me = _me()
        try:
            done = rt.app.accounts.change_password(
                me, form.current_password.data, form.new_password.data
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            settle(done)
            # Every other session ends; this one carries on under a new session id.
            end_every_session(me)
            user = user_for(me)
            if user is not None:
                start_session(user)
            flash(
                _("Your password is changed. You have been signed out everywhere else."),
                "success",
            )
            return redirect(url_for("accounts.account"))
    return account_page(password_form=form, status=400)


@bp.post("/account/sign-out-everywhere")
@signed_in_required
def sign_out_everywhere() -> Response | tuple[str, int]:
    form = SignOutEverywhereForm()
    if not form.validate_on_submit():
        return account_page(status=400)
    end_every_session(_me())
    end_session()
    flash(_("You have been signed out everywhere, including here."), "success")
    return redirect(url_for("accounts.login"))


@bp.post("/account/learning-notices")
@signed_in_required
def learning_notices() -> Response | tuple[str, int]:
    """Turn the learning teams' emails (comments, reviews due) off or on again."""
    form = LearningNoticesForm()
    if not form.validate_on_submit() or form.wanted.data not in ("yes", "no"):
        return account_page(status=400)
    wanted = form.wanted.data == "yes"
    try:
        settle(runtime().app.accounts.want_learning_notices(_me(), wanted))
    except DomainError as error:
        flash(translate(error.message), "error")
    else:
        flash(
            _("We will email you about comments and reviews in your learning teams.")
            if wanted
            else _("We will not email you about your learning teams any more."),
            "success",
        )
    return redirect(url_for("accounts.account") + "#learning-notices")


# -- administrators -------------------------------------------------------------------


@bp.get("/admin/accounts")
@role_required(Role.CIC_ADMIN)
def manage() -> str:
    sort = chosen_sort(request.args.get("sort"), ACCOUNT_SORTS, default=ACCOUNT_SORTS[0])
    page = accounts_page(
        runtime().read_engine,
        clamp_page(request.args.get("page")),
        sort=sort.key,
        descending=sort.descending,
    )
    # The address keeps the sort (for the pages' links) only when it is not the default.
    sort_args = {} if sort.arg == ACCOUNT_SORTS[0] else {"sort": sort.arg}
    return render_template("accounts/manage.html", page=page, sort=sort, sort_args=sort_args)


def _managed(account_id: UUID) -> Any:
    row = account_by_id(runtime().read_engine, account_id)
    if row is None:
        abort(404)
    return row


def _managed_page(
    account_id: UUID, form: AccountStatusForm | None = None, status: int = 200
) -> tuple[str, int]:
    row = _managed(account_id)
    return render_template(
        "accounts/managed.html",
        row=row,
        disabled=is_disabled(runtime().read_engine, account_id),
        is_me=account_id == _me(),
        history=_status_history(account_id),
        form=form or AccountStatusForm(formdata=None),
        roles=[ROLE_LABELS[role] for role in Role if role.value in (row.roles or ())],
        is_partnership_lead=Role.PARTNERSHIP_LEAD.value in (row.roles or ()),
        role_form=RoleForm(formdata=None),
    ), status


@dataclass(frozen=True)
class StatusChange:
    at: datetime
    disabled: bool
    reason: str  # ERASED once the person is erased


def _status_history(account_id: UUID) -> list[StatusChange]:
    """Disables and enables with their reasons, newest first, read from the account's events
    (the reasons are personal data, so no read model keeps them)."""
    events: list[Any] = list(runtime().app.repository.event_store.get(account_id))
    changes = [
        StatusChange(e.timestamp, isinstance(e, Account.Disabled), str(getattr(e, "reason", "")))
        for e in events
        if isinstance(e, Account.Disabled | Account.Enabled)
    ]
    return changes[::-1]


@bp.get("/admin/accounts/<uuid:account_id>")
@role_required(Role.CIC_ADMIN)
def managed(account_id: UUID) -> tuple[str, int]:
    return _managed_page(account_id)


@bp.post("/admin/accounts/<uuid:account_id>/disable")
@role_required(Role.CIC_ADMIN)
def disable(account_id: UUID) -> Response | tuple[str, int]:
    return _change_status(account_id, disable=True)


@bp.post("/admin/accounts/<uuid:account_id>/enable")
@role_required(Role.CIC_ADMIN)
def enable(account_id: UUID) -> Response | tuple[str, int]:
    return _change_status(account_id, disable=False)


@bp.post("/admin/accounts/<uuid:account_id>/partnership-lead")
@role_required(Role.CIC_ADMIN)
def make_partnership_lead(account_id: UUID) -> Response | tuple[str, int]:
    """A CIC administrator gives the account the partnership-lead role (docs/security.md)."""
    row = _managed(account_id)
    if not RoleForm().validate_on_submit():
        return _managed_page(account_id, status=400)
    try:
        settle(runtime().app.accounts.make_partnership_lead(account_id, by=_me()))
    except DomainError as error:
        flash(translate(error.message), "error")
    else:
        flash(_("%(name)s is now a partnership lead.", name=row.display_name), "success")
    return redirect(url_for("accounts.managed", account_id=account_id))


def _change_status(account_id: UUID, *, disable: bool) -> Response | tuple[str, int]:
    row = _managed(account_id)
    form = AccountStatusForm()
    if form.validate_on_submit():
        commands = runtime().app.accounts
        change = commands.disable if disable else commands.enable
        try:
            done = change(account_id, form.reason.data, by=_me())
        except NotFound:
            abort(404)
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            settle(done)
            if disable:
                # After the read model knows, so no new sign-in can slip in behind this.
                end_every_session(account_id)
                flash(
                    _(
                        "%(name)s's account is disabled and signed out everywhere.",
                        name=row.display_name,
                    ),
                    "success",
                )
            else:
                flash(_("%(name)s's account is enabled.", name=row.display_name), "success")
            return redirect(url_for("accounts.managed", account_id=account_id))
    return _managed_page(account_id, form, 400)
