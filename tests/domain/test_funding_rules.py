"""Funds, tiers, allocations, commitments and spend: the rules they keep, in memory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError, NotFound
from cairn.domain.funding.amounts import read_amount
from cairn.domain.funding.commands import NotAllowedToFund
from cairn.domain.funding.commitment import Commitment
from cairn.domain.funding.fund import Fund
from cairn.domain.funding.tiers import TIERS_ID, SupportTiers
from cairn.domain.funding.years import (
    ends_after,
    financial_year,
    spread_by_year,
    year_label,
)
from cairn.domain.money import PENNY
from cairn.domain.validation import Invalid
from tests.support.learning import experiment


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.fixture
def admin(app: CairnApp) -> UUID:
    return app.accounts.register(
        "admin@cic.example", "Ada", [Role.CIC_ADMIN], "correct-horse-battery"
    ).id


@pytest.fixture
def fund(app: CairnApp, admin: UUID) -> UUID:
    return app.funding.open_fund(
        "North Lanarkshire ADP",
        "Test and learn fund",
        starts_on=date(2026, 4, 1),
        ends_on=date(2029, 3, 31),
        restricted=True,
        by=admin,
    ).id


@pytest.fixture
def tier(app: CairnApp, admin: UUID) -> UUID:
    return app.funding.define_tier(1, "Universal and preventative", by=admin).id


@pytest.fixture
def an_experiment(app: CairnApp, admin: UUID) -> UUID:
    lead = app.accounts.register("lead@team.example", "Lee", [], "correct-horse-battery").id
    team = app.learning.form_team("Carrick", "Lifts", by=admin, lead_id=lead).id
    return app.learning.propose_experiment(team, experiment(), by=lead).id


# -- financial years ----------------------------------------------------------------------


def test_a_financial_year_runs_april_to_march() -> None:
    assert financial_year(date(2026, 4, 1)) == 2026
    assert financial_year(date(2027, 3, 31)) == 2026
    assert year_label(2026) == "2026–27"
    assert year_label(2099) == "2099–00"


def test_a_commitment_falls_across_years_by_its_months_and_adds_up() -> None:
    parts = spread_by_year(Decimal("45000"), date(2026, 9, 7), 36)
    # September to March is 7 months of £1,250; the last year takes the 5 months left.
    assert parts == {
        2026: Decimal("8750.00"),
        2027: Decimal("15000.00"),
        2028: Decimal("15000.00"),
        2029: Decimal("6250.00"),
    }
    assert ends_after(date(2026, 9, 7), 36) == date(2029, 8, 31)


def test_rounding_never_loses_a_penny() -> None:
    parts = spread_by_year(Decimal("1000.00"), date(2026, 1, 15), 7)
    assert sum(parts.values()) == Decimal("1000.00")
    assert all(p == p.quantize(PENNY) for p in parts.values())


# -- who may record ---------------------------------------------------------------------------


def test_only_a_cic_administrator_records_funding(app: CairnApp) -> None:
    someone = app.accounts.register("x@example.org", "X", [], "correct-horse-battery").id
    with pytest.raises(NotAllowedToFund):
        app.funding.open_fund(
            "ADP",
            "Fund",
            starts_on=date(2026, 4, 1),
            ends_on=date(2027, 3, 31),
            restricted=False,
            by=someone,
        )
    with pytest.raises(NotAllowedToFund):
        app.funding.define_tier(1, "Universal", by=someone)


# -- funds and allocations ---------------------------------------------------------------------


def test_a_fund_must_end_after_it_starts(app: CairnApp, admin: UUID) -> None:
    with pytest.raises(DomainError, match="end after it starts"):
        app.funding.open_fund(
            "ADP",
            "Fund",
            starts_on=date(2027, 4, 1),
            ends_on=date(2026, 4, 1),
            restricted=False,
            by=admin,
        )


def test_allocating_to_a_tier_and_correcting_it_are_two_events(
    app: CairnApp, admin: UUID, fund: UUID, tier: UUID
) -> None:
    app.funding.allocate(fund, tier, 2026, Decimal("40000"), by=admin)
    app.funding.allocate(fund, tier, 2026, Decimal("42000"), by=admin)
    loaded = app.load(Fund, fund)
    assert loaded.allocations == {(tier, 2026): Decimal("42000.00")}
    history = [type(e).__qualname__ for e in app.repository.event_store.get(fund)]
    assert history == ["Fund.Opened", "Fund.Allocated", "Fund.AllocationCorrected"]


def test_an_allocation_outside_the_funds_period_is_refused_and_nothing_saved(
    app: CairnApp, admin: UUID, fund: UUID, tier: UUID
) -> None:
    head = app.head()
    with pytest.raises(DomainError, match="2029–30 is outside the fund's period"):
        app.funding.allocate(fund, tier, 2029, Decimal("1000"), by=admin)
    assert app.head() == head


def test_a_negative_amount_is_refused(app: CairnApp, admin: UUID, fund: UUID, tier: UUID) -> None:
    with pytest.raises(DomainError, match="cannot be negative"):
        app.funding.allocate(fund, tier, 2026, Decimal("-5"), by=admin)


def test_an_allocation_needs_a_real_tier(app: CairnApp, admin: UUID, fund: UUID) -> None:
    with pytest.raises(DomainError, match="tiers of support"):
        app.funding.allocate(fund, uuid4(), 2026, Decimal("5"), by=admin)


def test_a_fund_cannot_shrink_around_its_allocations(
    app: CairnApp, admin: UUID, fund: UUID, tier: UUID
) -> None:
    app.funding.allocate(fund, tier, 2028, Decimal("1000"), by=admin)
    with pytest.raises(DomainError, match="2028–29"):
        app.funding.correct_fund(
            fund,
            "North Lanarkshire ADP",
            "Test and learn fund",
            starts_on=date(2026, 4, 1),
            ends_on=date(2028, 3, 31),
            restricted=True,
            by=admin,
        )
    app.funding.correct_fund(
        fund,
        "North Lanarkshire ADP",
        "Renamed fund",
        starts_on=date(2026, 4, 1),
        ends_on=date(2029, 3, 31),
        restricted=False,
        by=admin,
    )
    assert app.load(Fund, fund).name == "Renamed fund"
    assert not app.load(Fund, fund).restricted


# -- tiers ------------------------------------------------------------------------------------


def test_tier_numbers_are_unique_and_names_can_be_corrected(
    app: CairnApp, admin: UUID, tier: UUID
) -> None:
    with pytest.raises(DomainError, match="already a tier 1"):
        app.funding.define_tier(1, "Another", by=admin)
    app.funding.define_tier(2, "Early help", by=admin)
    app.funding.correct_tier(tier, 1, "Universal", by=admin)
    assert app.load(SupportTiers, TIERS_ID).tiers[tier] == (1, "Universal")


# -- commitments and spend -------------------------------------------------------------------


def test_a_commitment_from_two_funds_is_their_sum(
    app: CairnApp, admin: UUID, fund: UUID, tier: UUID, an_experiment: UUID
) -> None:
    other = app.funding.open_fund(
        "Scottish Government",
        "Local fund",
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        restricted=False,
        by=admin,
    ).id
    done = app.funding.commit(
        an_experiment,
        tier_id=tier,
        starts_on=date(2026, 9, 7),
        months=36,
        parts={fund: Decimal("40000"), other: Decimal("5000")},
        by=admin,
    )
    commitment = app.load(Commitment, done.id)
    assert commitment.amount == Decimal("45000.00")
    assert commitment.experiment_id == an_experiment


def test_a_commitment_names_a_real_experiment_and_fund(
    app: CairnApp, admin: UUID, fund: UUID, tier: UUID, an_experiment: UUID
) -> None:
    with pytest.raises(NotFound):
        app.funding.commit(
            uuid4(),
            tier_id=tier,
            starts_on=date(2026, 9, 1),
            months=12,
            parts={fund: Decimal("1")},
            by=admin,
        )
    with pytest.raises(NotFound):
        app.funding.commit(
            an_experiment,
            tier_id=tier,
            starts_on=date(2026, 9, 1),
            months=12,
            parts={uuid4(): Decimal("1")},
            by=admin,
        )
    with pytest.raises(DomainError, match="1 to 120"):
        app.funding.commit(
            an_experiment,
            tier_id=tier,
            starts_on=date(2026, 9, 1),
            months=0,
            parts={fund: Decimal("1")},
            by=admin,
        )


def test_spend_above_the_commitment_is_allowed_and_corrections_are_events(
    app: CairnApp, admin: UUID, fund: UUID, tier: UUID, an_experiment: UUID
) -> None:
    commitment_id = app.funding.commit(
        an_experiment,
        tier_id=tier,
        starts_on=date(2024, 9, 1),
        months=12,
        parts={fund: Decimal("1000")},
        by=admin,
    ).id
    app.funding.record_spend(commitment_id, Decimal("900"), on=date(2025, 1, 10), by=admin)
    app.funding.record_spend(commitment_id, Decimal("300"), on=date(2025, 2, 10), by=admin)
    commitment = app.load(Commitment, commitment_id)
    assert commitment.spent == Decimal("1200.00") > commitment.amount
    spend_id = next(iter(commitment.spend))
    app.funding.correct_spend(
        commitment_id, spend_id, Decimal("600"), on=date(2025, 1, 10), by=admin
    )
    assert app.load(Commitment, commitment_id).spent == Decimal("900.00")
    with pytest.raises(DomainError, match="cannot be negative"):
        app.funding.record_spend(commitment_id, Decimal("-1"), on=date(2025, 1, 10), by=admin)
    with pytest.raises(DomainError, match="future"):
        app.funding.record_spend(commitment_id, Decimal("1"), on=date(2999, 1, 1), by=admin)


@pytest.mark.parametrize("typed", ["-500", "£-5", " - 5", "−5", "0"])
def test_a_typed_negative_or_nothing_amount_is_told_it_cannot_be_negative(typed: str) -> None:
    with pytest.raises(Invalid, match="cannot be negative"):
        read_amount(typed)


def test_a_typed_amount_is_read_as_pounds() -> None:
    assert read_amount("£12,500") == Decimal("12500.00")
