"""The demo's funding, recorded as a partnership records it: four tiers of support, a
three-year fund allocated across them, commitments to the Carrick experiments that were
typed on the experiments (the same amounts, now with a tier and a fund) and the spend
against them, one cycle a little over. Leith's funding stays typed on its experiment, so the
demo shows both."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select

from cairn.demo.learning.people import Demo
from cairn.domain.funding.tiers import TIERS_ID
from cairn.domain.funding.years import financial_year
from cairn.readmodels.learning.experiments import learning_experiments

TIERS = (
    (1, "Universal and preventative"),
    (2, "Early help and community support"),
    (3, "Targeted support"),
    (4, "Specialist care"),
)
# What the fund makes available to each tier, each of its three years.
EACH_YEAR = (Decimal("20000"), Decimal("30000"), Decimal("15000"), Decimal("10000"))


def _cycle(demo: Demo, title: str, cycle: int) -> tuple[UUID, date]:
    x = learning_experiments
    with demo.runtime.read_engine.connect() as conn:
        row = conn.execute(
            select(x.c.id, x.c.started_on).where(x.c.title == title, x.c.cycle == cycle)
        ).one()
    return row.id, row.started_on


def already_there(demo: Demo) -> bool:
    return demo.runtime.app.exists(TIERS_ID)


def funding(demo: Demo) -> None:
    funding = demo.runtime.app.funding
    by = demo.admin_id
    tiers = [funding.define_tier(number, name, by=by).id for number, name in TIERS]
    first_year = financial_year(demo.ago(350))
    fund = funding.open_fund(
        "South Ayrshire Health and Social Care Partnership",
        "Carrick Partnership Learning Fund",
        starts_on=date(first_year, 4, 1),
        ends_on=date(first_year + 3, 3, 31),
        restricted=True,
        by=by,
    ).id
    for year in range(first_year, first_year + 3):
        for tier, amount in zip(tiers, EACH_YEAR, strict=True):
            funding.allocate(fund, tier, year, amount, by=by)

    lifts = "Community lifts to the Maybole day centre"
    for (title, cycle), tier, amount, months, spent in (
        ((lifts, 1), tiers[1], Decimal("18000"), 36, Decimal("9000")),
        ((lifts, 3), tiers[1], Decimal("24000"), 12, Decimal("25200")),
        (("Video check-ins on loaned tablets", 1), tiers[0], Decimal("6500"), 6, Decimal("6100")),
    ):
        experiment_id, started_on = _cycle(demo, title, cycle)
        commitment = funding.commit(
            experiment_id,
            tier_id=tier,
            starts_on=started_on,
            months=months,
            parts={fund: amount},
            by=by,
        ).id
        funding.record_spend(commitment, spent, on=demo.ago(20), by=by)
