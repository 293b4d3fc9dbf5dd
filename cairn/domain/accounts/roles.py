"""The roles an account can hold."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    CIC_ADMIN = "cic-admin"
    TEAM_MEMBER = "team-member"
    PROVIDER = "provider"


# Roles that follow something else rather than being held for good: the team-member role
# is exactly "in at least one team now", so leaving the last team takes it away.
MEMBERSHIP_ROLES = frozenset({Role.TEAM_MEMBER})


def effective_roles(stored: Iterable[str], *, in_a_team: bool) -> frozenset[str]:
    """The roles an account acts with: stored roles, except that the team-member role
    comes only from current team membership (older accounts hold it as a stored role)."""
    roles = {name for name in stored if name not in MEMBERSHIP_ROLES}
    if in_a_team:
        roles.add(Role.TEAM_MEMBER.value)
    return frozenset(roles)
