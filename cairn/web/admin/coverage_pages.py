"""Coverage: how many listed providers offer each service in each district, on a page and as
CSV. Part of the admin blueprint."""

from __future__ import annotations

import csv
import io

from flask import render_template
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.service_types import all_service_types
from cairn.readmodels.directory.queries import coverage
from cairn.web.admin.blueprint import bp
from cairn.web.auth import role_required
from cairn.web.commanding import runtime


@bp.get("/coverage")
@role_required(Role.CIC_ADMIN)
def coverage_table() -> str:
    types = all_service_types()
    table = coverage(runtime().read_engine, [t.key for t in types])
    return render_template("admin/coverage.html", table=table, types=types)


@bp.get("/coverage.csv")
@role_required(Role.CIC_ADMIN)
def coverage_csv() -> Response:
    types = all_service_types()
    table = coverage(runtime().read_engine, [t.key for t in types])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["district", *[t.key for t in types]])
    for district in table.districts:
        writer.writerow([district, *[table.count(district, t.key) for t in types]])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=cairn-coverage.csv"},
    )
