"""Commands on funds, tiers, allocations, commitments and spend: the only way funding changes.

Who may record funding: a CIC administrator or a partnership lead (`roles.PARTNERSHIP_ROLES`). The
experiments a commitment names are checked through `is_experiment`, which the app passes in,
so this context does not import learning."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.roles import runs_partnership
from cairn.domain.clock import today as today_from
from cairn.domain.errors import DomainError, NotFound
from cairn.domain.funding.amounts import checked_amount
from cairn.domain.funding.commitment import Commitment
from cairn.domain.funding.fund import Fund
from cairn.domain.funding.tiers import TIERS_ID, SupportTiers
from cairn.domain.outcome import Done
from cairn.domain.validation import _

if TYPE_CHECKING:
    from cairn.domain.store import Store


class NotAllowedToFund(DomainError):
    """Only a CIC administrator or a partnership lead records funding."""


class FundingCommands:
    def __init__(self, app: Store, is_experiment: Callable[[UUID], bool]) -> None:
        self.app = app
        self.is_experiment = is_experiment

    def _require_lead(self, by: UUID) -> None:
        try:
            allowed = runs_partnership(self.app.load(Account, by).roles)
        except NotFound:
            allowed = False
        if not allowed:
            raise NotAllowedToFund(
                _("Only a partnership lead or a CIC administrator can record funding.")
            )

    def _today(self) -> date:
        return today_from(self.app.clock)

    def _tiers(self) -> SupportTiers:
        if self.app.exists(TIERS_ID):
            return self.app.load(SupportTiers, TIERS_ID)
        return SupportTiers()

    def _check_funds(self, parts: Mapping[UUID, Decimal]) -> None:
        for fund_id in parts:
            self.app.load(Fund, fund_id)

    # -- funds ----------------------------------------------------------------------

    def open_fund(
        self,
        funder: str,
        name: str,
        *,
        starts_on: date,
        ends_on: date,
        restricted: bool,
        by: UUID,
    ) -> Done:
        self._require_lead(by)
        fund = Fund.open(funder, name, starts_on, ends_on, restricted, by=by)
        return Done(fund.id, self.app.record(fund))

    def correct_fund(
        self,
        fund_id: UUID,
        funder: str,
        name: str,
        *,
        starts_on: date,
        ends_on: date,
        restricted: bool,
        by: UUID,
        expected_version: int | None = None,
    ) -> Done:
        self._require_lead(by)
        fund = self.app.load(Fund, fund_id, expected_version)
        fund.correct(funder, name, starts_on, ends_on, restricted, by=by)
        return Done(fund.id, self.app.record(fund))

    def allocate(
        self, fund_id: UUID, tier_id: UUID, year: int, amount: Decimal, *, by: UUID
    ) -> Done:
        """What the fund makes available to a tier in one financial year (a second time for
        the same tier and year corrects the first)."""
        self._require_lead(by)
        self._tiers().require(tier_id)
        fund = self.app.load(Fund, fund_id)
        fund.allocate(tier_id, year, checked_amount(amount), by=by)
        return Done(fund.id, self.app.record(fund))

    # -- tiers ----------------------------------------------------------------------

    def define_tier(self, number: int, name: str, *, by: UUID) -> Done:
        self._require_lead(by)
        tiers = self._tiers()
        tier_id = tiers.define(number, name, by=by)
        return Done(tier_id, self.app.record(tiers))

    def correct_tier(self, tier_id: UUID, number: int, name: str, *, by: UUID) -> Done:
        self._require_lead(by)
        tiers = self._tiers()
        tiers.correct(tier_id, number, name, by=by)
        return Done(tier_id, self.app.record(tiers))

    # -- commitments and spend --------------------------------------------------------

    def commit(
        self,
        experiment_id: UUID,
        *,
        tier_id: UUID,
        starts_on: date,
        months: int,
        parts: Mapping[UUID, Decimal],
        by: UUID,
    ) -> Done:
        self._require_lead(by)
        if not self.is_experiment(experiment_id):
            raise NotFound(_("Choose one of the experiments."))
        self._tiers().require(tier_id)
        self._check_funds(parts)
        commitment = Commitment.make(experiment_id, tier_id, starts_on, months, parts, by=by)
        return Done(commitment.id, self.app.record(commitment))

    def correct_commitment(
        self,
        commitment_id: UUID,
        *,
        tier_id: UUID,
        starts_on: date,
        months: int,
        parts: Mapping[UUID, Decimal],
        by: UUID,
        expected_version: int | None = None,
    ) -> Done:
        self._require_lead(by)
        self._tiers().require(tier_id)
        self._check_funds(parts)
        commitment = self.app.load(Commitment, commitment_id, expected_version)
        commitment.correct(tier_id, starts_on, months, parts, by=by)
        return Done(commitment.id, self.app.record(commitment))

    def record_spend(self, commitment_id: UUID, amount: Decimal, *, on: date, by: UUID) -> Done:
        self._require_lead(by)
        commitment = self.app.load(Commitment, commitment_id)
        commitment.record_spend(amount, on=on, today=self._today(), by=by)
        return Done(commitment.id, self.app.record(commitment))

    def correct_spend(
        self, commitment_id: UUID, spend_id: UUID, amount: Decimal, *, on: date, by: UUID
    ) -> Done:
        self._require_lead(by)
        commitment = self.app.load(Commitment, commitment_id)
        commitment.correct_spend(spend_id, amount, on=on, today=self._today(), by=by)
        return Done(commitment.id, self.app.record(commitment))
