"""The funding report from the read models: totals by year, tier and fund, one line per
experiment with its cycles inside, and the funding of unpublished work counted, not named."""

from __future__ import annotations

from decimal import Decimal

from cairn.bootstrap.runtime import Runtime
from cairn.domain.funding.years import spread_by_year
from cairn.domain.learning.vocabulary import PUBLIC
from cairn.readmodels.funding.queries import funding_tables
from cairn.readmodels.funding.report import ExperimentFacts, FundingReport, build_report
from cairn.readmodels.learning import queries as q
from tests.support.funding import THIS_YEAR, funding_world
from tests.support.learning import People, days_ago, experiment, settle_all


def report_of(runtime: Runtime) -> FundingReport:
    facts = [ExperimentFacts(**row) for row in q.funding_facts(runtime.read_engine)]
    return build_report(funding_tables(runtime.read_engine), facts, no_tier_name="No tier given")


def test_totals_include_the_unpublished_commitment_without_naming_it(
    runtime: Runtime, people: People
) -> None:
    funding_world(runtime, people)
    report = report_of(runtime)
    assert report.committed == Decimal("47000.00")  # 36,000 + 6,000 + 5,000 unpublished
    assert report.not_yet_published.amount == Decimal("5000.00")
    assert report.not_yet_published.commitments == 1
    assert report.spent == Decimal("9000.50")
    titles = [cycle.facts.title for line in report.experiments for cycle in line.cycles]
    assert "Quiet pilot at the surgery" not in titles
    assert all(line.latest.published for line in report.experiments)
    # The unpublished cycle's words never reach the report at all.
    hidden = [f for f in q.funding_facts(runtime.read_engine) if not f["published"]]
    assert hidden and all(f["title"] == "" and f["team_name"] == "" for f in hidden)


def test_one_line_per_experiment_with_its_cycles_inside(runtime: Runtime, people: People) -> None:
    world = funding_world(runtime, people)
    [line] = report_of(runtime).experiments
    assert [c.facts.cycle for c in line.cycles] == [1, 2]
    assert [len(c.commitments) for c in line.cycles] == [1, 1]
    assert line.committed == Decimal("42000.00")
    assert line.latest.id == world.cycle_2 and line.latest.stage == "running"
    assert line.learned is not None and "booked for them" in line.learned.learned
    # Cycle 2 spent £6,500.50 of £6,000: an overspend, shown, not refused.
    second = line.cycles[1].commitments[0]
    assert second.overspent == Decimal("500.50")
    # The typed £18,000 on cycle 1 is replaced by the recorded commitments.
    assert all(c.id is not None for c in line.commitments)


def test_each_year_shows_available_and_committed_by_tier_and_by_fund(
    runtime: Runtime, people: People
) -> None:
    funding_world(runtime, people)
    first = report_of(runtime).years[0]
    assert first.year == THIS_YEAR
    tiers = {line.label: line for line in first.tiers}
    assert tiers["1. Universal and preventative"].available == Decimal("30000.00")
    assert tiers["2. Early help"].available == Decimal("28000.00")
    expected_tier_1 = spread_by_year(Decimal("36000"), days_ago(80), 36)[THIS_YEAR]
    assert tiers["1. Universal and preventative"].committed == expected_tier_1
    funds = {line.label: line for line in first.funds}
    assert funds["North Lanarkshire ADP: Test and learn fund"].available == Decimal("50000.00")
    assert funds["Scottish Government: Local improvement fund"].available == Decimal("8000.00")
    assert first.available == Decimal("58000.00")
    assert sum(line.committed for line in first.funds) == first.committed
    assert first.not_yet_published == spread_by_year(Decimal("5000"), days_ago(45), 12)[THIS_YEAR]
    total = sum((year.committed for year in report_of(runtime).years), Decimal(0))
    assert total == Decimal("47000.00")


def test_funding_typed_on_a_started_experiment_counts_as_a_commitment(
    runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    typed = learning.propose_experiment(
        people.team_b, experiment(visibility=PUBLIC), by=people.cat, proposed_on=days_ago(30)
    ).id
    learning.propose_experiment(  # proposed only: a plan, not yet a commitment
        people.team_b, experiment(visibility=PUBLIC, title="Later"), by=people.cat
    )
    learning.start_experiment(typed, by=people.cat, on=days_ago(20))
    settle_all(runtime)
    report = report_of(runtime)
    [line] = report.experiments
    [commitment] = line.commitments
    assert commitment.amount == Decimal("18000.00") and commitment.months == 36
    assert commitment.parts[0][0].funder == "Carrick Learning Fund"
    assert report.committed == Decimal("18000.00")
    assert report.years[0].tiers[0].label == "No tier given"
