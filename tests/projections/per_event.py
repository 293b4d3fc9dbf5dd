"""The small projections as they were before they wrote through BatchWriter: one SQL
statement per event, each seeing the last one's effect in the database. Kept only to check
that the batched versions leave exactly the same rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, update

from cairn.domain.directory.report import ProblemReport
from cairn.domain.enquiries.demand import UnmetDemandSignal
from cairn.domain.enquiries.enquiry import Enquiry
from cairn.domain.learning.team import Team
from cairn.readmodels.base import Projection, handles
from cairn.readmodels.directory.provider_reports import provider_reports
from cairn.readmodels.enquiries.enquiries import enquiries
from cairn.readmodels.enquiries.unmet_demand import unmet_demand
from cairn.readmodels.learning.teams import (
    learning_memberships,
    learning_team_shares,
    learning_teams,
)


class PerEventLearningTeams(Projection):
    name = "learning-teams"
    tables = (learning_teams, learning_memberships, learning_team_shares)

    @handles(Team.Formed)
    def formed(self, conn: Connection, e: Any, position: int) -> None:
        conn.execute(
            insert(learning_teams).values(
                id=e.originator_id,
                name=e.name,
                purpose=e.purpose,
                shares_with_everyone=False,
                version=e.originator_version,
                formed_at=e.timestamp,
            )
        )

    def _touch(self, conn: Connection, e: Any, **values: Any) -> None:
        conn.execute(
            update(learning_teams)
            .where(learning_teams.c.id == e.originator_id)
            .values(version=e.originator_version, **values)
        )

    @handles(Team.MemberAdded)
    def member_added(self, conn: Connection, e: Any, position: int) -> None:
        where = (learning_memberships.c.team_id == e.originator_id) & (
            learning_memberships.c.account_id == e.account_id
        )
        conn.execute(delete(learning_memberships).where(where))
        conn.execute(
            insert(learning_memberships).values(
                team_id=e.originator_id,
                account_id=e.account_id,
                is_lead=e.as_lead,
                joined_at=e.timestamp,
            )
        )
        self._touch(conn, e)

    @handles(Team.MemberRemoved)
    def member_removed(self, conn: Connection, e: Any, position: int) -> None:
        conn.execute(
            delete(learning_memberships).where(
                (learning_memberships.c.team_id == e.originator_id)
                & (learning_memberships.c.account_id == e.account_id)
            )
        )
        self._touch(conn, e)

    @handles(Team.SharingChanged)
    def sharing_changed(self, conn: Connection, e: Any, position: int) -> None:
        conn.execute(
            delete(learning_team_shares).where(learning_team_shares.c.team_id == e.originator_id)
        )
        if e.team_ids:
            conn.execute(
                insert(learning_team_shares),
                [{"team_id": e.originator_id, "reader_team_id": t} for t in e.team_ids],
            )
        self._touch(conn, e, shares_with_everyone=e.everyone)


class PerEventEnquiries(Projection):
    name = "enquiries"
    tables = (enquiries,)

    @handles(Enquiry.Received)
    def received(self, conn: Connection, e: Any, position: int) -> None:
        conn.execute(
            insert(enquiries).values(
                id=e.originator_id,
                provider_id=e.provider_id,
                name=e.name,
                contact=e.contact,
                message=e.message,
                consent=e.consent,
                received_at=e.timestamp,
            )
        )

    @handles(Enquiry.Answered)
    def answered(self, conn: Connection, e: Any, position: int) -> None:
        self._set(conn, e, answered_at=e.timestamp)

    @handles(Enquiry.NotificationClaimed)
    def claimed(self, conn: Connection, e: Any, position: int) -> None:
        self._set(conn, e, claimed_until=e.until, claimed_by=e.sender)

    @handles(Enquiry.NotificationSent)
    def sent(self, conn: Connection, e: Any, position: int) -> None:
        self._set(conn, e, notified_at=e.timestamp)

    @handles(Enquiry.Purged)
    def purged(self, conn: Connection, e: Any, position: int) -> None:
        conn.execute(delete(enquiries).where(enquiries.c.id == e.originator_id))

    def _set(self, conn: Connection, e: Any, **values: Any) -> None:
        conn.execute(update(enquiries).where(enquiries.c.id == e.originator_id).values(**values))


class PerEventUnmetDemand(Projection):
    name = "unmet-demand"
    tables = (unmet_demand,)

    @handles(UnmetDemandSignal.Recorded)
    def recorded(self, conn: Connection, e: Any, position: int) -> None:
        conn.execute(
            insert(unmet_demand),
            [
                {
                    "signal_id": e.originator_id,
                    "district": e.district,
                    "service": service,
                    "days": ";".join(e.days),
                    "times": ";".join(e.times),
                    "recorded_on": e.timestamp.date(),
                    "month": e.timestamp.strftime("%Y-%m"),
                }
                for service in (e.services or ("",))
            ],
        )


class PerEventProviderReports(Projection):
    name = "provider_reports"
    tables = (provider_reports,)

    @handles(ProblemReport.Reported)
    def reported(self, conn: Connection, e: Any, position: int) -> None:
        conn.execute(
            insert(provider_reports).values(
                id=e.originator_id,
                provider_id=e.provider_id,
                category=e.category,
                details=e.details,
                reporter_email=e.reporter_email,
                reported_at=e.timestamp,
                resolved=False,
                version=e.originator_version,
            )
        )

    @handles(ProblemReport.Resolved)
    def resolved(self, conn: Connection, e: Any, position: int) -> None:
        conn.execute(
            update(provider_reports)
            .where(provider_reports.c.id == e.originator_id)
            .values(
                resolved=True,
                resolved_by=e.by,
                resolved_at=e.timestamp,
                note=e.note,
                version=e.originator_version,
            )
        )


PER_EVENT = (PerEventLearningTeams, PerEventEnquiries, PerEventUnmetDemand, PerEventProviderReports)
