"""Teams, their members and who each team shares its learning with."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, Connection, DateTime, Integer, String, Table, Text, Uuid

from cairn.domain.learning.team import Team
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

learning_teams = Table(
    "learning_teams",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("shares_with_everyone", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("formed_at", DateTime(timezone=True), nullable=False),
)

learning_memberships = Table(
    "learning_memberships",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("account_id", Uuid, primary_key=True, index=True),
    Column("is_lead", Boolean, nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
)

learning_team_shares = Table(
    "learning_team_shares",
    metadata,
    # `team_id` shares its 'shared' learning with `reader_team_id`.
    Column("team_id", Uuid, primary_key=True),
    Column("reader_team_id", Uuid, primary_key=True, index=True),
)

# People from beyond a team whom it named its learning partners (docs/learning.md).
learning_partners = Table(
    "learning_partners",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("account_id", Uuid, primary_key=True, index=True),
    Column("named_at", DateTime(timezone=True), nullable=False),
)


class LearningTeamsProjection(BatchedProjection):
    name = "learning-teams"
    tables = (learning_teams, learning_memberships, learning_team_shares, learning_partners)

    @handles(Team.Formed)
    def formed(self, conn: Connection, e: Team.Formed, position: int) -> None:
        self.rows.insert(
            learning_teams,
            dict(
                id=e.originator_id,
                name=e.name,
                purpose=e.purpose,
                shares_with_everyone=False,
                version=e.originator_version,
                formed_at=e.timestamp,
            ),
        )

    def _touch(self, e: Team.Event, **values: Any) -> None:
        self.rows.update(
            learning_teams, e.originator_id, {"version": e.originator_version, **values}
        )

    @handles(Team.MemberAdded)
    def member_added(self, conn: Connection, e: Team.MemberAdded, position: int) -> None:
        # Adding someone already in the team replaces their membership (lead or not, when).
        self.rows.replace(
            learning_memberships,
            dict(
                team_id=e.originator_id,
                account_id=e.account_id,
                is_lead=e.as_lead,
                joined_at=e.timestamp,
            ),
        )
        self._touch(e)

    @handles(Team.MemberRemoved)
    def member_removed(self, conn: Connection, e: Team.MemberRemoved, position: int) -> None:
        self.rows.delete(learning_memberships, (e.originator_id, e.account_id))
        self._touch(e)

    @handles(Team.SharingChanged)
    def sharing_changed(self, conn: Connection, e: Team.SharingChanged, position: int) -> None:
        self.rows.replace_set(
            learning_team_shares,
            "team_id",
            e.originator_id,
            [{"team_id": e.originator_id, "reader_team_id": t} for t in e.team_ids],
        )
        self._touch(e, shares_with_everyone=e.everyone)

    @handles(Team.PartnerNamed)
    def partner_named(self, conn: Connection, e: Team.PartnerNamed, position: int) -> None:
        self.rows.replace(
            learning_partners,
            dict(team_id=e.originator_id, account_id=e.account_id, named_at=e.timestamp),
        )
        self._touch(e)

    @handles(Team.PartnerRemoved)
    def partner_removed(self, conn: Connection, e: Team.PartnerRemoved, position: int) -> None:
        self.rows.delete(learning_partners, (e.originator_id, e.account_id))
        self._touch(e)
