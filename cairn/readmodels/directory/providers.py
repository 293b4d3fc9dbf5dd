"""Providers as the admin workspace, the provider's own pages and the coverage table need them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    Uuid,
)

from cairn.domain.directory import provider_events as ev
from cairn.domain.directory.checks import pvg_renewal_due
from cairn.domain.directory.fields import TUPLE_FIELDS, district_of, with_own_district
from cairn.domain.directory.lifecycle import Action, Status, leads_to
from cairn.domain.directory.provider import Provider
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

providers = Table(
    "providers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid),
    Column("name", String(200), nullable=False),
    Column("contact_name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("phone", String(40)),
    Column("website", Text),
    Column("postcode", String(10), nullable=False),
    Column("district", String(5), nullable=False),
    # Lists are JSON lists of keys (SQLite and PostgreSQL both have a JSON type).
    Column("services", JSON, nullable=False),  # service-type keys
    Column("areas_covered", JSON, nullable=False, default=list),  # districts
    Column("availability", JSON, nullable=False, default=list),
    Column("sds_options", JSON, nullable=False, default=list),
    Column("languages", JSON, nullable=False, default=list),
    Column("price_per_hour", Numeric(8, 2)),
    Column("description", Text, nullable=False, default=""),
    Column("description_language", String(2), nullable=False, default="en"),
    Column("status", String(30), nullable=False),
    Column("decision_reason", Text),
    Column("question", Text),  # the CIC's request for more information
    Column("answer", Text),
    Column("hidden_reason", String(40)),
    Column("pending_edit", Text),  # JSON of the fields waiting for review
    Column("edit_proposed_at", DateTime(timezone=True)),
    Column("pvg_checked_on", Date),
    Column("pvg_renewal_due", Date),
    Column("pvg_membership_number", String(16)),
    Column("insurance_expires_on", Date),
    Column("insurer", String(200)),
    Column("insurance_policy_number", String(60)),
    Column("insurance_cover", Numeric(12, 2)),
    Column("standards_signed_on", Date),
    Column("standards_version", Integer),
    Column("training", JSON, nullable=False, default=list),  # course keys
    # Each course as recorded: {"course", "completed_on", "expires_on"} (ISO dates or None).
    Column("training_records", JSON, nullable=False, default=list),
    # Each check's evidence: {"id", "check", "course", "media_type", "on"}.
    Column("evidence", JSON, nullable=False, default=list),
    Column("approved_on", Date),
    Column("last_confirmed_on", Date),
    Column("intake", String(20)),  # taking / waiting-list / full; None: not said
    Column("intake_until", Date),
    Column("intake_on", Date),
    # The aggregate's version, which forms send back so a stale decision is refused.
    Column("version", Integer, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_providers_status_name", "status", "name"),
    Index("ix_providers_status_applied", "status", "applied_at"),
    Index("ix_providers_account", "account_id"),
    Index("ix_providers_insurance", "insurance_expires_on"),
    Index("ix_providers_pvg_renewal", "pvg_renewal_due"),
)


def _columns_for(changes: dict[str, Any]) -> dict[str, Any]:
    """Listing fields from an event -> column values."""
    values: dict[str, Any] = {}
    for field, value in changes.items():
        values[field] = list(value) if field in TUPLE_FIELDS else value
    if "postcode" in changes:
        values["district"] = district_of(changes["postcode"])
    return values


def _to_json(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)


class ProvidersProjection(BatchedProjection):
    name = "providers"
    tables = (providers,)

    @handles(Provider.Applied)
    def applied(self, conn: Connection, e: ev.Applied, position: int) -> None:
        self.rows.insert(
            providers,
            dict(
                id=e.originator_id,
                account_id=e.account_id,
                name=e.name,
                contact_name=e.contact_name,
                email=e.email,
                phone=e.phone,
                website=e.website,
                postcode=e.postcode,
                district=district_of(e.postcode),
                services=list(e.services),
                areas_covered=list(with_own_district(e.postcode, e.areas_covered)),
                availability=list(e.availability),
                sds_options=list(e.sds_options),
                languages=list(e.languages),
                price_per_hour=e.price_per_hour,
                description=e.description,
                description_language=e.description_language,
                status=Status.APPLIED.value,
                training=[],
                training_records=[],
                evidence=[],
                # Signed in the application (older applications: the day, no version).
                standards_signed_on=e.consented_on,
                standards_version=e.standards_version if e.consented_on else None,
                version=e.originator_version,
                applied_at=e.timestamp,
                updated_at=e.timestamp,
            ),
        )

    @handles(Provider.ApplicationUpdated)
    def application_updated(
        self, conn: Connection, e: ev.ApplicationUpdated, position: int
    ) -> None:
        values = _columns_for(e.changes)
        if "areas_covered" not in values and "postcode" in values:
            values["areas_covered"] = self._areas_with(conn, e, e.changes["postcode"])
        self._update(conn, e, **values)

    @handles(Provider.ReviewStarted)
    def review_started(self, conn: Connection, e: ev.ReviewStarted, position: int) -> None:
        self._update(conn, e, status=leads_to(Action.START_REVIEW).value)

    @handles(Provider.InformationRequested)
    def information_requested(
        self, conn: Connection, e: ev.InformationRequested, position: int
    ) -> None:
        self._update(
            conn, e, status=leads_to(Action.REQUEST_INFO).value, question=e.question, answer=None
        )

    @handles(Provider.InformationProvided)
    def information_provided(
        self, conn: Connection, e: ev.InformationProvided, position: int
    ) -> None:
        self._update(conn, e, status=leads_to(Action.PROVIDE_INFO).value, answer=e.answer)

    @handles(Provider.Approved)
    def approved(self, conn: Connection, e: ev.Approved, position: int) -> None:
        on = e.on or e.timestamp.date()
        self._update(
            conn, e, status=leads_to(Action.APPROVE).value, decision_reason=None, approved_on=on
        )

    @handles(Provider.Declined)
    def declined(self, conn: Connection, e: ev.Declined, position: int) -> None:
        self._update(conn, e, status=leads_to(Action.DECLINE).value, decision_reason=e.reason)

    @handles(Provider.Suspended)
    def suspended(self, conn: Connection, e: ev.Suspended, position: int) -> None:
        self._update(conn, e, status=leads_to(Action.SUSPEND).value, decision_reason=e.reason)

    @handles(Provider.Reinstated)
    def reinstated(self, conn: Connection, e: ev.Reinstated, position: int) -> None:
        self._update(conn, e, status=leads_to(Action.REINSTATE).value, decision_reason=None)

    @handles(Provider.Withdrawn)
    def withdrawn(self, conn: Connection, e: ev.Withdrawn, position: int) -> None:
        self._update(
            conn,
            e,
            status=leads_to(Action.WITHDRAW).value,
            decision_reason=e.reason or None,
            pending_edit=None,
            edit_proposed_at=None,
        )

    @handles(Provider.Removed)
    def removed(self, conn: Connection, e: ev.Removed, position: int) -> None:
        self._update(
            conn,
            e,
            status=leads_to(Action.REMOVE).value,
            decision_reason=e.reason,
            pending_edit=None,
            edit_proposed_at=None,
        )

    @handles(Provider.PvgRecorded)
    def pvg_recorded(self, conn: Connection, e: ev.PvgRecorded, position: int) -> None:
        self._update(
            conn,
            e,
            pvg_checked_on=e.checked_on,
            pvg_renewal_due=pvg_renewal_due(e.checked_on, e.renewal_due),
            pvg_membership_number=e.membership_number or None,
            **self._with_evidence(conn, e, "pvg"),
        )

    @handles(Provider.InsuranceRecorded)
    def insurance_recorded(self, conn: Connection, e: ev.InsuranceRecorded, position: int) -> None:
        self._update(
            conn,
            e,
            insurance_expires_on=e.expires_on,
            insurer=e.insurer or None,
            insurance_policy_number=e.policy_number or None,
            insurance_cover=e.cover,
            **self._with_evidence(conn, e, "insurance"),
        )

    @handles(Provider.TrainingRecorded)
    def training_recorded(self, conn: Connection, e: ev.TrainingRecorded, position: int) -> None:
        row = self._row(conn, e)
        courses = list(row["training"])  # a copy: the batch may hold the row's own list
        if e.course not in courses:
            courses.append(e.course)
        record = {
            "course": e.course,
            "completed_on": e.completed_on.isoformat() if e.completed_on else None,
            "expires_on": e.expires_on.isoformat() if e.expires_on else None,
        }
        records = [r for r in row["training_records"] or [] if r["course"] != e.course]
        self._update(
            conn,
            e,
            training=courses,
            training_records=[*records, record],
            **self._with_evidence(conn, e, "training", e.course),
        )

    @handles(Provider.StandardsSigned)
    def standards_signed(self, conn: Connection, e: ev.StandardsSigned, position: int) -> None:
        self._update(
            conn, e, standards_signed_on=e.signed_on, standards_version=e.standards_version
        )

    def _with_evidence(
        self,
        conn: Connection,
        e: ev.PvgRecorded | ev.InsuranceRecorded | ev.TrainingRecorded,
        check: str,
        course: str = "",
    ) -> dict[str, Any]:
        if e.evidence_id is None:
            return {}
        kept = list(self._row(conn, e)["evidence"] or [])
        kept.append(
            {
                "id": str(e.evidence_id),
                "check": check,
                "course": course,
                "media_type": e.evidence_type,
                "on": e.on.isoformat(),
            }
        )
        return {"evidence": kept}

    @handles(Provider.ListingHidden)
    def listing_hidden(self, conn: Connection, e: ev.ListingHidden, position: int) -> None:
        self._update(conn, e, hidden_reason=e.reason)

    @handles(Provider.ListingShown)
    def listing_shown(self, conn: Connection, e: ev.ListingShown, position: int) -> None:
        self._update(conn, e, hidden_reason=None)

    @handles(Provider.ListingEditProposed)
    def edit_proposed(self, conn: Connection, e: ev.ListingEditProposed, position: int) -> None:
        self._update(conn, e, pending_edit=_to_json(e.changes), edit_proposed_at=e.timestamp)

    @handles(Provider.ListingEditApproved)
    def edit_approved(self, conn: Connection, e: ev.ListingEditApproved, position: int) -> None:
        values = _columns_for(e.changes)
        if "areas_covered" not in values and "postcode" in values:
            values["areas_covered"] = self._areas_with(conn, e, e.changes["postcode"])
        self._update(conn, e, pending_edit=None, edit_proposed_at=None, **values)

    @handles(Provider.ListingEditRejected)
    def edit_rejected(self, conn: Connection, e: ev.ListingEditRejected, position: int) -> None:
        self._update(conn, e, pending_edit=None, edit_proposed_at=None)

    @handles(Provider.ListingConfirmed)
    def listing_confirmed(self, conn: Connection, e: ev.ListingConfirmed, position: int) -> None:
        self._update(conn, e, last_confirmed_on=e.on)

    @handles(Provider.IntakeSet)
    def intake_set(self, conn: Connection, e: ev.IntakeSet, position: int) -> None:
        self._update(conn, e, intake=e.intake, intake_until=e.until, intake_on=e.on)

    @handles(Provider.IntakeLapsed)
    def intake_lapsed(self, conn: Connection, e: ev.IntakeLapsed, position: int) -> None:
        self._update(conn, e, intake=None, intake_until=None, intake_on=None)

    @handles(Provider.AccountLinked)
    def account_linked(self, conn: Connection, e: ev.AccountLinked, position: int) -> None:
        self._update(conn, e, account_id=e.account_id)

    def _row(self, conn: Connection, e: Aggregate.Event) -> dict[str, Any]:
        row = self.rows.get(conn, providers, e.originator_id)
        assert row is not None, f"no provider row for {e.originator_id}"
        return row

    def _areas_with(self, conn: Connection, e: Aggregate.Event, postcode: str) -> list[str]:
        return list(with_own_district(postcode, self._row(conn, e)["areas_covered"]))

    def _update(self, conn: Connection, e: Aggregate.Event, **values: Any) -> None:
        if isinstance(values.get("price_per_hour"), str):
            values["price_per_hour"] = Decimal(values["price_per_hour"])
        self.rows.update(
            providers,
            e.originator_id,
            {"version": e.originator_version, "updated_at": e.timestamp, **values},
        )
