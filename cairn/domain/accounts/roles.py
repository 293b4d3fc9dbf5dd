"""The roles an account can hold, and which of them lead the partnership."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from cairn.domain.text import _


class Role(StrEnum):
    CIC_ADMIN = "cic-admin"
    TEAM_MEMBER = "team-member"
    PROVIDER = "provider"
    # Partnership staff who read across the teams (what each team shares), form teams, give
    # them members and record funding; a CIC administrator gives the role.
    PARTNERSHIP_LEAD = "partnership-lead"


# What people read for each role, translated at display.
ROLE_LABELS: dict[Role, str] = {
    Role.CIC_ADMIN: _("CIC administrator"),
    Role.TEAM_MEMBER: _("Team member"),
    Role.PROVIDER: _("Provider"),
    Role.PARTNERSHIP_LEAD: _("Partnership lead"),
}

# Roles that follow something else rather than being held for good: the team-member role
# is exactly "in at least one team now", so leaving the last team takes it away.
MEMBERSHIP_ROLES = frozenset({Role.TEAM_MEMBER})

# Who runs the partnership's side of learning: forming teams, creating accounts for their
# members, adding members to any team and recording funding.
PARTNERSHIP_ROLES = frozenset({Role.CIC_ADMIN, Role.PARTNERSHIP_LEAD})


def effective_roles(stored: Iterable[str], *, in_a_team: bool) -> frozenset[str]:
    """The roles an account acts with: stored roles, except that the team-member role
    comes only from current team membership (older accounts hold it as a stored role)."""
    roles = {name for name in stored if name not in MEMBERSHIP_ROLES}
    if in_a_team:
        roles.add(Role.TEAM_MEMBER.value)
    return frozenset(roles)


def runs_partnership(roles: Iterable[str]) -> bool:
    """A CIC administrator or a partnership lead (role names, as stored or effective)."""
    return any(name in PARTNERSHIP_ROLES for name in roles)


def reads_across_teams(roles: Iterable[str]) -> bool:
    """A partnership lead reads every team's 'shared' learning; a CIC administrator runs the
    platform and reads only what any member would (docs/security.md)."""
    return Role.PARTNERSHIP_LEAD.value in set(roles)
