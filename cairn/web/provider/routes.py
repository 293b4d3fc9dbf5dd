"""Micro-providers applying, step by step (their listing upkeep: listing_pages)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.directory.report import CATEGORY_LABELS
from cairn.domain.directory.standards import CURRENT_STANDARDS
from cairn.domain.errors import DomainError
from cairn.readmodels.directory.queries import provider_for_account
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.directory_labels import SDS_LABELS
from cairn.web.forms import VersionForm
from cairn.web.i18n import translate
from cairn.web.provider import listing_pages
from cairn.web.provider.applying import start_application_neutrally
from cairn.web.provider.blueprint import STEPS, bp, my_draft, next_step
from cairn.web.provider.forms import (
    AboutForm,
    AvailabilityForm,
    BusinessForm,
    ConsentForm,
    ReportForm,
    ServicesForm,
)
from cairn.web.provider.listing_form import form_answers, form_data
from cairn.web.ratelimit import limit_submissions

__all__ = ["bp", "listing_pages", "provider_vocabulary"]

# The forms of the steps after the first (STEPS, in cairn.web.provider.blueprint).
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
    draft = my_draft()
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
        answers = form_answers(form)
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
            draft = my_draft()
            return redirect(url_for("provider.step", step=next_step(draft) if draft else STEPS[0]))
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
    draft = my_draft()
    if draft is None:
        return redirect(url_for("provider.apply"))
    if draft.submitted:
        return redirect(url_for("provider.dashboard"))
    form = STEP_FORMS[step](data=form_data(draft.answers) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.directory.save_draft(current_user.account_id, step, _answers(form))
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            if request.form.get("then") == "later":
                flash(_("Your answers are saved. Sign in any time to carry on."), "success")
                return redirect(url_for("provider.dashboard"))
            draft = my_draft()
            return redirect(_step_url(next_step(draft) if draft else "check", after=step))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "provider/apply_step.html",
        form=form,
        step=step,
        steps=STEPS,
        draft=draft,
        current_standards=CURRENT_STANDARDS,
    ), status


def _answers(form: Any) -> dict[str, Any]:
    if isinstance(form, ConsentForm):
        # The version on the page they signed (the form says which, so a version published
        # while they read is not the one recorded).
        return {"consent": bool(form.consent.data), "standards_version": form.signed_version()}
    return form_answers(form)


def _step_url(next_step: str, after: str) -> str:
    # Going forward from a step the applicant came back to: the next one in order.
    if next_step == "check" or STEPS.index(after) + 1 >= len(STEPS):
        return url_for("provider.check")
    following = STEPS[STEPS.index(after) + 1]
    return url_for("provider.step", step=following)


@bp.route("/apply/check", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def check() -> str | Response | tuple[str, int]:
    draft = my_draft()
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


@bp.app_context_processor
def provider_vocabulary() -> dict[str, Any]:
    """Words for the stored tokens (SDS options, report categories) in every template."""
    return {
        "sds_labels": SDS_LABELS,
        # Made for every page rendered, so through the per-request catalogue (cairn.web.i18n).
        "category_labels": {k.value: translate(v) for k, v in CATEGORY_LABELS.items()},
        "step_titles": STEP_TITLES,
        # For pages (such as the public profile) that include the report form without one.
        "new_report_form": ReportForm,
    }
