"""Other provision beside the CIC's own: load the services councils, the NHS and the third
sector already run, from an Open Referral UK feed saved as JSON or from a spreadsheet saved as
CSV; see them per district from the coverage board; remove a source. Part of the admin
blueprint."""

from __future__ import annotations

from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.directory.other_provision import MAX_SOURCE_NAME
from cairn.domain.directory.provision_files import CSV_COLUMNS, ProvisionFile, read_provision_file
from cairn.domain.errors import DomainError
from cairn.domain.validation import Invalid, normalise_district
from cairn.readmodels.directory.other_provision import (
    SourceRow,
    other_services_in,
    provision_source_rows,
)
from cairn.web.admin.blueprint import bp
from cairn.web.admin.import_pages import NOT_CSV_SIGNATURES
from cairn.web.auth import role_required
from cairn.web.commanding import runtime
from cairn.web.forms import PlainForm
from cairn.web.i18n import translate

# A region's whole feed saved as JSON fits; the request limit for this page is raised to match
# (cairn.web.uploads).
PROVISION_MAX_BYTES = 10 * 1024 * 1024
LEFT_OUT_NAMED = 10  # of the services naming no place in Scotland, the first few are named


@bp.get("/other-provision")
@role_required(Role.CIC_ADMIN)
def other_provision() -> str:
    return _page()


@bp.post("/other-provision")
@role_required(Role.CIC_ADMIN)
def load_other_provision() -> str | tuple[str, int] | Response:
    """Read the file and load its services as the named source, all of them or none."""
    if not PlainForm().validate_on_submit():
        return _page(error=_("Something was missing from the form. Try again.")), 400
    source = " ".join(request.form.get("source", "").split())
    if not source:
        return _page(
            error=_("Enter the name of the source, like North Ayrshire Council."), field="source"
        ), 400
    if len(source) > MAX_SOURCE_NAME:
        return _page(
            error=_("Enter a name of 120 characters or fewer."),
            field="source",
            source=source[:MAX_SOURCE_NAME],
        ), 400
    text, problem = _read_upload(request.files.get("file"))
    if problem:
        return _page(error=problem, source=source), 400
    assert text is not None
    parsed = read_provision_file(text, runtime().directory.gazetteer)
    if parsed.problems:
        return _page(parsed=parsed, source=source), 400
    try:
        done = runtime().app.directory.load_other_provision(
            source, parsed.kind, list(parsed.services), by=current_user.account_id
        )
    except DomainError as error:
        return _page(error=translate(error.message), source=source), 400
    runtime().wait_for(done.position)
    flash(
        ngettext(
            "Loaded %(num)d service from %(source)s.",
            "Loaded %(num)d services from %(source)s.",
            len(parsed.services),
            source=source,
        ),
        "success",
    )
    if parsed.left_out:
        named = ", ".join(parsed.left_out[:LEFT_OUT_NAMED])
        more = len(parsed.left_out) - LEFT_OUT_NAMED
        flash(
            ngettext(
                "%(num)d service names no place in Scotland and was left out: %(names)s.",
                "%(num)d services name no place in Scotland and were left out: %(names)s.",
                len(parsed.left_out),
                names=named + (_(" and %(more)d more", more=more) if more > 0 else ""),
            ),
            "info",
        )
    return redirect(url_for("admin.other_provision"))


@bp.get("/other-provision/<uuid:source_id>/remove")
@role_required(Role.CIC_ADMIN)
def confirm_remove_other_provision(source_id: UUID) -> str:
    source = _source(source_id)
    return render_template("admin/other_provision_remove.html", source=source, form=PlainForm())


@bp.post("/other-provision/<uuid:source_id>/remove")
@role_required(Role.CIC_ADMIN)
def remove_other_provision(source_id: UUID) -> str | tuple[str, int] | Response:
    source = _source(source_id)
    if not PlainForm().validate_on_submit():
        return _page(error=_("Something was missing from the form. Try again.")), 400
    try:
        done = runtime().app.directory.remove_other_provision(source_id, by=current_user.account_id)
    except DomainError as error:
        return _page(error=translate(error.message)), 400
    runtime().wait_for(done.position)
    flash(_("Removed %(source)s and its services.", source=source.name), "success")
    return redirect(url_for("admin.other_provision"))


@bp.get("/coverage/other")
@role_required(Role.CIC_ADMIN)
def coverage_other() -> str:
    """The other organisations' services serving one district (a cell of the board)."""
    try:
        district = normalise_district(request.args.get("district", ""))
    except Invalid:
        abort(404)
    rt = runtime()
    known = rt.directory.gazetteer.districts.get(district)
    return render_template(
        "admin/coverage_other.html",
        district=district,
        town=known.town if known else "",
        rows=other_services_in(rt.read_engine, district),
    )


def _source(source_id: UUID) -> SourceRow:
    found = [s for s in provision_source_rows(runtime().read_engine) if s.id == source_id]
    if not found:
        abort(404)
    return found[0]


def _page(
    *,
    error: str | None = None,
    field: str = "file",
    source: str = "",
    parsed: ProvisionFile | None = None,
) -> str:
    return render_template(
        "admin/other_provision.html",
        sources=provision_source_rows(runtime().read_engine),
        columns=CSV_COLUMNS,
        error=error,
        error_field=field,
        source=source,
        problems=[
            {"line": p.line, "column": p.column, "value": p.value, "message": translate(p.message)}
            for p in (parsed.problems if parsed else ())
        ],
        form=PlainForm(),
    )


def _read_upload(upload: FileStorage | None) -> tuple[str | None, str | None]:
    """The file's text, or why it cannot be read."""
    if upload is None or not upload.filename:
        return None, _("Choose a file to upload: a feed saved as JSON, or a CSV file.")
    data = upload.stream.read(PROVISION_MAX_BYTES + 1)
    if len(data) > PROVISION_MAX_BYTES:
        return None, _("The file is larger than 10 MB. Split it into smaller sources.")
    if not data.strip():
        return None, _("The file is empty.")
    if any(data.startswith(signature) for signature, _kind in NOT_CSV_SIGNATURES) or (
        b"\x00" in data
    ):
        return None, _(
            "This is not a JSON or CSV text file. Save the feed's answer as JSON, or the "
            "spreadsheet as CSV UTF-8, and upload that."
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, _("The file must be saved as UTF-8 text. Save it again and upload it.")
