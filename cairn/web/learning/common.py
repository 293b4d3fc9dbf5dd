"""What every learning view shares: the two blueprints, who the reader is, and the one way a
command's outcome reaches a form.

Everything under /learning is for signed-in members (team members, partnership leads and CIC
administrators); anyone else is sent to sign in. /funding is public. Every list goes through a
query that filters with the reader's visibility scopes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask import Blueprint, abort, current_app, flash
from flask_babel import format_currency, format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape

from cairn.domain.accounts.roles import Role, runs_partnership
from cairn.domain.errors import DomainError, StaleState
from cairn.domain.learning.commands import NotAllowed
from cairn.domain.learning.visibility import ANONYMOUS, Reader
from cairn.domain.learning.vocabulary import (
    CONSENT_WAYS,
    EXPERIMENT_KINDS,
    OUTCOMES,
    PRINCIPLES,
    STAGES,
    VISIBILITY,
    VOICES,
)
from cairn.domain.validation import DEFAULT_TEXT_LANGUAGE, parse_date
from cairn.readmodels.learning import queries as q
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import translate
from cairn.web.learning.run_chart import run_charts

bp = Blueprint("learning", __name__, template_folder="templates", url_prefix="/learning")
funding_bp = Blueprint("funding", __name__, template_folder="templates")

F = TypeVar("F", bound=Callable[..., Any])


def members_only(view: F) -> F:
    """Signed-out people are sent to sign in; accounts without a learning role get 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        if not in_learning():
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def readable_or_refused(row: Any) -> Any:
    """The item, if this reader may read it. Otherwise a signed-out person is asked to sign
    in and a signed-in one gets 404: the same answer whether or not it exists."""
    if row is not None:
        return row
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())  # type: ignore[attr-defined]
    abort(404)


def person(who: q.Person) -> str:
    """How someone who recorded learning is shown: their name inside the team, their role
    beyond it (readmodels' `Person`)."""
    if who.name:
        return str(who.name)
    if who.is_lead is None:
        return str(_("a former member of the team"))
    return str(_("a team lead") if who.is_lead else _("a team member"))


@bp.record_once
def _template_globals(state: Any) -> None:
    """The learning vocabularies, for templates and the macros they import."""
    state.app.jinja_env.globals.update(
        PRINCIPLES=PRINCIPLES,
        VOICES=VOICES,
        CONSENT_WAYS=CONSENT_WAYS,
        VISIBILITY=VISIBILITY,
        STAGES=STAGES,
        OUTCOMES=OUTCOMES,
        EXPERIMENT_KINDS=EXPERIMENT_KINDS,
        pounds=lambda amount: format_currency(amount, "GBP"),
        number=lambda value: format_decimal(value),
        run_charts=run_charts,
    )
    state.app.jinja_env.filters["or_redacted"] = or_redacted
    state.app.jinja_env.filters["written_in"] = written_in
    state.app.jinja_env.filters["title_in"] = title_in
    state.app.jinja_env.filters["person"] = person
    state.app.jinja_env.globals["in_learning"] = in_learning
    state.app.jinja_env.globals["leads_partnership"] = leads_partnership


def or_redacted(title: str | None) -> str:
    """A reflection's title, or a plain word when the version showing it was redacted."""
    return title or _("(redacted)")


def written_in(text: str | None, language: str | None) -> Markup:
    """Words someone wrote, marked with the language they wrote them in (WCAG 3.1.2: an
    English reflection on a Gaelic page is read in an English voice)."""
    if not text:
        return Markup("")
    return Markup('<span lang="{}">{}</span>').format(language or DEFAULT_TEXT_LANGUAGE, text)


def title_in(title: str | None, language: str | None) -> Markup:
    """A title as `written_in` marks it; a redacted one is the page's own word, unmarked."""
    return written_in(title, language) if title else escape(or_redacted(title))


def engine() -> Any:
    return runtime().read_engine


def me() -> UUID:
    account_id: UUID = current_user.account_id
    return account_id


def reader() -> Reader:
    if not current_user.is_authenticated:
        return ANONYMOUS
    return q.reader_of(engine(), me())


def is_admin() -> bool:
    return bool(current_user.is_authenticated and current_user.has_role(Role.CIC_ADMIN))


def in_learning() -> bool:
    """A team member, a partnership lead or a CIC admin: someone the team pages (timeline,
    board) are for."""
    return bool(
        current_user.is_authenticated
        and (current_user.has_role(Role.TEAM_MEMBER) or runs_partnership(current_user.roles))
    )


def leads_partnership() -> bool:
    """A partnership lead or a CIC admin: forms teams, gives them members, records funding
    (the domain checks again; this decides what the pages offer)."""
    return bool(current_user.is_authenticated and runs_partnership(current_user.roles))


def team_or_404(team_id: UUID) -> Any:
    team = q.team_by_id(engine(), team_id)
    if team is None:
        abort(404)
    return team


def can_add_members(team_id: UUID) -> bool:
    """The team's leads and the partnership's staff (LearningCommands' membership rule)."""
    return leads_partnership() or can_manage(team_id)


def can_manage(team_id: UUID) -> bool:
    if is_admin():
        return True
    if not current_user.is_authenticated:
        return False
    return any(m.id == me() and m.is_lead for m in q.team_members(engine(), team_id))


def require_membership(team_id: UUID) -> None:
    """Only the team's own members write its learning: others get 403, not a form."""
    if team_id not in reader().member_of:
        abort(403)


def date_or_none(text: str | None) -> date | None:
    return parse_date(text) if text else None


def ok(message: str) -> None:
    flash(message, "success")


def attempt(form: FlaskForm, command: Callable[[], Any], *, keep_stale: bool = False) -> Any:
    """Run a command and wait for the read models; the command's answer, or None.

    Someone without the right gets 403; a rule the command breaks becomes an error on the
    form. With `keep_stale`, a save over someone else's raises StaleState for the caller,
    which shows both versions."""
    try:
        return settle(command())
    except NotAllowed:
        abort(403)
    except DomainError as error:
        if keep_stale and isinstance(error, StaleState):
            raise
        form.form_errors.append(translate(error.message))
    return None


def status_of(form: FlaskForm) -> int:
    """400 for a form that came back with errors, else 200."""
    return 400 if form.errors or form.form_errors else 200


def attempt_revision(
    form: FlaskForm, command: Callable[[], Any], latest: Callable[[], Any], message: str
) -> tuple[Any, Any]:
    """A revision, as `attempt`, that may meet someone else's save: (its answer, None), or
    (None, the latest row) when someone saved first. Then the form says so and carries the
    latest version, so saving again over theirs is a deliberate choice (theirs stays in the
    history)."""
    try:
        return attempt(form, command, keep_stale=True), None
    except StaleState:
        theirs = latest()
        form.form_errors.append(message)
        form.version.data = theirs.version
        form.version.raw_data = [str(theirs.version)]
        return None, theirs
