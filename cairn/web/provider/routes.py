"""Micro-providers: applying step by step, then keeping their listing true."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today as today_of
from cairn.domain.directory.checks import CONFIRM_EVERY
from cairn.domain.directory.draft import ApplicationDraft
from cairn.domain.errors import DomainError, StaleState
from cairn.domain.validation import DAYS
from cairn.readmodels.directory.queries import (
    listing_dict,
    provider_for_account,
    provider_row,
)
from cairn.readmodels.directory.rows import ProviderRow
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.extensions import htmx
from cairn.web.i18n import translate
from cairn.web.provider.applying import start_application_neutrally
from cairn.web.provider.forms import (
    AboutForm,
    AvailabilityForm,
    BusinessForm,
    ConsentForm,
    ListingForm,
    NoteForm,
    ReportForm,
    ServicesForm,
    VersionForm,
    availability_of,
)
from cairn.web.ratelimit import limit_submissions

bp = Blueprint("provider", __name__, template_folder="templates")

# The application's steps after the first, in order, with their forms.
STEPS = ("services", "availability", "about", "consent")
STEP_FORMS: dict[str, Any] = {
    "services": ServicesForm,
    "availability": AvailabilityForm,
    "about": AboutForm,
    "consent": ConsentForm,
}
STEP_TITLES = {
    "business": _l("About you and your business"),
    "services": _l("Your services and where you work"),
    "availability": _l("When you work, and what you charge"),
    "about": _l("Tell people about your service"),
    "consent": _l("The CIC's standards"),
}


def _today() -> date:
    return today_of(runtime().app.clock)


def _my_draft() -> ApplicationDraft | None:
    if not current_user.is_authenticated:
        return None
    return runtime().app.directory.draft_for(current_user.account_id)


def _next_step(draft: ApplicationDraft) -> str:
    for step in STEPS:
        if step not in draft.steps_done:
            return step
    return "check"


# -- applying ----------------------------------------------------------------------------------


@bp.route("/apply", methods=["GET", "POST"])
@limit_submissions()
def apply() -> str | Response | tuple[str, int]:
    """Step 1. Signed out: creates the applicant's account and draft. Signed in: edits them."""
    if current_user.is_authenticated and not current_user.has_role(Role.PROVIDER):
        flash(
            _("You are signed in with a staff account. Sign out to apply as a provider."), "error"
        )
        return redirect(url_for("public.home"))
    draft = _my_draft()
    if draft is not None and draft.submitted:
        return redirect(url_for("provider.dashboard"))
    if (
        current_user.is_authenticated
        and draft is None
        and request.method == "GET"
        and provider_for_account(runtime().read_engine, current_user.account_id) is not None
    ):
        return redirect(url_for("provider.dashboard"))
    form = BusinessForm(data=draft.answers if draft and request.method == "GET" else None)
    signed_in = current_user.is_authenticated
    if signed_in:
        del form.email, form.password, form.confirm
    if form.validate_on_submit():
        answers = {
            "name": form.name.data,
            "contact_name": form.contact_name.data,
            "phone": form.phone.data or None,
            "postcode": form.postcode.data,
        }
        directory = runtime().app.directory
        try:
            if signed_in:
                settle(directory.save_draft(current_user.account_id, "business", answers))
            elif not form.password.data:
                form.password.errors.append(_("Create a password of at least 12 characters"))
                raise _FormInvalid
            else:
                start_application_neutrally(
                    email=form.email.data,
                    contact_name=form.contact_name.data,
                    password=form.password.data,
                    answers=answers,
                )
                # The same answer whether the email was new or already known (see
                # cairn.web.provider.applying): the applicant signs in with their new password
                # to go on.
                return redirect(url_for("provider.started"))
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        except _FormInvalid:
            pass
        else:
            draft = _my_draft()
            return redirect(url_for("provider.step", step=_next_step(draft) if draft else STEPS[0]))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "provider/apply.html", form=form, step="business", steps=STEPS, draft=draft
    ), status


class _FormInvalid(Exception):
    pass


@bp.get("/apply/started")
def started() -> str:
    """After the first step, for every email alike: sign in to carry on."""
    return render_template("provider/apply_started.html")


@bp.route("/apply/<step>", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def step(step: str) -> str | Response | tuple[str, int]:
    if step not in STEP_FORMS:
        abort(404)
    draft = _my_draft()
    if draft is None:
        return redirect(url_for("provider.apply"))
    if draft.submitted:
        return redirect(url_for("provider.dashboard"))
    form = STEP_FORMS[step](
        data=_form_data(step, draft.answers) if request.method == "GET" else None
    )
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.directory.save_draft(
                    current_user.account_id, step, _answers(step, form)
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            if request.form.get("then") == "later":
                flash(_("Your answers are saved. Sign in any time to carry on."), "success")
                return redirect(url_for("provider.dashboard"))
            draft = _my_draft()
            return redirect(_step_url(_next_step(draft) if draft else "check", after=step))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "provider/apply_step.html", form=form, step=step, steps=STEPS, draft=draft
    ), status


def _step_url(next_step: str, after: str) -> str:
    # Going forward from a step the applicant came back to: the next one in order.
    if next_step == "check" or STEPS.index(after) + 1 >= len(STEPS):
        return url_for("provider.check")
    following = STEPS[STEPS.index(after) + 1]
    return url_for("provider.step", step=following)


def _form_data(step: str, answers: dict[str, Any]) -> dict[str, Any]:
    data = dict(answers)
    if step == "services":
        data["areas_covered"] = " ".join(answers.get("areas_covered") or ())
    if step == "availability":
        chosen = answers.get("availability") or ()
        data["days"] = [t for t in chosen if t in DAYS]
        data["times"] = [t for t in chosen if t not in DAYS]
    if step == "about":
        data["languages"] = " ".join(answers.get("languages") or ())
    return data


def _answers(step: str, form: Any) -> dict[str, Any]:
    if step == "services":
        return {
            "services": list(form.services.data),
            "areas_covered": list(form.areas_covered.data),
        }
    if step == "availability":
        price = form.price_per_hour.data
        return {
            "availability": list(availability_of(form)),
            "price_per_hour": str(price) if price else None,
            "sds_options": list(form.sds_options.data or []),
        }
    if step == "about":
        return {
            "description": form.description.data,
            "languages": list(form.languages.data or ()),
            "website": form.website.data or None,
        }
    return {"consent": bool(form.consent.data)}


@bp.route("/apply/check", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def check() -> str | Response | tuple[str, int]:
    draft = _my_draft()
    if draft is None:
        return redirect(url_for("provider.apply"))
    if draft.submitted:
        return redirect(url_for("provider.dashboard"))
    form = VersionForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            settle(runtime().app.directory.submit_application(current_user.account_id))
        except DomainError as error:
            errors.append(translate(error.message))
        else:
            return redirect(url_for("provider.applied"))
    return render_template(
        "provider/apply_check.html", form=form, draft=draft, answers=draft.answers, errors=errors
    ), (400 if errors else 200)


@bp.get("/apply/sent")
def applied() -> str:
    return render_template("provider/applied.html")


# -- the provider's own pages ------------------------------------------------------------------


def _my_provider() -> Any:
    row = provider_for_account(runtime().read_engine, current_user.account_id)
    return row


@bp.get("/provider")
@role_required(Role.PROVIDER)
def dashboard() -> str | Response:
    row = _my_provider()
    if row is None:
        draft = _my_draft()
        if draft is None:
            return redirect(url_for("provider.apply"))
        return render_template(
            "provider/dashboard.html", provider=None, draft=draft, next_step=_next_step(draft)
        )
    today = _today()
    last = row.last_confirmed_on or row.approved_on
    return render_template(
        "provider/dashboard.html",
        provider=row,
        draft=None,
        listing=listing_dict(row),
        pending=row.pending_edit,
        confirmation_due=row.status == "approved"
        and (last is None or last + CONFIRM_EVERY <= today),
        answer_form=NoteForm(version=row.version),
        form=VersionForm(version=row.version),
    )


@bp.route("/provider/listing", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def edit_listing() -> str | Response | tuple[str, int]:
    row = _my_provider()
    if row is None:
        return redirect(url_for("provider.apply"))
    if row.status not in ("applied", "under-review", "info-requested", "approved", "suspended"):
        flash(_("This listing can no longer be changed."), "error")
        return redirect(url_for("provider.dashboard"))
    form = ListingForm(data=_listing_data(row) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.directory.edit_listing(
                    row.id,
                    by=current_user.account_id,
                    changes=_listing_changes(form),
                    expected_version=form.version.data,
                )
            )
        except StaleState as error:
            flash(translate(error.message), "error")
            return redirect(url_for("provider.edit_listing"))
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            if row.status in ("approved", "suspended"):
                flash(_("Thank you. Your changes are waiting for review by the CIC."), "success")
            else:
                flash(_("Your application is updated."), "success")
            return redirect(url_for("provider.dashboard"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("provider/listing.html", form=form, provider=row), status


def _listing_data(row: ProviderRow) -> dict[str, Any]:
    days = [t for t in row.availability if t in DAYS]
    return {
        "version": row.version,
        "name": row.name,
        "contact_name": row.contact_name,
        "phone": row.phone,
        "postcode": row.postcode,
        "services": row.services,
        "areas_covered": " ".join(row.areas_covered),
        "days": days,
        "times": [t for t in row.availability if t not in days],
        "price_per_hour": str(row.price_per_hour) if row.price_per_hour is not None else "",
        "sds_options": row.sds_options,
        "description": row.description,
        "languages": " ".join(row.languages),
        "website": row.website,
    }


def _listing_changes(form: ListingForm) -> dict[str, Any]:
    price = form.price_per_hour.data
    return {
        "name": form.name.data,
        "contact_name": form.contact_name.data,
        "phone": form.phone.data or None,
        "postcode": form.postcode.data,
        "services": list(form.services.data),
        "areas_covered": list(form.areas_covered.data),
        "availability": list(availability_of(form)),
        "price_per_hour": Decimal(price) if price else None,
        "sds_options": list(form.sds_options.data or []),
        "description": form.description.data,
        "languages": list(form.languages.data or ()),
        "website": form.website.data or None,
    }


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


@bp.app_context_processor
def provider_vocabulary() -> dict[str, Any]:
    """Words for the stored tokens (days, SDS options, report categories) in every template."""
    from cairn.domain.directory.report import CATEGORY_LABELS
    from cairn.web.provider.forms import DAY_LABELS, SDS_LABELS, TIME_LABELS

    return {
        "day_labels": {**DAY_LABELS, **TIME_LABELS},
        "sds_labels": SDS_LABELS,
        # Made for every page rendered, so through the per-request catalogue (cairn.web.i18n).
        "category_labels": {k.value: translate(v) for k, v in CATEGORY_LABELS.items()},
        "step_titles": STEP_TITLES,
        # For pages (such as the public profile) that include the report form without one.
        "new_report_form": ReportForm,
    }
