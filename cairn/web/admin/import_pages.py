"""Import in the browser: upload a provider CSV, read a dry-run preview (new rows, changed rows
field by field, unchanged rows, bad rows with their value and provider), then apply all of it or
none. The same engine as `cairn import-providers` (cairn.domain.directory.importer). Part of the
admin blueprint.

Between preview and apply the upload waits in an encrypted stash whose key only the
administrator's browser holds (cairn.infrastructure.upload_stash). "Apply" plans the file again
against the directory as it is then, and goes ahead only if that plan is the one previewed."""

from __future__ import annotations

import io
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today
from cairn.domain.directory.csv_format import COLUMN_NAMES, parse_provider_csv
from cairn.domain.directory.importer import ImportPlan, plan_import, save_plan
from cairn.domain.errors import DomainError
from cairn.infrastructure.upload_stash import Stashed, StashGone, UploadStash
from cairn.web.admin.blueprint import bp
from cairn.web.auth import role_required
from cairn.web.commanding import runtime
from cairn.web.forms import PlainForm
from cairn.web.i18n import translate
from cairn.web.listing_changes import field_label, show_value

# Below the site's own request limit, so an oversize file gets this page's message.
IMPORT_MAX_BYTES = 1024 * 1024

# How files that are not CSV text begin: a spreadsheet saved in its own format, or a document.
NOT_CSV_SIGNATURES = (
    (b"PK\x03\x04", "xlsx"),  # .xlsx and .ods are zip files
    (b"\xd0\xcf\x11\xe0", "xls"),  # the old Excel format
    (b"%PDF", "pdf"),
)


def _stash() -> UploadStash:
    return UploadStash(runtime().settings.data_dir / "import-stash")


@bp.get("/import")
@role_required(Role.CIC_ADMIN)
def import_upload() -> str:
    return render_template("admin/import.html", columns=COLUMN_NAMES, error=None)


@bp.post("/import")
@role_required(Role.CIC_ADMIN)
def import_preview() -> str | tuple[str, int]:
    """Check the upload and show what importing it would do. Nothing is saved."""
    if not PlainForm().validate_on_submit():
        return _refused(_("Something was missing from the form. Try again."))
    upload = request.files.get("file")
    data, problem = _read_upload(upload)
    if problem:
        return _refused(problem)
    assert data is not None
    plan = _plan(data)
    stashed = _stash().put(data, current_user.account_id) if plan.ok else None
    filename = upload.filename if upload is not None else ""
    return _preview(plan, stashed, filename or "", warning=None)


@bp.post("/import/apply")
@role_required(Role.CIC_ADMIN)
def import_apply() -> str | tuple[str, int] | Response:
    """Apply the previewed file: all its rows or none."""
    form = request.form
    if not PlainForm().validate_on_submit():
        return _refused(_("Something was missing from the form. Try again."))
    stashed = Stashed(form.get("token", ""), form.get("key", ""))
    filename = form.get("filename", "")[:200]
    try:
        data = _stash().get(stashed, current_user.account_id)
    except StashGone:
        return _refused(
            _(
                "That upload is no longer kept (it was applied, or is over 30 minutes old). "
                "Upload the file again."
            )
        )
    plan = _plan(data)
    if plan.fingerprint() != form.get("fingerprint", ""):
        # The directory changed since the preview: show what the file would do now.
        warning = _(
            "The directory has changed since your preview, so nothing was imported. "
            "Check the preview again, then apply."
        )
        return _preview(plan, stashed if plan.ok else None, filename, warning=warning)
    try:
        settle_position = save_plan(runtime().app, plan, batch=None)  # all of it or nothing
    except DomainError as error:
        return _refused(translate(error.message))
    runtime().wait_for(settle_position)
    _stash().drop(stashed.token)
    flash(
        _(
            "Imported %(file)s: %(new)d new, %(changed)d changed (waiting for review), "
            "%(same)d unchanged.",
            file=filename or _("the file"),
            new=len(plan.new),
            changed=len(plan.changed),
            same=len(plan.unchanged),
        ),
        "success",
    )
    return redirect(url_for("admin.import_upload"))


def _plan(data: bytes) -> ImportPlan:
    rt = runtime()
    text = io.StringIO(data.decode("utf-8-sig"), newline="")
    return plan_import(rt.app, parse_provider_csv(text), today=today(rt.app.clock))


def _read_upload(upload: FileStorage | None) -> tuple[bytes | None, str | None]:
    """The file's bytes, or why it cannot be imported."""
    if upload is None or not upload.filename:
        return None, _("Choose a CSV file to upload.")
    data = upload.stream.read(IMPORT_MAX_BYTES + 1)
    if len(data) > IMPORT_MAX_BYTES:
        return None, _(
            "The file is larger than 1 MB. Split it into smaller files and import each one."
        )
    if not data.strip():
        return None, _("The file is empty. Add a header row and one row for each provider.")
    for signature, kind in NOT_CSV_SIGNATURES:
        if data.startswith(signature):
            if kind == "pdf":
                return None, _(
                    "This is a PDF, not a CSV file. Upload the spreadsheet saved as CSV UTF-8."
                )
            return None, _(
                "This is a spreadsheet workbook, not a CSV file. In your spreadsheet, choose "
                "Save as, then CSV UTF-8, and upload that file."
            )
    if b"\x00" in data:
        return None, _("This is not a text file. Upload the spreadsheet saved as CSV UTF-8.")
    if not upload.filename.lower().endswith((".csv", ".txt")):
        return None, _("Upload a file whose name ends in .csv, saved as CSV UTF-8.")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, _(
            "The file must be saved as CSV UTF-8. Save it again in that format and upload it."
        )
    return data, None


def _refused(message: str) -> tuple[str, int]:
    return render_template("admin/import.html", columns=COLUMN_NAMES, error=message), 400


def _preview(
    plan: ImportPlan, stashed: Stashed | None, filename: str, warning: str | None
) -> str | tuple[str, int]:
    page = render_template(
        "admin/import_preview.html",
        plan=plan,
        bad_rows=_bad_rows(plan),
        changed=[
            {
                "row": row,
                "changes": [
                    (
                        field_label(c.field),
                        show_value(c.field, c.before),
                        show_value(c.field, c.after),
                    )
                    for c in row.changes
                ],
            }
            for row in plan.changed
        ],
        stashed=stashed,
        fingerprint=plan.fingerprint(),
        filename=filename,
        warning=warning,
    )
    return (page, 400) if not plan.ok else page


def _bad_rows(plan: ImportPlan) -> list[dict[str, Any]]:
    return [
        {
            "line": error.line,
            "provider": error.provider,
            "column": error.column,
            "value": error.value,
            "message": translate(error.message),
        }
        for error in plan.errors
    ]
