"""The funding report: every figure /funding, its CSV and its JSON show, made once.

Built from the funding tables and from what the caller says about the experiments (their
titles, cycles, stages, whether they are published, and the funding typed on the experiment
itself), so this read model never reads the learning tables: the web passes those facts in.

Rules, each in one place:
- Published means public *and* started (running, making sense or concluded): before it starts
  an experiment is a plan. A commitment to anything else counts in every total, as "not yet
  published", with no title, team or date.
- Funding typed on an experiment (amount, funder, months) counts as a commitment once the
  experiment has started, unless its chain has recorded commitments (the record replaces the
  typed figures), and a later cycle's typed funding counts only where it differs from the
  cycle before (the next cycle may carry the same figures forward: that is not new money).
- Money falls across financial years by month (`cairn.domain.funding.years.spread_by_year`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from cairn.domain.funding.years import ends_after, spread_by_year, year_label

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ExperimentFacts:
    """One experiment cycle, as the learning read model tells it."""

    id: UUID
    chain_id: UUID
    cycle: int
    title: str
    team_name: str
    stage: str
    outcome: str | None
    learned: str
    language: str
    conclusion_language: str
    started_on: date | None
    concluded_on: date | None
    published: bool
    typed_amount: Decimal | None = None
    typed_funder: str = ""
    typed_months: int | None = None
    typed_starts_on: date | None = None


@dataclass(frozen=True)
class FundKey:
    """A recorded fund (with its id), or a funder typed on an experiment (id None)."""

    id: UUID | None
    funder: str
    name: str
    restricted: bool | None


@dataclass(frozen=True)
class TierKey:
    id: UUID | None  # None: funding typed on an experiment, which names no tier
    number: int | None
    name: str


@dataclass(frozen=True)
class TierRow:
    id: UUID
    number: int
    name: str


@dataclass(frozen=True)
class AllocationRow:
    fund_id: UUID
    tier_id: UUID
    year: int
    amount: Decimal


@dataclass(frozen=True)
class CommitmentRow:
    id: UUID
    experiment_id: UUID
    tier_id: UUID
    starts_on: date
    months: int
    parts: tuple[tuple[UUID, Decimal], ...]
    spent: Decimal


@dataclass(frozen=True)
class FundingTables:
    """What the funding tables hold, read in one go (queries.funding_tables)."""

    funds: dict[UUID, FundKey]
    tiers: list[TierRow]
    allocations: list[AllocationRow]
    commitments: list[CommitmentRow]


@dataclass
class Line:
    """One tier or one fund in one financial year."""

    key: FundKey | TierKey
    label: str
    available: Decimal = ZERO
    committed: Decimal = ZERO


@dataclass
class YearFigures:
    year: int
    label: str
    starts_on: date
    ends_on: date
    tiers: list[Line]
    funds: list[Line]
    available: Decimal
    committed: Decimal
    not_yet_published: Decimal


@dataclass(frozen=True)
class CommitmentLine:
    id: UUID | None  # None: typed on the experiment
    starts_on: date
    ends_on: date
    months: int
    tier: TierKey
    parts: tuple[tuple[FundKey, Decimal], ...]
    amount: Decimal
    spent: Decimal

    @property
    def overspent(self) -> Decimal:
        return max(self.spent - self.amount, ZERO)


@dataclass
class CycleLine:
    facts: ExperimentFacts
    commitments: list[CommitmentLine] = field(default_factory=list)


@dataclass
class ExperimentLine:
    chain_id: UUID
    cycles: list[CycleLine]

    @property
    def latest(self) -> ExperimentFacts:
        return self.cycles[-1].facts

    @property
    def learned(self) -> ExperimentFacts | None:
        """The latest cycle that says what was learned."""
        said = [c.facts for c in self.cycles if c.facts.learned]
        return said[-1] if said else None

    @property
    def commitments(self) -> list[CommitmentLine]:
        return [c for cycle in self.cycles for c in cycle.commitments]

    @property
    def committed(self) -> Decimal:
        return sum((c.amount for c in self.commitments), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((c.spent for c in self.commitments), ZERO)

    @property
    def overspent(self) -> Decimal:
        return max(self.spent - self.committed, ZERO)


@dataclass(frozen=True)
class NotYetPublished:
    amount: Decimal
    commitments: int


@dataclass
class FundingReport:
    years: list[YearFigures]
    experiments: list[ExperimentLine]
    not_yet_published: NotYetPublished
    available: Decimal
    committed: Decimal
    spent: Decimal


def fund_label(fund: FundKey) -> str:
    """'North Lanarkshire ADP: Test and learn fund'; a typed funder stands alone."""
    return f"{fund.funder}: {fund.name}" if fund.name else fund.funder


def tier_label(tier: TierKey) -> str:
    return f"{tier.number}. {tier.name}" if tier.number is not None else tier.name


def _typed_commitments(
    experiments: list[ExperimentFacts], recorded_chains: set[UUID], no_tier: TierKey
) -> list[tuple[ExperimentFacts, CommitmentLine]]:
    found = []
    previous: dict[UUID, tuple[Decimal | None, str, int | None]] = {}
    for facts in sorted(experiments, key=lambda f: (f.chain_id, f.cycle)):
        typed = (facts.typed_amount, facts.typed_funder, facts.typed_months)
        carried = previous.get(facts.chain_id) == typed
        previous[facts.chain_id] = typed
        starts_on = facts.typed_starts_on or facts.started_on
        if (
            facts.typed_amount is None
            or carried
            or facts.chain_id in recorded_chains
            or facts.started_on is None
            or starts_on is None
        ):
            continue
        months = facts.typed_months or 12  # none given: one year, the shortest honest guess
        fund = FundKey(None, facts.typed_funder, "", None)
        found.append(
            (
                facts,
                CommitmentLine(
                    id=None,
                    starts_on=starts_on,
                    ends_on=ends_after(starts_on, months),
                    months=months,
                    tier=no_tier,
                    parts=((fund, facts.typed_amount),),
                    amount=facts.typed_amount,
                    spent=ZERO,
                ),
            )
        )
    return found


def build_report(
    tables: FundingTables, experiments: list[ExperimentFacts], *, no_tier_name: str
) -> FundingReport:
    by_id = {facts.id: facts for facts in experiments}
    tiers = {row.id: TierKey(row.id, row.number, row.name) for row in tables.tiers}
    no_tier = TierKey(None, None, no_tier_name)

    lines: list[tuple[ExperimentFacts | None, CommitmentLine]] = []
    for row in tables.commitments:
        parts = tuple((tables.funds[fund_id], amount) for fund_id, amount in row.parts)
        amount = sum((a for _f, a in parts), ZERO)
        lines.append(
            (
                by_id.get(row.experiment_id),
                CommitmentLine(
                    id=row.id,
                    starts_on=row.starts_on,
                    ends_on=ends_after(row.starts_on, row.months),
                    months=row.months,
                    tier=tiers.get(row.tier_id, no_tier),
                    parts=parts,
                    amount=amount,
                    spent=row.spent,
                ),
            )
        )
    recorded_chains = {f.chain_id for f, _line in lines if f is not None}
    lines += _typed_commitments(experiments, recorded_chains, no_tier)

    # Financial years: what each tier and fund makes available and what is committed.
    available: dict[int, dict[FundKey | TierKey, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    committed: dict[int, dict[FundKey | TierKey, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    hidden: dict[int, Decimal] = defaultdict(Decimal)
    for allocation in tables.allocations:
        fund = tables.funds[allocation.fund_id]
        tier = tiers.get(allocation.tier_id, no_tier)
        available[allocation.year][tier] += allocation.amount
        available[allocation.year][fund] += allocation.amount
    for facts, line in lines:
        published = facts is not None and facts.published
        for fund, amount in line.parts:
            for year, share in spread_by_year(amount, line.starts_on, line.months).items():
                committed[year][line.tier] += share
                committed[year][fund] += share
                if not published:
                    hidden[year] += share

    all_tiers = sorted(tiers.values(), key=lambda t: t.number or 0)
    all_funds = sorted(tables.funds.values(), key=lambda f: (f.funder.casefold(), f.name))
    years = []
    for year in sorted(set(available) | set(committed)):
        keys_seen = set(available[year]) | set(committed[year])
        tier_keys = [t for t in all_tiers if t in keys_seen]
        tier_keys += [no_tier] if no_tier in keys_seen else []
        fund_keys = all_funds + sorted(
            {k for k in keys_seen if isinstance(k, FundKey) and k.id is None},
            key=lambda f: f.funder.casefold(),
        )
        fund_keys = [f for f in fund_keys if f in keys_seen]
        year_tiers = [
            Line(t, tier_label(t), available[year][t], committed[year][t]) for t in tier_keys
        ]
        year_funds = [
            Line(f, fund_label(f), available[year][f], committed[year][f]) for f in fund_keys
        ]
        years.append(
            YearFigures(
                year=year,
                label=year_label(year),
                starts_on=date(year, 4, 1),
                ends_on=date(year + 1, 3, 31),
                tiers=year_tiers,
                funds=year_funds,
                available=sum((line.available for line in year_tiers), ZERO),
                committed=sum((line.committed for line in year_tiers), ZERO),
                not_yet_published=hidden[year],
            )
        )

    # Published experiments: one line per chain, its published cycles inside.
    chains: dict[UUID, dict[UUID, CycleLine]] = defaultdict(dict)
    funded_chains = {f.chain_id for f, _line in lines if f is not None and f.published}
    for facts in sorted(experiments, key=lambda f: f.cycle):
        if facts.published and facts.chain_id in funded_chains:
            chains[facts.chain_id][facts.id] = CycleLine(facts)
    unpublished_amount = ZERO
    unpublished_count = 0
    for facts, line in lines:
        if facts is not None and facts.published:
            chains[facts.chain_id][facts.id].commitments.append(line)
        else:
            unpublished_amount += line.amount
            unpublished_count += 1
    for cycles in chains.values():
        for cycle in cycles.values():
            cycle.commitments.sort(key=lambda c: c.starts_on)
    experiment_lines = sorted(
        (ExperimentLine(chain_id, list(cycles.values())) for chain_id, cycles in chains.items()),
        key=lambda e: (e.latest.stage == "concluded", e.latest.title.casefold()),
    )
    return FundingReport(
        years=years,
        experiments=experiment_lines,
        not_yet_published=NotYetPublished(unpublished_amount, unpublished_count),
        available=sum((a.amount for a in tables.allocations), ZERO),
        committed=sum((line.amount for _f, line in lines), ZERO),
        spent=sum((line.spent for _f, line in lines), ZERO),
    )
