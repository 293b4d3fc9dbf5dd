"""Signing in: Flask-Login users come from the accounts read model, and each request's
session is checked against the server-side session table (cairn/infrastructure/sessions.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask import abort, current_app, flash, g, session
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_user, logout_user

from cairn.domain.accounts.roles import Role, effective_roles, runs_partnership
from cairn.domain.personal import is_erased
from cairn.infrastructure.sessions import Verdict
from cairn.readmodels.accounts.queries import account_state

# The session cookie's key for the server-side session token.
SESSION_KEY = "sid"
# Kept across sign-in and sign-out: the language the person chose.
_KEPT = ("lang",)

F = TypeVar("F", bound=Callable[..., Any])


class User(UserMixin):  # type: ignore[misc]
    def __init__(
        self, account_id: UUID, email: str, display_name: str, roles: frozenset[str]
    ) -> None:
        self.account_id = account_id
        self.email = email
        self.display_name = display_name
        self.roles = roles

    def get_id(self) -> str:
        return str(self.account_id)

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles


def load_user(user_id: str) -> User | None:
    """The signed-in person, if the session is still live on the server: not signed out
    (here or elsewhere), not idle too long, not past its lifetime, account not disabled."""
    try:
        account_id = UUID(user_id)
    except ValueError:
        return None
    rt = current_app.extensions["cairn"]
    state = account_state(rt.read_engine, account_id)
    token = session.get(SESSION_KEY)
    # An erased person's account stays in the log, but nobody is signed in as it.
    if state is None or state.disabled or is_erased(state.email):
        if state is not None:
            rt.sessions.end_all(account_id)
        _forget(Verdict.ENDED)
        return None
    roles = effective_roles(state.roles, in_a_team=state.in_a_team)
    verdict = rt.sessions.check(
        token if isinstance(token, str) else None,
        account_id,
        # The stricter idle limit for whoever can create accounts and record funding.
        admin=runs_partnership(roles),
    )
    if verdict is not Verdict.OK:
        _forget(verdict)
        return None
    return User(state.id, state.email, state.display_name, roles)


def user_for(account_id: UUID) -> User | None:
    """The person as they are about to be signed in (None if the account is gone)."""
    state = account_state(current_app.extensions["cairn"].read_engine, account_id)
    if state is None:
        return None
    roles = effective_roles(state.roles, in_a_team=state.in_a_team)
    return User(state.id, state.email, state.display_name, roles)


def start_session(user: User) -> None:
    """Sign in on a fresh session: nothing from before survives (no session fixation), so
    the CSRF token is new too, and a new server-side session is started."""
    _clear_session()
    login_user(user)
    session[SESSION_KEY] = current_app.extensions["cairn"].sessions.start(user.account_id)


def end_session() -> None:
    """Sign out here: the server forgets this session, so a copy of the cookie is useless."""
    current_app.extensions["cairn"].sessions.end(_token())
    logout_user()
    _clear_session()


def end_every_session(account_id: UUID) -> int:
    """End all the account's sessions, on every worker and node."""
    ended: int = current_app.extensions["cairn"].sessions.end_all(account_id)
    return ended


def _token() -> str | None:
    token = session.get(SESSION_KEY)
    return token if isinstance(token, str) else None


def _clear_session() -> None:
    kept = {key: session[key] for key in _KEPT if key in session}
    session.clear()
    session.update(kept)
    # Flask-WTF keeps this request's token in g: drop it so any form rendered now gets the new one.
    g.pop("csrf_token", None)


_REASONS = {
    Verdict.IDLE: "idle",
    Verdict.LIFETIME: "lifetime",
    Verdict.ENDED: "ended",
}


def _forget(verdict: Verdict) -> None:
    """The cookie names a session the server no longer honours: drop it, and say why."""
    if "_user_id" not in session:
        return
    _clear_session()
    settings = current_app.extensions["cairn"].settings
    if verdict is Verdict.IDLE:
        message = _(
            "You were signed out because you had not used Cairn for a while. "
            "Sign in again to carry on."
        )
    elif verdict is Verdict.LIFETIME:
        message = _(
            "You were signed out because you had been signed in for %(hours)d hours. "
            "Sign in again to carry on.",
            hours=settings.session_lifetime_hours,
        )
    else:
        message = _("Your session has ended. Sign in again to carry on.")
    flash(message, "info")


def role_required(role: Role) -> Callable[[F], F]:
    """Signed-out people are sent to sign in; signed-in people without the role get 403."""
    return any_role_required((role,))


def any_role_required(roles: Iterable[Role]) -> Callable[[F], F]:
    """As `role_required`, for people holding any one of `roles`."""
    allowed = tuple(roles)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not any(current_user.has_role(role) for role in allowed):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def signed_in_required(view: F) -> F:
    """Signed-out people (or people whose session ended) are sent to sign in."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
