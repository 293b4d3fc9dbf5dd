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
