"""The funding report as open data: two CSV files and one JSON document, in the shape
docs/funding.md describes. Column names and keys are English and stable (a reader's script
depends on them); amounts are exact strings with two places ("45000.00"); dates ISO 8601;
stages and outcomes are Cairn's keys ("running", "adapt")."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from cairn.readmodels.funding.report import (
    CommitmentLine,
    FundingReport,
    FundKey,
    TierKey,
)

SHAPE_VERSION = 1

YEAR_COLUMNS = (
    "financial_year",
    "breakdown",
    "tier_number",
    "tier",
    "funder",
    "fund",
    "available",
    "committed",
)

EXPERIMENT_COLUMNS = (
    "published",
    "experiment_id",
    "experiment",
    "team",
    "stage",
    "outcome",
    "cycle",
    "cycle_id",
    "commitment_id",
    "starts_on",
    "ends_on",
    "months",
    "tier_number",
    "tier",
    "funds",
    "commitments",
    "committed",
    "spent",
    "overspent",
)


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _tier(tier: TierKey) -> dict[str, Any]:
    return {"number": tier.number, "name": tier.name if tier.id is not None else None}


def _fund(fund: FundKey) -> dict[str, Any]:
    return {
        "id": str(fund.id) if fund.id else None,
        "funder": fund.funder,
        "fund": fund.name or None,
        "restricted": fund.restricted,
    }


def _csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def years_csv(report: FundingReport) -> str:
    rows: list[dict[str, Any]] = []
    for year in report.years:
        for line in year.tiers:
            assert isinstance(line.key, TierKey)
            rows.append(
                {
                    "financial_year": year.label,
                    "breakdown": "tier",
                    "tier_number": line.key.number,
                    "tier": _tier(line.key)["name"],
                    "available": _money(line.available),
                    "committed": _money(line.committed),
                }
            )
        for line in year.funds:
            assert isinstance(line.key, FundKey)
            rows.append(
                {
                    "financial_year": year.label,
                    "breakdown": "fund",
                    "funder": line.key.funder,
                    "fund": line.key.name,
                    "available": _money(line.available),
                    "committed": _money(line.committed),
                }
            )
        rows.append(
            {
                "financial_year": year.label,
                "breakdown": "not_yet_published",
                "committed": _money(year.not_yet_published),
            }
        )
    return _csv(YEAR_COLUMNS, rows)


def _funds_text(line: CommitmentLine) -> str:
    return "; ".join(
        f"{fund.funder}{': ' + fund.name if fund.name else ''} {_money(amount)}"
        for fund, amount in line.parts
    )


def experiments_csv(report: FundingReport) -> str:
    rows: list[dict[str, Any]] = []
    for experiment in report.experiments:
        latest = experiment.latest
        for cycle in experiment.cycles:
            for line in cycle.commitments:
                rows.append(
                    {
                        "published": "true",
                        "experiment_id": experiment.chain_id,
                        "experiment": latest.title,
                        "team": latest.team_name,
                        "stage": latest.stage,
                        "outcome": latest.outcome,
                        "cycle": cycle.facts.cycle,
                        "cycle_id": cycle.facts.id,
                        "commitment_id": line.id,
                        "starts_on": line.starts_on.isoformat(),
                        "ends_on": line.ends_on.isoformat(),
                        "months": line.months,
                        "tier_number": line.tier.number,
                        "tier": _tier(line.tier)["name"],
                        "funds": _funds_text(line),
                        "commitments": 1,
                        "committed": _money(line.amount),
                        "spent": _money(line.spent),
                        "overspent": _money(line.overspent),
                    }
                )
    hidden = report.not_yet_published
    rows.append(
        {
            "published": "false",
            "commitments": hidden.commitments,
            "committed": _money(hidden.amount),
        }
    )
    return _csv(EXPERIMENT_COLUMNS, rows)


def _commitment(line: CommitmentLine) -> dict[str, Any]:
    return {
        "id": str(line.id) if line.id else None,
        "recorded": line.id is not None,
        "starts_on": line.starts_on.isoformat(),
        "ends_on": line.ends_on.isoformat(),
        "months": line.months,
        "tier": _tier(line.tier),
        "funds": [{**_fund(fund), "amount": _money(amount)} for fund, amount in line.parts],
        "committed": _money(line.amount),
        "spent": _money(line.spent),
        "overspent": _money(line.overspent),
    }


def as_json(report: FundingReport) -> dict[str, Any]:
    return {
        "shape_version": SHAPE_VERSION,
        "currency": "GBP",
        "totals": {
            "available": _money(report.available),
            "committed": _money(report.committed),
            "spent": _money(report.spent),
        },
        "not_yet_published": {
            "committed": _money(report.not_yet_published.amount),
            "commitments": report.not_yet_published.commitments,
        },
        "financial_years": [
            {
                "financial_year": year.label,
                "starts_on": year.starts_on.isoformat(),
                "ends_on": year.ends_on.isoformat(),
                "available": _money(year.available),
                "committed": _money(year.committed),
                "not_yet_published": _money(year.not_yet_published),
                "by_tier": [
                    {
                        **_tier(line.key),  # type: ignore[arg-type]
                        "available": _money(line.available),
                        "committed": _money(line.committed),
                    }
                    for line in year.tiers
                ],
                "by_fund": [
                    {
                        **_fund(line.key),  # type: ignore[arg-type]
                        "available": _money(line.available),
                        "committed": _money(line.committed),
                    }
                    for line in year.funds
                ],
            }
            for year in report.years
        ],
        "experiments": [
            {
                "id": str(experiment.chain_id),
                "title": experiment.latest.title,
                "team": experiment.latest.team_name,
                "stage": experiment.latest.stage,
                "outcome": experiment.latest.outcome,
                "learned": experiment.learned.learned if experiment.learned else None,
                "committed": _money(experiment.committed),
                "spent": _money(experiment.spent),
                "overspent": _money(experiment.overspent),
                "cycles": [
                    {
                        "cycle": cycle.facts.cycle,
                        "id": str(cycle.facts.id),
                        "stage": cycle.facts.stage,
                        "outcome": cycle.facts.outcome,
                        "started_on": _iso(cycle.facts.started_on),
                        "concluded_on": _iso(cycle.facts.concluded_on),
                        "commitments": [_commitment(line) for line in cycle.commitments],
                    }
                    for cycle in experiment.cycles
                ],
            }
            for experiment in report.experiments
        ],
    }


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None
