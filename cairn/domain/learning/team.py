"""The Team aggregate: a learning community, its members and who it shares learning with."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError
from cairn.domain.validation import Invalid, _, clean_text


def _team_text(value: str, label: str, max_length: int, *, required: bool) -> str:
    if not value.strip():
        if required:
            raise DomainError(_("Enter {label}.").format(label=label))
        return ""
    try:
        return clean_text(value, max_length=max_length, multiline=max_length > 200)
    except Invalid as error:
        raise DomainError(error.message) from None


class Team(Aggregate):
    """Commissioners, partnership staff, providers, peer workers and people with lived
    experience who learn together. Members are accounts; leads may add others."""

    # The events the read models read, typed so a renamed field fails the type check.
    class Formed(Aggregate.Created):
        name: str
        purpose: str
        formed_by: UUID

    class MemberAdded(Aggregate.Event):
        account_id: UUID
        as_lead: bool
        by: UUID

    class MemberRemoved(Aggregate.Event):
        account_id: UUID
        by: UUID

    class SharingChanged(Aggregate.Event):
        team_ids: list[UUID]
        everyone: bool
        by: UUID

    # A learning partner: someone from beyond the team (by account) who reads what the team
    # shares and is invited to comment on it (docs/learning.md, "Conversation").
    class PartnerNamed(Aggregate.Event):
        account_id: UUID
        by: UUID

    class PartnerRemoved(Aggregate.Event):
        account_id: UUID
        by: UUID

    @event(Formed)
    def __init__(self, name: str, purpose: str, formed_by: UUID) -> None:
        self.name = name
        self.purpose = purpose
        self.formed_by = formed_by
        # account id -> True for a team lead
        self.members: dict[UUID, bool] = {}
        self.shared_with: tuple[UUID, ...] = ()
        self.shared_with_everyone = False
        self.partners: set[UUID] = set()

    @classmethod
    def form(cls, name: str, purpose: str, formed_by: UUID) -> Team:
        return cls(
            name=_team_text(name, _("the team's name"), 120, required=True),
            purpose=_team_text(purpose, _("the team's purpose"), 2000, required=False),
            formed_by=formed_by,
        )

    def is_member(self, account_id: UUID) -> bool:
        return account_id in self.members

    def is_lead(self, account_id: UUID) -> bool:
        return self.members.get(account_id, False)

    def add_member(self, account_id: UUID, *, as_lead: bool, by: UUID) -> None:
        if self.members.get(account_id) is not None and self.members[account_id] == as_lead:
            raise DomainError(_("That person is already in this team."))
        leads = [member for member, lead in self.members.items() if lead]
        if not as_lead and leads == [account_id]:
            raise DomainError(_("A team needs a lead: make someone else a lead first."))
        self._member_added(account_id=account_id, as_lead=as_lead, by=by)

    @event(MemberAdded)
    def _member_added(self, account_id: UUID, as_lead: bool, by: UUID) -> None:
        self.members[account_id] = as_lead

    def remove_member(self, account_id: UUID, *, by: UUID) -> None:
        if account_id not in self.members:
            raise DomainError(_("That person is not in this team."))
        leads = [member for member, lead in self.members.items() if lead]
        if leads == [account_id]:
            raise DomainError(
                _("A team needs a lead: make someone else a lead before removing this one.")
            )
        self._member_removed(account_id=account_id, by=by)

    @event(MemberRemoved)
    def _member_removed(self, account_id: UUID, by: UUID) -> None:
        del self.members[account_id]

    def share(self, team_ids: Iterable[UUID], *, everyone: bool, by: UUID) -> None:
        chosen = tuple(dict.fromkeys(team_ids))
        if self.id in chosen:
            raise DomainError(_("A team always reads its own learning: choose other teams."))
        if set(chosen) == set(self.shared_with) and everyone == self.shared_with_everyone:
            raise DomainError(_("Nothing changed: the team already shares with exactly these."))
        self._sharing_changed(team_ids=list(chosen), everyone=everyone, by=by)

    @event(SharingChanged)
    def _sharing_changed(self, team_ids: list[UUID], everyone: bool, by: UUID) -> None:
        self.shared_with = tuple(team_ids)
        self.shared_with_everyone = everyone

    # -- learning partners ------------------------------------------------------------

    def is_partner(self, account_id: UUID) -> bool:
        return account_id in getattr(self, "partners", ())

    def name_partner(self, account_id: UUID, *, by: UUID) -> None:
        if self.is_member(account_id):
            raise DomainError(
                _("That person is in this team: a learning partner is from beyond it.")
            )
        if self.is_partner(account_id):
            raise DomainError(_("That person is already one of the team's learning partners."))
        self._partner_named(account_id=account_id, by=by)

    @event(PartnerNamed)
    def _partner_named(self, account_id: UUID, by: UUID) -> None:
        self.partners.add(account_id)

    def remove_partner(self, account_id: UUID, *, by: UUID) -> None:
        if not self.is_partner(account_id):
            raise DomainError(_("That person is not one of the team's learning partners."))
        self._partner_removed(account_id=account_id, by=by)

    @event(PartnerRemoved)
    def _partner_removed(self, account_id: UUID, by: UUID) -> None:
        self.partners.discard(account_id)
