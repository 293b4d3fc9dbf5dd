"""The public funding page and its open data: what is available and committed each financial
year by tier and by fund, every published experiment's funding across its cycles, and the
funding of work not yet published, counted but not named. All from the record, so current."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import Response, render_template
from flask_babel import format_currency
from flask_babel import gettext as _

from cairn.domain.money import PENNY
from cairn.readmodels.funding.open_data import as_json, experiments_csv, years_csv
from cairn.readmodels.funding.queries import funding_tables
from cairn.readmodels.funding.report import ExperimentFacts, FundingReport, build_report
from cairn.readmodels.learning import queries as q
from cairn.web.commanding import runtime
from cairn.web.learning.common import funding_bp


def money(amount: Decimal) -> str:
    """£45,000 when whole, £45,000.50 when not: pence only where there are some."""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return str(format_currency(amount, "GBP", format="¤#,##0", currency_digits=False))
    return str(format_currency(amount.quantize(PENNY), "GBP"))


def bar_width(value: Decimal, top: Decimal) -> str:
    """A bar's length as a share of the chart's widest, 0 to 100 (an SVG width)."""
    if top <= 0:
        return "0"
    return f"{float(value / top * 100):.1f}"


@funding_bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(money=money, bar_width=bar_width)


def current_report(*, no_tier_name: str) -> FundingReport:
    engine = runtime().read_engine
    facts = [ExperimentFacts(**row) for row in q.funding_facts(engine)]
    return build_report(funding_tables(engine), facts, no_tier_name=no_tier_name)


@funding_bp.get("/funding")
def funding() -> str:
    report = current_report(no_tier_name=_("No tier given"))
    return render_template("learning/funding.html", report=report)


def _download(body: str, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@funding_bp.get("/funding/years.csv")
def years_download() -> Response:
    report = current_report(no_tier_name="")
    return _download(years_csv(report), "funding-years.csv", "text/csv")


@funding_bp.get("/funding/experiments.csv")
def experiments_download() -> Response:
    report = current_report(no_tier_name="")
    return _download(experiments_csv(report), "funding-experiments.csv", "text/csv")


@funding_bp.get("/funding.json")
def json_download() -> Response:
    report = current_report(no_tier_name="")
    body = json.dumps(as_json(report), ensure_ascii=False, indent=2)
    return _download(body, "funding.json", "application/json")
