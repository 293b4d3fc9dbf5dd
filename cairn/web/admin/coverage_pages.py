"""Coverage and gaps: every district of the council areas the CIC serves, how many listed
providers cover each for each service, the applications waiting and the searches that found
nobody there, with a map; the providers behind a cell; and the table as CSV. Part of the admin
blueprint."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today
from cairn.domain.service_types import all_service_types, is_service_type
from cairn.domain.validation import Invalid, normalise_district
from cairn.readmodels.directory.coverage import CoverageBoard, coverage_board
from cairn.readmodels.directory.other_provision import other_provision_by_district
from cairn.readmodels.directory.queries import providers_covering
from cairn.readmodels.enquiries.queries import demand_by_district
from cairn.web.admin.blueprint import bp
from cairn.web.admin.coverage_map import coverage_map
from cairn.web.auth import role_required
from cairn.web.commanding import runtime

DEMAND_MONTHS = 12  # the unmet demand counted beside coverage: the last year's
DEMAND_DAYS = 365


def _board() -> CoverageBoard:
    rt = runtime()
    since = today(rt.app.clock) - timedelta(days=DEMAND_DAYS)
    return coverage_board(
        rt.read_engine,
        rt.directory.gazetteer.districts,
        [t.key for t in all_service_types()],
        demand_by_district(rt.read_engine, since),
        other_provision_by_district(rt.read_engine),
    )


@bp.get("/coverage")
@role_required(Role.CIC_ADMIN)
def coverage_table() -> str:
    """Every area served, or the one chosen (?area=South Ayrshire): a big CIC serves many."""
    board = _board()
    chosen = request.args.get("area", "").strip()
    shown = [a for a in board.areas if a.council == chosen] or board.areas
    chosen = chosen if len(shown) == 1 and shown[0].council == chosen else ""
    return render_template(
        "admin/coverage.html",
        board=board,
        shown=shown,
        chosen=chosen,
        types=all_service_types(),
        district_map=coverage_map([d for a in shown for d in a.districts]),
        demand_months=DEMAND_MONTHS,
    )


@bp.get("/coverage/providers")
@role_required(Role.CIC_ADMIN)
def coverage_providers() -> str:
    """The listed providers behind one cell: a district, and a service or every service."""
    try:
        district = normalise_district(request.args.get("district", ""))
    except Invalid:
        abort(404)
    service = request.args.get("service", "").strip()
    if service and not is_service_type(service):
        abort(404)
    rt = runtime()
    known = rt.directory.gazetteer.districts.get(district)
    return render_template(
        "admin/coverage_providers.html",
        district=district,
        town=known.town if known else "",
        service=service,
        rows=providers_covering(rt.read_engine, district, service or None),
    )


@bp.get("/coverage.csv")
@role_required(Role.CIC_ADMIN)
def coverage_csv() -> Response:
    board = _board()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "council_area",
            "district",
            "town",
            *board.services,
            "providers",
            "pending",
            "demand",
            "other_provision",
        ]
    )
    for area in board.areas:
        for d in area.districts:
            writer.writerow(
                [
                    area.council,
                    d.code,
                    d.district.town,
                    *[d.count(s) for s in board.services],
                    d.providers,
                    d.pending,
                    d.demand,
                    d.other,
                ]
            )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=cairn-coverage.csv"},
    )
