"""The conversation's pages: commenting on a reflection or an experiment (and editing or
removing one's own comment), setting and clearing a review date, and a team's learning
partners. Each works without script; with htmx a comment is added in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cairn.domain.errors import DomainError
from cairn.domain.learning.commands import NotAllowed
from cairn.domain.learning.conversation import EXPERIMENT, REFLECTION
from cairn.readmodels.learning import queries as q
from cairn.readmodels.learning.queries.conversation import LEAD, MEMBER, PARTNER, Commenter
from cairn.web.commanding import runtime, settle
from cairn.web.extensions import htmx
from cairn.web.i18n import translate
from cairn.web.learning import experiments as experiment_pages
from cairn.web.learning import reflections as reflection_pages
from cairn.web.learning import teams as team_pages
from cairn.web.learning.common import (
    attempt,
    bp,
    engine,
    me,
    members_only,
    ok,
    readable_or_refused,
    reader,
    team_or_404,
)
from cairn.web.learning.conversation_forms import (
    CommentForm,
    PartnerForm,
    ReviewDateForm,
    ReviewedForm,
)
from cairn.web.learning.conversation_parts import COMMENT, REVIEW, REVIEWED, conversation


@bp.record_once
def _filters(state: Any) -> None:
    state.app.jinja_env.filters["commenter"] = commenter


def commenter(who: Commenter) -> str:
    """A comment's author: their name inside the team, their role beyond it."""
    if who.name:
        return who.name
    return str(
        {
            LEAD: _("a team lead"),
            MEMBER: _("a team member"),
            PARTNER: _("a learning partner"),
        }.get(who.role, _("someone from beyond the team"))
    )


def _signed_in() -> None:
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())  # type: ignore[attr-defined]


def _item(kind: str, item_id: UUID) -> Any:
    """The item, if this reader may read it (else sign in, or 404)."""
    finder = q.experiment if kind == EXPERIMENT else q.reflection
    return readable_or_refused(finder(engine(), reader(), item_id))


def _item_url(kind: str, item_id: UUID, anchor: str = "") -> str:
    if kind == EXPERIMENT:
        url = url_for("learning.experiment", experiment_id=item_id)
    else:
        url = url_for("learning.reflection", reflection_id=item_id)
    return url + (f"#{anchor}" if anchor else "")


def _item_page(kind: str, row: Any, status: int, **forms: Any) -> Any:
    """The item's own page, with a conversation form sent back with its errors."""
    parts = conversation(kind, row, **forms)
    if kind == EXPERIMENT:
        return experiment_pages.experiment_page(row, status, **parts)
    return reflection_pages.reflection_page(row, status, **parts)


# -- comments ---------------------------------------------------------------------------------


def _comment(kind: str, item_id: UUID) -> Any:
    _signed_in()
    row = _item(kind, item_id)
    form = CommentForm(prefix=COMMENT)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.learning.comment(
                item_id, form.text.data, by=me(), language=form.language.data or ""
            ),
        )
        if done is not None:
            if htmx:
                return render_template(
                    "learning/_comments.html", **conversation(kind, row, landing=done.id)
                )
            ok(_("Your comment is added."))
            return redirect(_item_url(kind, item_id, f"comment-{done.id}"))
    if htmx:
        return render_template(
            "learning/_comments.html", **conversation(kind, row, comment_form=form)
        ), 400
    return _item_page(kind, row, 400, comment_form=form)


@bp.post("/experiments/<uuid:experiment_id>/comments")
def comment_on_experiment(experiment_id: UUID) -> Any:
    return _comment(EXPERIMENT, experiment_id)


@bp.post("/reflections/<uuid:reflection_id>/comments")
def comment_on_reflection(reflection_id: UUID) -> Any:
    return _comment(REFLECTION, reflection_id)


def _own_comment(comment_id: UUID) -> tuple[Any, Any]:
    """(the comment, its item) for its author, who may still read the item."""
    _signed_in()
    found = q.comment(engine(), comment_id)
    if found is None or found.removed:
        abort(404)
    if found.author_id != me():
        abort(403)
    return found, _item(found.item_kind, found.item_id)


@bp.route("/comments/<uuid:comment_id>/edit", methods=["GET", "POST"])
def edit_comment(comment_id: UUID) -> Any:
    found, _row = _own_comment(comment_id)
    form = CommentForm(data={"text": found.text, "language": found.language})
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.learning.edit_comment(
                comment_id, form.text.data, by=me(), language=form.language.data or ""
            ),
        )
        if done is not None:
            ok(_("Your comment is saved."))
            return redirect(_item_url(found.item_kind, found.item_id, f"comment-{comment_id}"))
    back = _item_url(found.item_kind, found.item_id, f"comment-{comment_id}")
    status = 400 if form.is_submitted() else 200
    return render_template(
        "learning/comment_form.html", form=form, comment=found, back=back
    ), status


@bp.post("/comments/<uuid:comment_id>/remove")
def remove_comment(comment_id: UUID) -> Any:
    found, _row = _own_comment(comment_id)
    _run(lambda: runtime().app.learning.remove_comment(comment_id, by=me()))
    ok(_("Your comment is removed."))
    return redirect(_item_url(found.item_kind, found.item_id, "comments"))


def _run(command: Callable[[], Any]) -> bool:
    """A command whose refusal is a flash message on the page it returns to."""
    try:
        settle(command())
    except NotAllowed:
        abort(403)
    except DomainError as error:
        flash(translate(error.message), "error")
        return False
    return True


# -- review dates -----------------------------------------------------------------------------


def _set_review(kind: str, item_id: UUID) -> Any:
    row = _item(kind, item_id)
    if row.team_id not in reader().member_of:
        abort(403)
    form = ReviewDateForm(prefix=REVIEW)
    if form.validate_on_submit():
        done = attempt(
            form, lambda: runtime().app.learning.set_review_date(item_id, form.due_on.data, by=me())
        )
        if done is not None:
            ok(_("The review date is saved."))
            return redirect(_item_url(kind, item_id, "review"))
    return _item_page(kind, row, 400, review_form=form)


@bp.post("/experiments/<uuid:experiment_id>/review")
@members_only
def review_experiment(experiment_id: UUID) -> Any:
    return _set_review(EXPERIMENT, experiment_id)


@bp.post("/reflections/<uuid:reflection_id>/review")
@members_only
def review_reflection(reflection_id: UUID) -> Any:
    return _set_review(REFLECTION, reflection_id)


@bp.post("/reviews/<uuid:review_id>/done")
@members_only
def mark_reviewed(review_id: UUID) -> Any:
    review = q.review_by_id(engine(), review_id)
    if review is None:
        abort(404)
    row = _item(review.item_kind, review.item_id)
    if row.team_id not in reader().member_of:
        abort(403)
    form = ReviewedForm(prefix=REVIEWED)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.learning.mark_reviewed(
                review_id, form.note.data, by=me(), language=form.language.data or ""
            ),
        )
        if done is not None:
            ok(_("It is marked reviewed."))
            return redirect(_item_url(review.item_kind, review.item_id, "review"))
    return _item_page(review.item_kind, row, 400, reviewed_form=form)


# -- learning partners ------------------------------------------------------------------------


@bp.post("/teams/<uuid:team_id>/partners")
@members_only
def add_partner(team_id: UUID) -> Any:
    team_or_404(team_id)
    form = PartnerForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.learning.name_partner_by_email(team_id, form.email.data, by=me()),
        )
        if done is not None:
            ok(_("%(email)s is now a learning partner of the team.", email=form.email.data))
            return redirect(url_for("learning.team", team_id=team_id, _anchor="partners"))
    return team_pages.team_page(team_id, partner_form=form, status=400)


@bp.post("/teams/<uuid:team_id>/partners/<uuid:account_id>/remove")
@members_only
def remove_partner(team_id: UUID, account_id: UUID) -> Any:
    team_or_404(team_id)
    try:
        settle(runtime().app.learning.remove_partner(team_id, account_id, by=me()))
    except DomainError as error:  # not a lead, or not a partner: said on the team's page
        flash(translate(error.message), "error")
    else:
        ok(_("They are no longer a learning partner of the team."))
    return redirect(url_for("learning.team", team_id=team_id, _anchor="partners"))
