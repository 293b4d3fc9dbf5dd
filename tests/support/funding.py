"""A funding world: a three-year fund and a one-year fund, two tiers with allocations, a
public experiment funded across two cycles with spend, and a team-only one funded too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from cairn.bootstrap.runtime import Runtime
from cairn.domain.funding.years import financial_year
from cairn.domain.learning.vocabulary import ADAPT, PUBLIC, TEAM
from tests.support.learning import TODAY, People, days_ago, experiment, settle_all

# The financial year today falls in: the three-year fund starts with it.
THIS_YEAR = financial_year(TODAY)


@dataclass
class FundingWorld:
    fund: UUID
    small_fund: UUID
    tier_1: UUID
    tier_2: UUID
    cycle_1: UUID
    cycle_2: UUID
    hidden: UUID
    first: UUID  # the commitment to cycle 1
    second: UUID  # the commitment to cycle 2
    hidden_commitment: UUID


def funding_world(runtime: Runtime, people: People) -> FundingWorld:
    funding = runtime.app.funding
    learning = runtime.app.learning
    admin, ann = people.admin, people.ann
    fund = funding.open_fund(
        "North Lanarkshire ADP",
        "Test and learn fund",
        starts_on=date(THIS_YEAR, 4, 1),
        ends_on=date(THIS_YEAR + 3, 3, 31),
        restricted=True,
        by=admin,
    ).id
    small_fund = funding.open_fund(
        "Scottish Government",
        "Local improvement fund",
        starts_on=date(THIS_YEAR, 4, 1),
        ends_on=date(THIS_YEAR + 1, 3, 31),
        restricted=False,
        by=admin,
    ).id
    tier_1 = funding.define_tier(1, "Universal and preventative", by=admin).id
    tier_2 = funding.define_tier(2, "Early help", by=admin).id
    for year in range(THIS_YEAR, THIS_YEAR + 3):
        funding.allocate(fund, tier_1, year, Decimal("30000"), by=admin)
        funding.allocate(fund, tier_2, year, Decimal("20000"), by=admin)
    funding.allocate(small_fund, tier_2, THIS_YEAR, Decimal("8000"), by=admin)

    cycle_1 = learning.propose_experiment(
        people.team_a, experiment(visibility=PUBLIC), by=ann, proposed_on=days_ago(90)
    ).id
    learning.start_experiment(cycle_1, by=ann, on=days_ago(80))
    learning.begin_sense_making(cycle_1, by=ann, on=days_ago(40))
    cycle_2 = learning.conclude_experiment(
        cycle_1,
        ADAPT,
        learned="People came back when the lift was booked for them.",
        reason="Booking by phone was the barrier.",
        against_prediction="Fewer came back than we predicted.",
        next_try="Book the lifts for people at the day centre.",
        by=ann,
        on=days_ago(30),
    ).id
    learning.start_experiment(cycle_2, by=ann, on=days_ago(20))
    hidden = learning.propose_experiment(
        people.team_a,
        experiment(title="Quiet pilot at the surgery", visibility=TEAM),
        by=ann,
        proposed_on=days_ago(50),
    ).id
    learning.start_experiment(hidden, by=ann, on=days_ago(45))

    first = funding.commit(
        cycle_1,
        tier_id=tier_1,
        starts_on=days_ago(80),
        months=36,
        parts={fund: Decimal("36000")},
        by=admin,
    ).id
    second = funding.commit(
        cycle_2,
        tier_id=tier_2,
        starts_on=days_ago(20),
        months=6,
        parts={fund: Decimal("4000"), small_fund: Decimal("2000")},
        by=admin,
    ).id
    hidden_commitment = funding.commit(
        hidden,
        tier_id=tier_2,
        starts_on=days_ago(45),
        months=12,
        parts={small_fund: Decimal("5000")},
        by=admin,
    ).id
    funding.record_spend(first, Decimal("2500"), on=days_ago(10), by=admin)
    funding.record_spend(second, Decimal("6500.50"), on=days_ago(5), by=admin)
    settle_all(runtime)
    return FundingWorld(
        fund,
        small_fund,
        tier_1,
        tier_2,
        cycle_1,
        cycle_2,
        hidden,
        first,
        second,
        hidden_commitment,
    )
