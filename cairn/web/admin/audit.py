"""The CIC's audit log: who did what, and when, across the whole system."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from cairn.domain.accounts.roles import Role
from cairn.readmodels.audit.queries import AuditFilter, audit_actors, audit_kinds, audit_page
from cairn.readmodels.paging import clamp_page
from cairn.web.admin.audit_text import kinds_by_record, tell_audit
from cairn.web.auth import role_required
from cairn.web.commanding import runtime
from cairn.web.extensions import htmx

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/admin")


@bp.get("/audit")
@role_required(Role.CIC_ADMIN)
def log() -> tuple[str, int]:
    engine = runtime().read_engine
    errors: dict[str, str] = {}
    chosen = AuditFilter(
        actor=_uuid(request.args.get("actor"), "actor", errors),
        kind=(request.args.get("kind") or "").strip()[:161] or None,
        start=_date(request.args.get("start"), "start", errors),
        end=_date(request.args.get("end"), "end", errors),
    )
    if chosen.start and chosen.end and chosen.end < chosen.start:
        errors["end"] = _("The end date must be the same as or after the start date")
    page = audit_page(engine, chosen, clamp_page(request.args.get("page")))
    template = "audit/_entries.html" if htmx else "audit/log.html"
    html = render_template(
        template,
        page=page,
        lines=[tell_audit(row) for row in page.items],
        chosen=chosen,
        kinds=kinds_by_record(audit_kinds(engine)),
        actors=audit_actors(engine),
        errors=errors,
        values=request.args,
    )
    return html, (400 if errors else 200)


def _uuid(raw: str | None, name: str, errors: dict[str, str]) -> UUID | None:
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        errors[name] = _("Choose a person from the list")
        return None


# The audit log began long after 1900, and the filter adds a day to the end date: a range
# well inside what Python's date and both databases hold keeps that arithmetic safe.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def _date(raw: str | None, name: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        errors[name] = _("Enter a real date, like 2025-03-31")
        return None
    if not EARLIEST <= day <= LATEST:
        errors[name] = _("Enter a date between the years 1900 and 2999, like 2025-03-31")
        return None
    return day
