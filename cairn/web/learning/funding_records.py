"""Recording funding, for a CIC administrator or a partnership lead: funds and their
allocations to tiers by financial year, the tiers of support, commitments to experiments and
the spend against them.
Each page shows its record's history; every change is an event, so nothing is overwritten."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cairn.domain.accounts.roles import PARTNERSHIP_ROLES
from cairn.domain.funding.tiers import TIERS_ID
from cairn.domain.funding.years import year_label, years_between
from cairn.readmodels.audit.queries import history_of
from cairn.readmodels.funding import queries as fq
from cairn.readmodels.learning import queries as q
from cairn.web import funding_words
from cairn.web.auth import any_role_required
from cairn.web.commanding import runtime
from cairn.web.learning.common import attempt, funding_bp, me, ok, status_of
from cairn.web.learning.funding_forms import (
    AllocationForm,
    CommitmentForm,
    FundForm,
    SpendCorrectionForm,
    SpendForm,
    TierForm,
)

# The domain checks again (FundingCommands._require_lead); this keeps the pages to the same people.
lead_only = any_role_required(PARTNERSHIP_ROLES)


def _engine() -> Any:
    return runtime().read_engine


def _history(aggregate_id: UUID) -> list[tuple[Any, str, str]]:
    """(when, who, what) for each event of the record, told in words."""
    told = []
    for row in history_of(_engine(), aggregate_id):
        kind = f"{row.aggregate_type}.{row.event_name}"
        told.append((row.at, row.display_name or "", str(funding_words.EVENTS.get(kind, kind))))
    return told


def _experiments() -> dict[UUID, dict[str, Any]]:
    return {f["id"]: f for f in q.funding_facts(_engine(), details_of_unpublished=True)}


def experiment_name(facts: dict[str, Any] | None) -> str:
    if facts is None:
        return str(_("An experiment that is no longer recorded"))
    return str(
        _(
            "%(title)s (%(team)s), cycle %(n)s",
            title=facts["title"],
            team=facts["team_name"],
            n=facts["cycle"],
        )
    )


def _tier_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a tier"))] + [
        (str(t.id), f"{t.number}. {t.name}") for t in fq.tiers(_engine())
    ]


def _fund_choices(first: str) -> list[tuple[str, str]]:
    return [("", first)] + [(str(f.id), f"{f.funder}: {f.name}") for f in fq.funds(_engine())]


@funding_bp.get("/funding/record")
@lead_only
def record_home() -> str:
    experiments = _experiments()
    tables = fq.funding_tables(_engine())
    tiers = {t.id: t for t in tables.tiers}
    return render_template(
        "learning/funding_record/home.html",
        funds=fq.funds(_engine()),
        tiers=tables.tiers,
        commitments=[
            (c, experiment_name(experiments.get(c.experiment_id)), tiers.get(c.tier_id))
            for c in tables.commitments
        ],
    )


# -- funds ------------------------------------------------------------------------------


@funding_bp.route("/funding/record/funds/new", methods=["GET", "POST"])
@lead_only
def new_fund() -> Response | tuple[str, int]:
    form = FundForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.funding.open_fund(
                form.funder.data,
                form.name.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                restricted=form.restricted.data,
                by=me(),
            ),
        )
        if done is not None:
            ok(_("The fund is recorded. Now allocate it to tiers of support."))
            return redirect(url_for("funding.fund_page", fund_id=done.id))
    return render_template("learning/funding_record/fund_form.html", form=form), status_of(form)


def _fund_or_404(fund_id: UUID) -> Any:
    fund = fq.fund(_engine(), fund_id)
    if fund is None:
        abort(404)
    return fund


def _allocation_form(fund: Any) -> AllocationForm:
    form = AllocationForm(prefix="allocation")
    form.tier.choices = _tier_choices()
    form.year.choices = [
        (year, year_label(year)) for year in years_between(fund.starts_on, fund.ends_on)
    ]
    return form


def _fund_page(fund: Any, fund_form: FundForm, allocation_form: AllocationForm) -> tuple[str, int]:
    status = max(status_of(fund_form), status_of(allocation_form))
    return (
        render_template(
            "learning/funding_record/fund.html",
            fund=fund,
            form=fund_form,
            allocation_form=allocation_form,
            allocations=fq.allocations_of(_engine(), fund.id),
            history=_history(fund.id),
            year_label=year_label,
        ),
        status,
    )


@funding_bp.route("/funding/record/funds/<uuid:fund_id>", methods=["GET", "POST"])
@lead_only
def fund_page(fund_id: UUID) -> Response | tuple[str, int]:
    fund = _fund_or_404(fund_id)
    form = FundForm(prefix="fund", obj=fund if request.method == "GET" else None)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.funding.correct_fund(
                fund_id,
                form.funder.data,
                form.name.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                restricted=form.restricted.data,
                by=me(),
            ),
        )
        if done is not None:
            ok(_("The fund is corrected. Its history keeps what it said before."))
            return redirect(url_for("funding.fund_page", fund_id=fund_id))
    return _fund_page(fund, form, _allocation_form(fund))


@funding_bp.post("/funding/record/funds/<uuid:fund_id>/allocations")
@lead_only
def allocate(fund_id: UUID) -> Response | tuple[str, int]:
    fund = _fund_or_404(fund_id)
    form = _allocation_form(fund)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.funding.allocate(
                fund_id, UUID(form.tier.data), form.year.data, form.amount.amount, by=me()
            ),
        )
        if done is not None:
            ok(_("The allocation is saved."))
            return redirect(url_for("funding.fund_page", fund_id=fund_id))
    return _fund_page(fund, FundForm(prefix="fund", obj=fund), form)


# -- tiers ------------------------------------------------------------------------------


def _tiers_page(form: TierForm, status: int | None = None) -> tuple[str, int]:
    return (
        render_template(
            "learning/funding_record/tiers.html",
            form=form,
            tiers=fq.tiers(_engine()),
            history=_history(TIERS_ID),
        ),
        status or status_of(form),
    )


@funding_bp.route("/funding/record/tiers", methods=["GET", "POST"])
@lead_only
def tiers_page() -> Response | tuple[str, int]:
    form = TierForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.funding.define_tier(form.number.data, form.name.data, by=me()),
        )
        if done is not None:
            ok(_("The tier is saved."))
            return redirect(url_for("funding.tiers_page"))
    return _tiers_page(form)


@funding_bp.post("/funding/record/tiers/<uuid:tier_id>")
@lead_only
def correct_tier(tier_id: UUID) -> Response | tuple[str, int]:
    form = TierForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.funding.correct_tier(
                tier_id, form.number.data, form.name.data, by=me()
            ),
        )
        if done is not None:
            ok(_("The tier is corrected."))
            return redirect(url_for("funding.tiers_page"))
    return _tiers_page(form)


# -- commitments and spend ------------------------------------------------------------------


def _commitment_form(form: CommitmentForm, *, with_experiment: bool) -> CommitmentForm:
    if with_experiment:
        named = sorted(
            ((str(i), experiment_name(f)) for i, f in _experiments().items()),
            key=lambda choice: choice[1].casefold(),
        )
        form.experiment.choices = [("", _("Choose an experiment")), *named]
    else:
        del form.experiment
    form.tier.choices = _tier_choices()
    form.fund_1.choices = _fund_choices(_("Choose a fund"))
    form.fund_2.choices = _fund_choices(_("No second fund"))
    form.fund_3.choices = _fund_choices(_("No third fund"))
    return form


@funding_bp.route("/funding/record/commitments/new", methods=["GET", "POST"])
@lead_only
def new_commitment() -> Response | tuple[str, int]:
    form = _commitment_form(CommitmentForm(), with_experiment=True)
    if form.validate_on_submit() and (parts := form.parts()) is not None:
        done = attempt(
            form,
            lambda: runtime().app.funding.commit(
                UUID(form.experiment.data),
                tier_id=UUID(form.tier.data),
                starts_on=form.starts_on.data,
                months=form.months.data,
                parts={UUID(k): v for k, v in parts.items()},
                by=me(),
            ),
        )
        if done is not None:
            ok(_("The commitment is recorded."))
            return redirect(url_for("funding.commitment_page", commitment_id=done.id))
    return (
        render_template("learning/funding_record/commitment_form.html", form=form),
        status_of(form),
    )


def _commitment_or_404(commitment_id: UUID) -> Any:
    row = fq.commitment(_engine(), commitment_id)
    if row is None:
        abort(404)
    return row


def _spend_forms() -> tuple[SpendForm, SpendCorrectionForm]:
    return SpendForm(prefix="spend"), SpendCorrectionForm(prefix="correction")


def _commitment_page(
    row: Any,
    form: CommitmentForm,
    spend_form: SpendForm,
    correction_form: SpendCorrectionForm,
) -> tuple[str, int]:
    spend = fq.spend_of(_engine(), row.id)
    correction_form.spend.choices = [("", _("Choose the spend to correct"))] + [
        (str(s.id), f"{s.spent_on.day}/{s.spent_on.month}/{s.spent_on.year}: £{s.amount:,.2f}")
        for s in spend
    ]
    status = max(status_of(form), status_of(spend_form), status_of(correction_form))
    return (
        render_template(
            "learning/funding_record/commitment.html",
            row=row,
            experiment=experiment_name(_experiments().get(row.experiment_id)),
            parts=fq.parts_of(_engine(), row.id),
            spend=spend,
            spent=sum((s.amount for s in spend), Decimal(0)),
            form=form,
            spend_form=spend_form,
            correction_form=correction_form,
            history=_history(row.id),
        ),
        status,
    )


def _filled(form: CommitmentForm, row: Any) -> CommitmentForm:
    """The correction form showing what is recorded now (on a GET)."""
    if request.method == "GET":
        form.tier.data = str(row.tier_id)
        form.starts_on.process(None, row.starts_on)
        form.months.data = row.months
        lines = fq.parts_of(_engine(), row.id)
        for (fund, amount), part in zip(form.fund_lines(), lines, strict=False):
            fund.data = str(part.id)
            amount.data = f"{part.amount:.2f}"
    return form


@funding_bp.route("/funding/record/commitments/<uuid:commitment_id>", methods=["GET", "POST"])
@lead_only
def commitment_page(commitment_id: UUID) -> Response | tuple[str, int]:
    row = _commitment_or_404(commitment_id)
    form = _filled(
        _commitment_form(CommitmentForm(prefix="commitment"), with_experiment=False), row
    )
    if form.validate_on_submit() and (parts := form.parts()) is not None:
        done = attempt(
            form,
            lambda: runtime().app.funding.correct_commitment(
                commitment_id,
                tier_id=UUID(form.tier.data),
                starts_on=form.starts_on.data,
                months=form.months.data,
                parts={UUID(k): v for k, v in parts.items()},
                by=me(),
            ),
        )
        if done is not None:
            ok(_("The commitment is corrected. Its history keeps what it said before."))
            return redirect(url_for("funding.commitment_page", commitment_id=commitment_id))
    return _commitment_page(row, form, *_spend_forms())


@funding_bp.post("/funding/record/commitments/<uuid:commitment_id>/spend")
@lead_only
def record_spend(commitment_id: UUID) -> Response | tuple[str, int]:
    row = _commitment_or_404(commitment_id)
    spend_form, correction_form = _spend_forms()
    if spend_form.validate_on_submit():
        done = attempt(
            spend_form,
            lambda: runtime().app.funding.record_spend(
                commitment_id, spend_form.amount.amount, on=spend_form.on.data, by=me()
            ),
        )
        if done is not None:
            ok(_("The spend is recorded."))
            return redirect(url_for("funding.commitment_page", commitment_id=commitment_id))
    form = _filled(
        _commitment_form(CommitmentForm(prefix="commitment", formdata=None), with_experiment=False),
        row,
    )
    return _commitment_page(row, form, spend_form, correction_form)


@funding_bp.post("/funding/record/commitments/<uuid:commitment_id>/spend/correct")
@lead_only
def correct_spend(commitment_id: UUID) -> Response | tuple[str, int]:
    row = _commitment_or_404(commitment_id)
    spend_form, correction_form = _spend_forms()
    correction_form.spend.choices = [(str(s.id), "") for s in fq.spend_of(_engine(), row.id)]
    if correction_form.validate_on_submit():
        done = attempt(
            correction_form,
            lambda: runtime().app.funding.correct_spend(
                commitment_id,
                UUID(correction_form.spend.data),
                correction_form.amount.amount,
                on=correction_form.on.data,
                by=me(),
            ),
        )
        if done is not None:
            ok(_("The spend is corrected."))
            return redirect(url_for("funding.commitment_page", commitment_id=commitment_id))
    form = _filled(
        _commitment_form(CommitmentForm(prefix="commitment", formdata=None), with_experiment=False),
        row,
    )
    return _commitment_page(row, form, spend_form, correction_form)
