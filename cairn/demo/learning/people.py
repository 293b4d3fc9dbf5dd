"""The demo's people and the helper that writes their learning through the commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from cairn.demo import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.learning.content import ReflectionContent


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    lead: bool = False


@dataclass
class Demo:
    runtime: Runtime
    admin_id: UUID
    password: str
    today: date
    ids: dict[str, UUID] = field(default_factory=dict)

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def person(self, who: Person) -> UUID:
        accounts = self.runtime.app.accounts
        account_id = accounts.account_id_for(who.email)
        if account_id is None:
            account_id = accounts.register(
                who.email, who.name, [Role.TEAM_MEMBER], self.password
            ).id
        return account_id

    def team(self, name: str, purpose: str, people: list[Person]) -> tuple[UUID, list[UUID]]:
        learning = self.runtime.app.learning
        members = [self.person(p) for p in people]
        team_id = learning.form_team(name, purpose, by=self.admin_id, lead_id=members[0]).id
        for person, account_id in zip(people[1:], members[1:], strict=True):
            learning.add_member(team_id, account_id, by=members[0], as_lead=person.lead)
        return team_id, members

    def reflect(self, team_id: UUID, by: UUID, days_ago: int, **fields: object) -> UUID:
        content = ReflectionContent(happened_on=self.ago(days_ago), **fields)  # type: ignore[arg-type]
        return self.runtime.app.learning.record_reflection(team_id, content, by=by).id
