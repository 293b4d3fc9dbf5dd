"""Unmet demand for the CIC: searches that found nobody, by district and service over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Blueprint, render_template, request

from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today
from cairn.readmodels.enquiries.queries import DemandMonth, demand_by_month, unmet_demand_table
from cairn.search.providers.query import clamp_int
from cairn.search.providers.search import coverage
from cairn.web.auth import role_required
from cairn.web.commanding import runtime
from cairn.web.i18n import service_label

bp = Blueprint("demand", __name__, template_folder="templates", url_prefix="/admin")

PERIODS = (3, 6, 12, 24)  # months to look back
CHART_HEIGHT = 120  # the bar chart's drawing height, in its own units


@dataclass(frozen=True)
class Bar:
    month: str
    searches: int
    x: int
    height: int


def bars(trend: list[DemandMonth], width: int = 40) -> list[Bar]:
    """The monthly counts as bars for the inline chart beside their table."""
    most = max((m.searches for m in trend), default=0) or 1
    return [
        Bar(m.month, m.searches, i * width, round(CHART_HEIGHT * m.searches / most))
        for i, m in enumerate(trend)
    ]


@bp.get("/unmet-demand")
@role_required(Role.CIC_ADMIN)
def unmet_demand() -> str:
    rt = runtime()
    now = today(rt.app.clock)
    months_back = clamp_int(request.args.get("months"), 6, 1, 24)
    since = (now - timedelta(days=31 * months_back)).replace(day=1)
    known = rt.directory.gazetteer.districts
    months, rows = unmet_demand_table(rt.read_engine, since, known)
    trend = demand_by_month(rt.read_engine, since, now, known)
    listed = {
        (row.district, row.service): coverage(rt.directory, row.district, row.service or None, now)
        for row in rows
    }
    return render_template(
        "demand/unmet_demand.html",
        months=months,
        rows=rows,
        trend=trend,
        trend_bars=bars(trend),
        listed=listed,
        months_back=months_back,
        periods=PERIODS,
        service_label=service_label,
        chart_height=CHART_HEIGHT,
    )
