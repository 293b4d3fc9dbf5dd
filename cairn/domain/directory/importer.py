"""Bringing a CIC's spreadsheet into the directory: a bad file imports nothing.

The file is parsed and every row turned into aggregates in memory first (the dry run); only if
no row has a problem is anything saved. A row whose email is already in the directory is
compared with that provider's listing: the same, it is left alone (importing one file twice
adds nothing); different, its changes become a listing edit for the CIC to review (or, for an
application not yet decided, a change to the application, which is reviewed with it). The CLI
(`cairn import-providers`) and the admin's upload page both use this engine.

The CLI saves in bounded transactions of
`IMPORT_BATCH` providers, each with its email claim: the event store locks its table for
every transaction that inserts (PostgreSQL: `LOCK TABLE ... IN EXCLUSIVE MODE`, so the order
of positions is the order of commits), and one transaction for a whole file made every other
writer (a sign-in, an edit) wait for all of it. Now they wait at most one batch.

The price is that a save interrupted part way (a crash, someone claiming one of the emails
meanwhile) leaves the batches before it saved. Each saved provider is whole (its events and its
email claim are in one batch), and rows already in the directory as they are are left alone,
so running the same file again imports exactly what is left. The upload page saves its
plan in one transaction (`batch=None`): all of it or nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, TextIO
from uuid import UUID

from eventsourcing.domain import Aggregate

from cairn.domain.directory.checks import IMPORT_ACTOR
from cairn.domain.directory.csv_format import (
    ParsedFile,
    ProviderRecord,
    RowError,
    parse_provider_csv,
)
from cairn.domain.directory.email_index import claim_email, provider_for_email
from cairn.domain.directory.fields import LISTING_SPEC, listing_diff
from cairn.domain.directory.lifecycle import Action, allows
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError, StaleState
from cairn.domain.validation import _

if TYPE_CHECKING:
    from cairn.domain.store import Store


# The listing fields a row carries (the rest of its columns are checks and the approval).
CSV_LISTING_FIELDS = tuple(f.name for f in LISTING_SPEC if f.csv_column is not None)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object  # as events hold it (JSON-friendly), like a listing edit's `before`
    after: object


@dataclass(frozen=True)
class ChangedRow:
    """A row for a provider already in the directory whose listing it would change."""

    record: ProviderRecord
    provider_id: UUID
    name: str  # the provider's name as the directory has it now
    changes: tuple[FieldChange, ...]
    reviewed_as: str  # "edit": waits in the queue's listing edits; "application": updates it


@dataclass
class ImportPlan:
    """What an import would do. Nothing is saved until `save` and only if `errors` is empty."""

    errors: list[RowError] = field(default_factory=list)
    new: list[ProviderRecord] = field(default_factory=list)
    changed: list[ChangedRow] = field(default_factory=list)
    unchanged: list[ProviderRecord] = field(default_factory=list)
    # One tuple per row to save (a new provider and its email claim, or a changed provider),
    # always saved together.
    rows: list[tuple[Aggregate, ...]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_approved(self) -> int:
        return sum(1 for record in self.new if record.approved_on)

    @property
    def new_applications(self) -> int:
        return len(self.new) - self.new_approved

    @property
    def added(self) -> int:
        return len(self.new)

    @property
    def skipped(self) -> list[ProviderRecord]:
        """Rows already in the directory just as they are."""
        return self.unchanged

    def fingerprint(self) -> str:
        """What this plan would do, as a digest: a preview and its "apply" must agree on it, so
        that nothing is applied that the person did not see (the directory may change between)."""
        parts = [f"new:{r.line}:{r.email}" for r in self.new]
        parts += [f"same:{r.line}:{r.email}" for r in self.unchanged]
        parts += [
            f"changed:{c.record.line}:{c.provider_id}:"
            + repr([(x.field, x.before, x.after) for x in c.changes])
            for c in self.changed
        ]
        parts += [f"error:{e.line}:{e.column}:{e.message}" for e in self.errors]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @property
    def aggregates(self) -> list[Aggregate]:
        return [aggregate for row in self.rows for aggregate in row]


def plan_import(
    app: Store,
    parsed: ParsedFile,
    *,
    today: date,
    progress: Callable[[int], object] | None = None,
) -> ImportPlan:
    """Turn parsed rows into new aggregates, checking each approved row against the rules."""
    plan = ImportPlan(errors=list(parsed.errors))
    for record in parsed.records:
        _plan_row(app, record, today, plan)
        if progress:
            progress(1)
    plan.errors.sort(key=lambda e: e.line)
    return plan


def _plan_row(app: Store, record: ProviderRecord, today: date, plan: ImportPlan) -> None:
    existing = provider_for_email(app, record.email)
    if existing is not None:
        _plan_existing(app, existing, record, plan)
        return
    # Every listing field the CSV carries goes to the application as it was read.
    provider = Provider(
        **{f.name: getattr(record, f.name) for f in LISTING_SPEC if f.csv_column is not None}
    )
    row_errors = []
    try:
        if record.pvg_checked_on:
            provider.record_pvg(IMPORT_ACTOR, record.pvg_checked_on, today=today)
    except DomainError as error:
        row_errors.append(RowError(record.line, "pvg_checked_on", error.message))
    if record.insurance_expires_on:
        provider.record_insurance(IMPORT_ACTOR, record.insurance_expires_on, today=today)
    for course in record.training:
        provider.record_training(IMPORT_ACTOR, course, None, today=today)
    if record.approved_on and not row_errors:
        row_errors += _approval_errors(provider, record, today)
    if row_errors:
        plan.errors += row_errors
        return
    plan.new.append(record)
    plan.rows.append((provider, claim_email(record.email, provider.id)))


def _plan_existing(app: Store, provider_id: UUID, record: ProviderRecord, plan: ImportPlan) -> None:
    """The row's listing against the provider's: nothing, or changes for the CIC to review."""
    provider = app.load(Provider, provider_id)
    values = {name: getattr(record, name) for name in CSV_LISTING_FIELDS if name != "email"}
    try:
        after, before = listing_diff(provider, values)
    except DomainError as error:
        plan.errors.append(RowError(record.line, "", error.message, provider=record.name))
        return
    if not after:
        plan.unchanged.append(record)
        return
    if allows(provider.status, Action.PROPOSE_EDIT):
        if after == provider.pending_edit:
            plan.unchanged.append(record)  # exactly these changes already wait for review
            return
        provider.propose_edit(IMPORT_ACTOR, values)
        reviewed_as = "edit"
    elif allows(provider.status, Action.UPDATE_APPLICATION):
        provider.update_application(IMPORT_ACTOR, values)
        reviewed_as = "application"
    else:
        message = _(
            "{name} is no longer in the directory or applying, so their details cannot be "
            "changed by an import. Remove this row"
        ).format(name=provider.name)
        plan.errors.append(RowError(record.line, "email", message, record.email, record.name))
        return
    changes = tuple(FieldChange(name, before[name], after[name]) for name in after)
    plan.changed.append(ChangedRow(record, provider_id, provider.name, changes, reviewed_as))
    plan.rows.append((provider,))


def _approval_errors(provider: Provider, record: ProviderRecord, today: date) -> list[RowError]:
    """A row marked approved must meet the rules an admin's approval meets today."""
    assert record.approved_on is not None
    if record.approved_on > today:
        message = _("The approval date cannot be in the future")
        return [RowError(record.line, "approved_on", message)]
    errors = []
    pvg = provider.pvg_expires_on()
    if pvg is None:
        message = _("An approved provider needs a PVG check date. Add it, or empty approved_on")
        errors.append(RowError(record.line, "pvg_checked_on", message))
    elif pvg < today:
        message = _(
            "The PVG membership is more than five years old: "
            "an approved provider needs a current one"
        )
        errors.append(RowError(record.line, "pvg_checked_on", message))
    insurance = provider.insurance_expires_on
    if insurance is None:
        message = _(
            "An approved provider needs insurance. Add its expiry date, or empty approved_on"
        )
        errors.append(RowError(record.line, "insurance_expires_on", message))
    elif insurance < today:
        message = _("The insurance has expired: an approved provider needs current insurance")
        errors.append(RowError(record.line, "insurance_expires_on", message))
    if not errors:
        provider.approve(IMPORT_ACTOR, today=today, on=record.approved_on)
    return errors


# Providers (each with its email claim) per event-store transaction: big enough that a
# 3,000-row file is a few seconds of writing, small enough that another writer waiting for
# the store's table lock waits a fraction of a second.
IMPORT_BATCH = 200


class ImportInterrupted(DomainError):
    """A save stopped part way: `saved` providers are in the directory, the rest are not."""

    def __init__(self, message: str, saved: int) -> None:
        super().__init__(message)
        self.saved = saved


def save_plan(
    app: Store,
    plan: ImportPlan,
    *,
    batch: int | None = IMPORT_BATCH,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write the planned providers, `batch` rows per transaction (None: all in one); return
    the last position.

    Nothing at all is written for a plan with errors. A clash in a batch (someone else
    claimed one of its emails after the plan was made) writes nothing of that batch and
    stops: the batches before it stay saved, and `ImportInterrupted` says how many."""
    if not plan.ok:
        raise DomainError(_("The file has problems, so nothing was imported."))
    batch = batch or max(len(plan.rows), 1)
    if batch < 1:
        raise ValueError("an import batch holds at least one row")
    position = app.head()
    saved = 0
    for start in range(0, len(plan.rows), batch):
        rows = plan.rows[start : start + batch]
        try:
            position = app.record(*(aggregate for row in rows for aggregate in row))
        except StaleState as error:
            if saved == 0:
                raise ImportInterrupted(
                    _(
                        "Some of these providers were added by someone else while the file was "
                        "being read, so nothing was imported. Run the import again."
                    ),
                    saved,
                ) from error
            raise ImportInterrupted(
                _(
                    "Some of these providers were added by someone else while the file was "
                    "being saved. {saved} providers were imported before that; run the "
                    "import again to add the rest (those already in are skipped)."
                ).format(saved=saved),
                saved,
            ) from error
        saved += len(rows)
        if progress:
            progress(len(rows))
    return position


def import_providers(
    app: Store,
    stream: TextIO,
    *,
    today: date,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportPlan:
    """Parse, plan and (unless a dry run or a bad file) save. The plan says what happened."""
    plan = plan_import(app, parse_provider_csv(stream), today=today, progress=progress)
    if plan.ok and not dry_run:
        save_plan(app, plan)
    return plan


def describe(errors: Iterable[RowError]) -> list[str]:
    return [str(error) for error in errors]
