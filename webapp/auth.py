"""Signing in: Flask-Login users come from the accounts read model."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask import abort, current_app
from flask_login import UserMixin, current_user

from domain.accounts.roles import Role
from webapp.queries import account_by_id

F = TypeVar("F", bound=Callable[..., Any])


class User(UserMixin):  # type: ignore[misc]
    def __init__(self, account_id: UUID, email: str, display_name: str, roles: str) -> None:
        self.account_id = account_id
        self.email = email
        self.display_name = display_name
        self.roles = frozenset(roles.split())

    def get_id(self) -> str:
        return str(self.account_id)

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles


def load_user(user_id: str) -> User | None:
    try:
        account_id = UUID(user_id)
    except ValueError:
        return None
    row = account_by_id(current_app.extensions["cairn"].read_engine, account_id)
    if row is None:
        return None
    return User(row.id, row.email, row.display_name, row.roles)


def role_required(role: Role) -> Callable[[F], F]:
    """Signed-out people are sent to sign in; signed-in people without the role get 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
