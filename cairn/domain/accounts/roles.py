"""The roles an account can hold."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CIC_ADMIN = "cic-admin"
    TEAM_MEMBER = "team-member"
    PROVIDER = "provider"


def parse_roles(values: object) -> tuple[Role, ...]:
    """Roles in a stable order, without repeats; unknown names raise ValueError."""
    if isinstance(values, str):
        values = [v for v in values.replace(",", " ").split() if v]
    if not isinstance(values, list | tuple | set | frozenset):
        raise TypeError("roles must be a string or a collection")
    wanted = {Role(str(v)) for v in values}
    return tuple(role for role in Role if role in wanted)


# Roles that follow something else rather than being held for good: the team-member role
# is exactly "in at least one team now", so leaving the last team takes it away.
MEMBERSHIP_ROLES = frozenset({Role.TEAM_MEMBER})


def effective_roles(stored: str | tuple[str, ...], *, in_a_team: bool) -> frozenset[str]:
    """The roles an account acts with: stored roles, except that the team-member role
    comes only from current team membership (older accounts hold it as a stored role)."""
    names = stored.split() if isinstance(stored, str) else list(stored)
    roles = {name for name in names if name not in MEMBERSHIP_ROLES}
    if in_a_team:
        roles.add(Role.TEAM_MEMBER.value)
    return frozenset(roles)
