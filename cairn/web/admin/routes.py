"""The umbrella CIC's workspace: the review queue, and each provider's page, decisions and
checks (coverage: cairn.web.admin.coverage)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Form

from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today as today_of
from cairn.domain.directory.checks import CONFIRM_EVERY, RENEWAL_WINDOW, check_problems
from cairn.domain.directory.lifecycle import ACTIVE, Status, admin_decisions
from cairn.domain.errors import DomainError, StaleState
from cairn.domain.outcome import Done
from cairn.domain.validation import Invalid, normalise_district, parse_date
from cairn.readmodels.directory.queries import (
    QUEUE_KINDS,
    QUEUE_SORTS,
    QueueFilters,
    ReportGroup,
    desk_notes_for,
    desks_for,
    history,
    listing_dict,
    provider_row,
    queue_counts,
    queue_page,
    queue_total,
    report_row,
    reports_for,
    waiting_since,
)
from cairn.readmodels.paging import clamp_page
from cairn.web.admin import coverage_pages, import_pages, provision_pages
from cairn.web.admin.blueprint import bp
from cairn.web.admin.forms import CHECK_FORMS
from cairn.web.admin.history_text import tell
from cairn.web.auth import role_required
from cairn.web.commanding import runtime, settle
from cairn.web.date_fields import UKDateField
from cairn.web.extensions import htmx
from cairn.web.forms import NoteForm, PlainForm, VersionForm
from cairn.web.i18n import translate
from cairn.web.listing_changes import pending_changes
from cairn.web.sorting import Sort, chosen_sort

__all__ = ["bp", "coverage_pages", "import_pages", "provision_pages"]

KIND_LABELS = {
    "applications": _l("Applications"),
    "edits": _l("Listing edits"),
    "reports": _l("Problem reports"),
    "renewals": _l("Renewals due soon"),
    "lapsed": _l("Lapsed checks"),
}

# What an admin may do in each state, in the order the buttons appear (from the lifecycle).
ACTIONS_BY_STATUS = {status.value: admin_decisions(status) for status in Status}


def _today() -> date:
    return today_of(runtime().app.clock)


def _queue_waiting() -> int:
    """Everything waiting in the queue, for the site navigation's "Review queue (N)"; once a
    request (the desktop bar and the mobile menu both ask)."""
    if "cairn_queue_waiting" not in g:
        g.cairn_queue_waiting = sum(queue_counts(runtime().read_engine, _today()).values())
    waiting: int = g.cairn_queue_waiting
    return waiting


bp.add_app_template_global(_queue_waiting, "queue_waiting")


# -- the queue ---------------------------------------------------------------------------------


@bp.get("/")
@role_required(Role.CIC_ADMIN)
def index() -> Response:
    return redirect(url_for("admin.queue"))


@bp.get("/queue")
@role_required(Role.CIC_ADMIN)
def queue() -> str:
    return _queue_page(_filters())


@bp.get("/applications")
@role_required(Role.CIC_ADMIN)
def applications() -> str:
    """The applications tab of the queue, at the address admins already know."""
    return _queue_page(_filters(kind="applications"))


# How often an open queue asks whether new work has come (a setting, so tests can wait less).
QUEUE_POLL_SECONDS = 30


def _filters(kind: str | None = None) -> QueueFilters:
    chosen = kind or request.args.get("kind", "applications")
    chosen = chosen if chosen in QUEUE_KINDS else "applications"
    district = request.args.get("district", "").strip()
    try:
        district = normalise_district(district) if district else ""
    except Invalid:
        district = ""
    sort = _sort(chosen)
    return QueueFilters(
        kind=chosen,
        assignee=current_user.account_id if request.args.get("assigned") == "me" else None,
        status=request.args.get("status", ""),
        district=district,
        text=request.args.get("q", "").strip()[:100],
        sort=sort.key,
        descending=sort.descending,
    )


def _sort(kind: str) -> Sort:
    keys = list(QUEUE_SORTS[kind])
    return chosen_sort(request.args.get("sort"), keys, default=keys[0])


def _query_args(filters: QueueFilters) -> dict[str, str]:
    """The queue's address for these filters (the default sort left out)."""
    sort = Sort(filters.sort, filters.descending)
    args = {
        "kind": filters.kind,
        "status": filters.status,
        "district": filters.district,
        "q": filters.text,
        "sort": "" if sort == Sort(next(iter(QUEUE_SORTS[filters.kind]))) else sort.arg,
        "assigned": "me" if filters.assignee is not None else "",
    }
    return {k: v for k, v in args.items() if v}


def _queue_page(filters: QueueFilters, message: str | None = None, error: str | None = None) -> str:
    engine = runtime().read_engine
    today = _today()
    page = queue_page(engine, filters, today, clamp_page(request.args.get("page")))
    template = "admin/_queue.html" if htmx else "admin/queue.html"
    query_args = _query_args(filters)
    ids = [item.provider_id if isinstance(item, ReportGroup) else item.id for item in page.items]
    since = {
        provider_id: waiting_since(filters.kind, item, today)
        for provider_id, item in zip(ids, page.items, strict=True)
    }
    return render_template(
        template,
        page=page,
        desks=desks_for(engine, ids),
        days_waiting={pid: (today - day).days for pid, day in since.items() if day is not None},
        me=current_user.account_id,
        filters=filters,
        sort=Sort(filters.sort, filters.descending),
        news=_news(query_args, shown=page.total, now=page.total),
        counts=queue_counts(engine, today),
        kind_labels=KIND_LABELS,
        today=today,
        renewal_horizon=today + RENEWAL_WINDOW,
        confirm_every=CONFIRM_EVERY,
        message=message,
        error=error,
        query_args=query_args,
    )


@bp.get("/queue/news")
@role_required(Role.CIC_ADMIN)
def queue_news() -> str | tuple[str, int]:
    """Polled by an open queue: whether its list has changed since it was shown. Never the
    list itself, so what the person is typing or reading stays as it is (WCAG 2.2.1, 2.2.2).
    204 (htmx leaves the page alone) while nothing has changed since the last answer."""
    if "shown" not in request.args:
        return "", 204
    filters = _filters()
    shown = _count_arg("shown")
    told = _count_arg("told", default=shown)
    now = queue_total(runtime().read_engine, filters, _today())
    if now == told:
        return "", 204
    return render_template("admin/_queue_news.html", news=_news(_query_args(filters), shown, now))


def _count_arg(name: str, default: int = 0) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else default


def _news(query_args: dict[str, Any], shown: int, now: int) -> dict[str, Any]:
    """What the queue's notice says: how the list stands now against what the page shows."""
    return {
        "added": now - shown,
        "changed": now != shown,
        "poll_url": url_for("admin.queue_news", shown=shown, told=now, **query_args),
        "refresh_url": url_for("admin.queue", **query_args),
        "seconds": int(current_app.config.get("QUEUE_POLL_SECONDS", QUEUE_POLL_SECONDS)),
    }


# -- one provider ------------------------------------------------------------------------------


@bp.get("/providers/<uuid:provider_id>")
@role_required(Role.CIC_ADMIN)
def provider(provider_id: UUID) -> str:
    if htmx and htmx.target == "provider-panel":
        return _panel(provider_id)
    return _provider_page(provider_id, "admin/provider.html")


def _panel(provider_id: UUID, message: str | None = None, error: str | None = None) -> str:
    return _provider_page(provider_id, "admin/_provider_panel.html", message, error)


def provider_page_with(
    provider_id: UUID,
    message: str | None = None,
    error: str | None = None,
    warning: str | None = None,
    posted: dict[str, VersionForm] | None = None,
    whole: bool = False,
) -> str:
    """The panel (or, `whole`, the page) after a check: `posted` holds a check form that
    was refused, shown again as typed in place of a fresh one (cairn.web.admin.check_pages)."""
    template = "admin/provider.html" if whole else "admin/_provider_panel.html"
    return _provider_page(provider_id, template, message, error, warning=warning, posted=posted)


def _provider_page(
    provider_id: UUID,
    template: str,
    message: str | None = None,
    error: str | None = None,
    warning: str | None = None,
    posted: dict[str, VersionForm] | None = None,
) -> str:
    engine = runtime().read_engine
    row = provider_row(engine, provider_id)
    if row is None:
        abort(404)
    today = _today()
    pending = row.pending_edit
    current = listing_dict(row)
    as_of_form, then = _as_of(provider_id, today)
    as_of = None if as_of_form.as_of.errors else as_of_form.as_of.data
    return render_template(
        template,
        provider=row,
        listing=current,
        pending=pending_changes(current, pending),
        actions=ACTIONS_BY_STATUS.get(row.status, ()),
        can_check=row.status in ACTIVE,
        history=[tell(entry) for entry in history(engine, provider_id)],
        reports=reports_for(engine, provider_id),
        desk=desks_for(engine, [provider_id]).get(provider_id),
        desk_notes=desk_notes_for(engine, provider_id),
        me=current_user.account_id,
        today=today,
        renewal_horizon=today + RENEWAL_WINDOW,
        as_of=as_of,
        as_of_form=as_of_form,
        then=then,
        then_listing=then.public_listing() if then else None,
        then_values={**then.listing_values(), "email": then.email} if then else None,
        form=VersionForm(version=row.version),
        check_forms={
            check: (posted or {}).get(check) or form_class(formdata=None, version=row.version)
            for check, form_class in CHECK_FORMS.items()
        },
        message=message,
        error=error,
        warning=warning,
    )


class AsOfForm(Form):  # type: ignore[misc]
    """The day to see the listing on, in the three boxes (a GET form: nothing to protect)."""

    as_of = UKDateField(_l("Date"))


def _as_of(provider_id: UUID, today: date) -> tuple[AsOfForm, Any]:
    """The provider as it stood at the end of the day asked for: in the boxes
    (?as_of-day=…&as_of-month=…&as_of-year=…) or, from a link, ?as_of=YYYY-MM-DD. A day still
    to come is refused: the log knows nothing of it, and "today's listing" would be a guess."""
    form = AsOfForm(request.args)
    field = form.as_of
    linked = request.args.get("as_of", "").strip()[:40]
    if linked and field.data is None and not field.process_errors:
        try:
            field.data = parse_date(linked)
            field.parts = {
                "day": str(field.data.day),
                "month": str(field.data.month),
                "year": str(field.data.year),
            }
        except Invalid as error:
            field.errors = [translate(error.message)]
            field.parts = {"day": "", "month": "", "year": ""}
            return form, None
    if field.process_errors:
        field.errors = list(field.process_errors)
        return form, None
    day = field.data
    if day is None:
        return form, None
    if day > today:
        field.errors = [
            _(
                "%(d)s has not come yet. Enter today's date or an earlier one.",
                d=format_date(day, "long"),
            )
        ]
        return form, None
    return form, runtime().app.directory.provider_on(provider_id, day)


# -- decisions and checks ----------------------------------------------------------------------

Command = Callable[[UUID, UUID, Any], Done]


def _note(form: Any) -> str:
    return str(form.text.data or "")


DECISIONS: dict[str, tuple[type[Any], Callable[..., Done], Any]] = {
    # action: (form, command, success message)
    "start-review": (
        VersionForm,
        lambda d, pid, by, f: d.start_review(pid, by=by, expected_version=f.version.data),
        _l("You are now reviewing %(name)s."),
    ),
    "request-info": (
        NoteForm,
        lambda d, pid, by, f: d.request_information(
            pid, by=by, question=_note(f), expected_version=f.version.data
        ),
        _l("Your question was sent to %(name)s."),
    ),
    "approve": (
        VersionForm,
        lambda d, pid, by, f: d.approve(pid, by=by, expected_version=f.version.data),
        _l("%(name)s is approved and now listed."),
    ),
    "decline": (
        NoteForm,
        lambda d, pid, by, f: d.decline(
            pid, by=by, reason=_note(f), expected_version=f.version.data
        ),
        _l("%(name)s was declined."),
    ),
    "suspend": (
        NoteForm,
        lambda d, pid, by, f: d.suspend(
            pid, by=by, reason=_note(f), expected_version=f.version.data
        ),
        _l("%(name)s is suspended and no longer listed."),
    ),
    "reinstate": (
        NoteForm,
        lambda d, pid, by, f: d.reinstate(
            pid, by=by, note=_note(f), expected_version=f.version.data
        ),
        _l("%(name)s is reinstated and listed again."),
    ),
    "remove": (
        NoteForm,
        lambda d, pid, by, f: d.remove(
            pid, by=by, reason=_note(f), expected_version=f.version.data
        ),
        _l("%(name)s was removed from the directory."),
    ),
    "approve-edit": (
        VersionForm,
        lambda d, pid, by, f: d.approve_edit(pid, by=by, expected_version=f.version.data),
        _l("The changes to %(name)s are approved and now public."),
    ),
    "reject-edit": (
        NoteForm,
        lambda d, pid, by, f: d.reject_edit(
            pid, by=by, reason=_note(f), expected_version=f.version.data
        ),
        _l("The changes to %(name)s were turned down."),
    ),
}


@bp.post("/providers/<uuid:provider_id>/<action>")
@role_required(Role.CIC_ADMIN)
def decide(provider_id: UUID, action: str) -> str | Response:
    if action not in DECISIONS:
        abort(404)
    row = provider_row(runtime().read_engine, provider_id)
    if row is None:
        abort(404)
    form_class, command, success = DECISIONS[action]
    form = form_class()
    if not form.validate_on_submit() or form.version.data is None:
        problems = [e for errors in form.errors.values() for e in errors if isinstance(e, str)]
        return _answer(
            provider_id,
            error=problems[0] if problems else _("Something was missing from the form. Try again."),
        )
    try:
        settle(command(runtime().app.directory, provider_id, current_user.account_id, form))
    except StaleState as error:
        return _answer(provider_id, error=translate(error.message))
    except DomainError as error:
        return _answer(provider_id, error=translate(error.message))
    return _answer(provider_id, message=str(success) % {"name": row.name})


def _answer(
    provider_id: UUID, message: str | None = None, error: str | None = None
) -> str | Response:
    """htmx: the part of the page the action came from, refreshed. Otherwise: redirect back."""
    from_queue = request.form.get("back") == "queue"
    if htmx:
        if from_queue or htmx.target != "provider-panel":
            return _queue_page(
                _filters(kind=request.args.get("kind")), message=message, error=error
            )
        return _panel(provider_id, message=message, error=error)
    if message:
        flash(message, "success")
    if error:
        flash(error, "error")
    if from_queue and message:
        return redirect(url_for("admin.queue", kind=request.args.get("kind", "applications")))
    return redirect(url_for("admin.provider", provider_id=provider_id))


@bp.post("/reports/<uuid:report_id>/resolve")
@role_required(Role.CIC_ADMIN)
def resolve_report(report_id: UUID) -> str | Response:
    report = report_row(runtime().read_engine, report_id)
    if report is None:
        abort(404)
    form = NoteForm()
    message = error = None
    if not form.validate_on_submit() or form.version.data is None:
        error = _("Something was missing from the form. Try again.")
    else:
        try:
            settle(
                runtime().app.directory.resolve_report(
                    report_id,
                    by=current_user.account_id,
                    note=_note(form),
                    expected_version=form.version.data,
                )
            )
            message = _("The report is marked as dealt with.")
        except DomainError as problem:
            error = translate(problem.message)
    if request.form.get("back") == "queue":
        if htmx:
            return _queue_page(_filters(kind="reports"), message=message, error=error)
        flash(message or error or "", "success" if message else "error")
        return redirect(url_for("admin.queue", kind="reports"))
    return _answer(report.provider_id, message=message, error=error)


# -- the desk: who has taken an item, internal notes -------------------------------------------


def _desk_answer(provider_id: UUID, message: str | None, error: str | None) -> str | Response:
    """Back where the button was: the queue (its filters kept) or the provider's page."""
    if request.form.get("back") == "queue":
        kind = request.args.get("kind", "applications")
        if htmx:
            return _queue_page(_filters(kind=kind), message=message, error=error)
        flash(message or error or "", "success" if message else "error")
        args: dict[str, Any] = {
            k: v for k, v in request.args.items() if k in ("kind", "assigned", "sort", "q")
        }
        return redirect(url_for("admin.queue", **args))
    return _answer(provider_id, message=message, error=error)


def _named(provider_id: UUID) -> str:
    row = provider_row(runtime().read_engine, provider_id)
    if row is None:
        abort(404)
    return row.name


@bp.post("/providers/<uuid:provider_id>/assign")
@role_required(Role.CIC_ADMIN)
def assign(provider_id: UUID) -> str | Response:
    name = _named(provider_id)
    return _desk_command(
        provider_id,
        lambda d: d.assign(
            provider_id, by=current_user.account_id, assignee=current_user.account_id
        ),
        _("%(name)s is assigned to you.", name=name),
    )


@bp.post("/providers/<uuid:provider_id>/unassign")
@role_required(Role.CIC_ADMIN)
def unassign(provider_id: UUID) -> str | Response:
    name = _named(provider_id)
    return _desk_command(
        provider_id,
        lambda d: d.unassign(provider_id, by=current_user.account_id),
        _("Nobody is assigned to %(name)s now.", name=name),
    )


@bp.post("/providers/<uuid:provider_id>/notes")
@role_required(Role.CIC_ADMIN)
def add_note(provider_id: UUID) -> str | Response:
    _named(provider_id)
    text = request.form.get("note", "")
    return _desk_command(
        provider_id,
        lambda d: d.add_note(provider_id, by=current_user.account_id, text=text),
        _("Your note is saved. Only administrators see it."),
    )


def _desk_command(
    provider_id: UUID, command: Callable[[Any], Done], success: str
) -> str | Response:
    if not PlainForm().validate_on_submit():
        return _desk_answer(provider_id, None, _("Something was missing from the form. Try again."))
    try:
        settle(command(runtime().app.directory))
    except DomainError as error:
        return _desk_answer(provider_id, None, translate(error.message))
    return _desk_answer(provider_id, success, None)


# -- a decision, confirmed on a page of its own ------------------------------------------------

CONFIRMED = ("approve", "decline")


@bp.route("/providers/<uuid:provider_id>/confirm/<action>", methods=["GET", "POST"])
@role_required(Role.CIC_ADMIN)
def confirm_decision(provider_id: UUID, action: str) -> str | Response | tuple[str, int]:
    """Approve or decline, seen in full first: the provider, the checks on record and what the
    decision will do. GET shows it; POST decides (no JavaScript needed)."""
    if action not in CONFIRMED:
        abort(404)
    engine = runtime().read_engine
    row = provider_row(engine, provider_id)
    if row is None:
        abort(404)
    today = _today()
    form_class, command, success = DECISIONS[action]
    form = form_class(version=row.version)
    error = None
    if request.method == "POST":
        if not form.validate_on_submit() or form.version.data is None:
            error = _("Something was missing from the form. Try again.")
        else:
            try:
                settle(command(runtime().app.directory, provider_id, current_user.account_id, form))
            except DomainError as problem:
                error = translate(problem.message)
            else:
                flash(str(success) % {"name": row.name}, "success")
                return redirect(url_for("admin.queue", kind="applications"))
        row = provider_row(engine, provider_id) or row
    allowed = action in ACTIONS_BY_STATUS.get(row.status, ())
    page = render_template(
        "admin/confirm_decision.html",
        provider=row,
        action=action,
        allowed=allowed,
        problems=[
            translate(p)
            for p in check_problems(row.pvg_renewal_due, row.insurance_expires_on, today)
        ]
        if action == "approve"
        else [],
        today=today,
        renewal_horizon=today + RENEWAL_WINDOW,
        version=row.version,
        typed=request.form.get("text", "") if request.method == "POST" else "",
        error=error,
    )
    return (page, 400) if error else page
