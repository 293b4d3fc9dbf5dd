"""A provider keeping their listing true (dashboard, edits, confirming, leaving), and the
public reporting a problem with a listing. Part of the provider blueprint."""

from __future__ import annotations

from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.directory.checks import CONFIRM_EVERY
from cairn.domain.directory.lifecycle import ACTIVE, ON_THE_BOOKS, Status
from cairn.domain.errors import DomainError, StaleState
from cairn.readmodels.directory.queries import (
    listing_dict,
    provider_for_account,
    provider_row,
)
from cairn.readmodels.directory.rows import ProviderRow
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.extensions import htmx
from cairn.web.forms import NoteForm, VersionForm
from cairn.web.i18n import translate
from cairn.web.intake_text import intake_text
from cairn.web.listing_changes import pending_changes
from cairn.web.provider.blueprint import app_today, bp, my_draft, next_step
from cairn.web.provider.forms import IntakeForm, ListingForm, ReportForm
from cairn.web.provider.listing_form import form_data, form_values, row_values
from cairn.web.ratelimit import limit_submissions

# -- the provider's own pages ------------------------------------------------------------------


def _my_provider() -> ProviderRow | None:
    row = provider_for_account(runtime().read_engine, current_user.account_id)
    return row


@bp.get("/provider")
@role_required(Role.PROVIDER)
def dashboard() -> str | Response | tuple[str, int]:
    return _dashboard()


def _dashboard(
    intake_form: IntakeForm | None = None, status: int = 200
) -> str | Response | tuple[str, int]:
    row = _my_provider()
    if row is None:
        draft = my_draft()
        if draft is None:
            return redirect(url_for("provider.apply"))
        return render_template(
            "provider/dashboard.html", provider=None, draft=draft, next_step=next_step(draft)
        )
    today = app_today()
    last = row.last_confirmed_on or row.approved_on
    return render_template(
        "provider/dashboard.html",
        provider=row,
        draft=None,
        listing=listing_dict(row),
        pending=pending_changes(listing_dict(row), row.pending_edit),
        confirmation_due=row.status == Status.APPROVED
        and (last is None or last + CONFIRM_EVERY <= today),
        answer_form=NoteForm(version=row.version),
        form=VersionForm(version=row.version),
        intake_form=intake_form
        or IntakeForm(formdata=None, intake=row.intake, until=row.intake_until),
    ), status


@bp.route("/provider/listing", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def edit_listing() -> str | Response | tuple[str, int]:
    row = _my_provider()
    if row is None:
        return redirect(url_for("provider.apply"))
    if row.status not in ACTIVE:
        flash(_("This listing can no longer be changed."), "error")
        return redirect(url_for("provider.dashboard"))
    # The form starts on what waits for review, so a second edit amends it, dropping nothing.
    form = ListingForm(
        data=form_data({"version": row.version, **row_values(row), **(row.pending_edit or {})})
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.directory.edit_listing(
                    row.id,
                    by=current_user.account_id,
                    changes=form_values(form),
                    expected_version=form.version.data,
                )
            )
        except StaleState as error:
            flash(translate(error.message), "error")
            return redirect(url_for("provider.edit_listing"))
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            if row.status in ON_THE_BOOKS and row.pending_edit:
                flash(
                    _(
                        "Thank you. Your changes waiting for review are updated: the CIC will "
                        "review them as they are now."
                    ),
                    "success",
                )
            elif row.status in ON_THE_BOOKS:
                flash(_("Thank you. Your changes are waiting for review by the CIC."), "success")
            else:
                flash(_("Your application is updated."), "success")
            return redirect(url_for("provider.dashboard"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "provider/listing.html",
        form=form,
        provider=row,
        pending=pending_changes(listing_dict(row), row.pending_edit),
    ), status


def _own_action(action: str) -> Response:
    """Answer, confirm or withdraw: the provider's own decisions about their listing."""
    row = _my_provider()
    if row is None:
        abort(404)
    form = NoteForm()
    if not form.validate_on_submit() or form.version.data is None:
        flash(_("Something was missing from the form. Try again."), "error")
        return redirect(url_for("provider.dashboard"))
    directory = runtime().app.directory
    by: UUID = current_user.account_id
    try:
        if action == "answer":
            settle(
                directory.provide_information(
                    row.id, by=by, answer=form.text.data or "", expected_version=form.version.data
                )
            )
            flash(_("Thank you. Your answer is with the CIC."), "success")
        elif action == "confirm":
            settle(directory.confirm_listing(row.id, by=by, expected_version=form.version.data))
            flash(_("Thank you for confirming your listing is still accurate."), "success")
        else:
            settle(
                directory.withdraw(
                    row.id, by=by, reason=form.text.data or "", expected_version=form.version.data
                )
            )
            flash(_("You have left the directory. Your listing is no longer shown."), "success")
    except DomainError as error:
        flash(translate(error.message), "error")
    return redirect(url_for("provider.dashboard"))


@bp.post("/provider/intake")
@role_required(Role.PROVIDER)
def set_intake() -> str | Response | tuple[str, int]:
    """Taking on new people, a waiting list, or full until a day: shown to the public at once."""
    row = _my_provider()
    if row is None:
        abort(404)
    form = IntakeForm()
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.directory.set_intake(
                    row.id,
                    by=current_user.account_id,
                    status=form.intake.data,
                    until=form.until.data or None,
                )
            )
        except DomainError as error:
            form.until.errors = [translate(error.message)]
        else:
            flash(
                _(
                    "Thank you. Your listing now says: %(text)s.",
                    text=intake_text(form.intake.data, form.until.data or None),
                ),
                "success",
            )
            return redirect(url_for("provider.dashboard") + "#intake")
    return _dashboard(form, 400)


@bp.post("/provider/answer")
@role_required(Role.PROVIDER)
def answer() -> Response:
    return _own_action("answer")


@bp.post("/provider/confirm")
@role_required(Role.PROVIDER)
def confirm() -> Response:
    return _own_action("confirm")


@bp.post("/provider/withdraw")
@role_required(Role.PROVIDER)
def withdraw() -> Response:
    return _own_action("withdraw")


# -- the public reports a problem --------------------------------------------------------------


@bp.route("/providers/<uuid:provider_id>/report", methods=["GET", "POST"])
@limit_submissions()
def report(provider_id: UUID) -> str | Response | tuple[str, int]:
    row = provider_row(runtime().read_engine, provider_id)
    if row is None or row.status != "approved" or row.hidden_reason:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.directory.report_problem(
                    provider_id,
                    category=form.category.data,
                    details=form.details.data or "",
                    reporter_email=form.email.data or None,
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            message = _("Thank you. The CIC will look into it.")
            if htmx:
                return render_template("provider/_report_sent.html", message=message)
            flash(message, "success")
            return redirect(url_for("provider.report_sent", provider_id=provider_id))
    status = 400 if form.errors or form.form_errors else 200
    template = "provider/_report_form.html" if htmx else "provider/report.html"
    return render_template(template, form=form, provider=row), status


@bp.get("/providers/<uuid:provider_id>/report/sent")
def report_sent(provider_id: UUID) -> str:
    """One page for every id, listed or not, known or not: it reads nothing, so it cannot
    tell a stranger whether a provider (or an email behind an id) exists."""
    del provider_id
    return render_template("provider/report_sent.html")
