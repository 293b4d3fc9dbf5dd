"""Recording a provider's checks on their admin page, and the evidence uploaded with them.

A check's form posts here with its file (multipart, with or without JavaScript). A mistake
(a date ahead, a number that is not one, a file that is not a PDF or image or is too large)
shows the form again with its message and the typing kept, and saves nothing. Evidence is
only ever sent to a CIC administrator, as a download that no cache keeps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, url_for
from flask_babel import format_currency, format_date
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.directory.evidence import ENDINGS, EVIDENCE_LABELS
from cairn.domain.directory.standards import CURRENT_STANDARDS
from cairn.domain.errors import DomainError, NotFound, StaleState
from cairn.domain.outcome import Done
from cairn.domain.sealed_files import Unreadable
from cairn.readmodels.directory.queries import provider_row
from cairn.web.admin.blueprint import bp
from cairn.web.admin.forms import CHECK_FORMS, upload_of
from cairn.web.admin.routes import provider_page_with
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.extensions import htmx
from cairn.web.i18n import translate

SUCCESS = {
    "pvg": lambda: _("The PVG check for %(name)s is recorded."),
    "insurance": lambda: _("The insurance for %(name)s is recorded."),
    "training": lambda: _("The training for %(name)s is recorded."),
    "standards": lambda: _("The signed standards agreement for %(name)s is recorded."),
}


def _command(check: str, provider_id: UUID, form: Any) -> Done:
    directory = runtime().app.directory
    by = current_user.account_id
    version = form.version.data
    if check == "pvg":
        return directory.record_pvg(
            provider_id,
            by=by,
            checked_on=form.pvg_checked_on.data,
            membership_number=form.membership_number.data,
            renewal_due=form.pvg_renewal_due.data,
            evidence=upload_of(form.pvg_evidence),
            expected_version=version,
        )
    if check == "insurance":
        return directory.record_insurance(
            provider_id,
            by=by,
            expires_on=form.insurance_expires_on.data,
            insurer=form.insurer.data,
            policy_number=form.policy_number.data,
            cover=form.cover.data,
            evidence=upload_of(form.insurance_evidence),
            expected_version=version,
        )
    if check == "training":
        return directory.record_training(
            provider_id,
            by=by,
            course=form.course.data,
            other_name=form.other_name.data or "",
            completed_on=form.training_completed_on.data,
            expires_on=form.training_expires_on.data,
            evidence=upload_of(form.training_evidence),
            expected_version=version,
        )
    return directory.record_standards_signed(
        provider_id, by=by, signed_on=form.standards_signed_on.data, expected_version=version
    )


def _warning(check: str, form: Any) -> str | None:
    """A date already past is recorded as it is (the record is true), and said plainly."""
    if check == "insurance" and form.insurance_expires_on.is_past:
        return str(
            _(
                "This policy ran out on %(d)s. It is recorded, and the listing stays hidden "
                "until a current policy is recorded.",
                d=format_date(form.insurance_expires_on.data, "long"),
            )
        )
    if check == "pvg" and form.pvg_renewal_due.is_past:
        return str(
            _(
                "The PVG membership was due for renewal on %(d)s: ask for the renewed membership.",
                d=format_date(form.pvg_renewal_due.data, "long"),
            )
        )
    if check == "training" and form.training_expires_on.is_past:
        return str(
            _(
                "This training ran out on %(d)s: ask when it will be refreshed.",
                d=format_date(form.training_expires_on.data, "long"),
            )
        )
    return None


FILE_KINDS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def _pounds(amount: Decimal) -> str:
    """£5,000,000 (cover is whole pounds, as policies state it), or £1,234.50 if not."""
    pattern = "¤#,##0" if amount == amount.to_integral_value() else "¤#,##0.00"
    return str(format_currency(amount, "GBP", format=pattern, currency_digits=False))


@bp.context_processor
def check_words() -> dict[str, Any]:
    """What the provider page's checks are written with."""
    return {
        "evidence_label": lambda kind: translate(EVIDENCE_LABELS.get(kind) or kind),
        "file_kind": lambda media_type: FILE_KINDS.get(media_type, media_type),
        "format_cover": _pounds,
        "current_standards": CURRENT_STANDARDS,
    }


@bp.post("/providers/<uuid:provider_id>/checks/<check>")
@role_required(Role.CIC_ADMIN)
def record_check(provider_id: UUID, check: str) -> str | Response | tuple[str, int]:
    if check not in CHECK_FORMS:
        abort(404)
    row = provider_row(runtime().read_engine, provider_id)
    if row is None:
        abort(404)
    form = CHECK_FORMS[check]()
    error = None
    if form.validate_on_submit() and form.version.data is not None:
        try:
            settle(_command(check, provider_id, form))
        except (StaleState, DomainError) as problem:
            error = translate(problem.message)
        else:
            message = SUCCESS[check]() % {"name": row.name}
            warning = _warning(check, form)
            if htmx:
                return provider_page_with(provider_id, message=message, warning=warning)
            flash(message, "success")
            if warning:
                flash(warning, "warning")
            return redirect(url_for("admin.provider", provider_id=provider_id) + "#checks")
    elif not form.errors:
        error = _("Something was missing from the form. Try again.")
    # The form again, its boxes as typed and its mistake named; nothing was saved.
    page = provider_page_with(provider_id, error=error, posted={check: form}, whole=not htmx)
    return page, 400


@bp.get("/providers/<uuid:provider_id>/evidence/<uuid:file_id>")
@role_required(Role.CIC_ADMIN)
def evidence(provider_id: UUID, file_id: UUID) -> Response:
    """The file as uploaded, as an attachment (never shown inline, never cached)."""
    try:
        data, media_type = runtime().app.directory.evidence_file(provider_id, file_id)
    except NotFound:
        abort(404)
    except Unreadable:
        abort(410)  # the provider was erased: their files can no longer be read
    name = f"evidence-{str(file_id)[:8]}.{ENDINGS.get(media_type, 'bin')}"
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
