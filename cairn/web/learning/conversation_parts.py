"""What an item's page shows of the conversation: its comments and the form to add one, and
its review date with the forms to set it or mark it reviewed. The item's own view and the
conversation's views (which re-show the page with a form's errors) both build it here."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_login import current_user

from cairn.domain.clock import today
from cairn.domain.learning.conversation import EXPERIMENT
from cairn.domain.learning.vocabulary import CONCLUDED
from cairn.readmodels.learning import queries as q
from cairn.web.commanding import runtime
from cairn.web.learning.common import engine, reader
from cairn.web.learning.conversation_forms import CommentForm, ReviewDateForm, ReviewedForm

# The item's page holds other forms too: these fields get their own names and ids.
COMMENT, REVIEW, REVIEWED = "comment", "review", "reviewed"


def may_have_review(kind: str, row: Any) -> bool:
    """A review date is for "what next": a concluded experiment's decision, a reflection's
    next steps."""
    if kind == EXPERIMENT:
        return bool(row.stage == CONCLUDED)
    return bool((row.what_next or "").strip())


def conversation(
    kind: str,
    row: Any,
    *,
    comment_form: CommentForm | None = None,
    review_form: ReviewDateForm | None = None,
    reviewed_form: ReviewedForm | None = None,
    landing: UUID | None = None,
) -> dict[str, Any]:
    """The template values of the conversation under an item the reader may read.
    `landing`: the comment just added, which takes the focus after an htmx swap."""
    who = reader()
    review = q.review_of(engine(), row.id)
    return dict(
        item_kind=kind,
        item=row,
        comments=q.comments_on(engine(), who, row.id, row.team_id),
        comment_form=comment_form or CommentForm(formdata=None, prefix=COMMENT),
        may_comment=current_user.is_authenticated,
        landing=landing,
        review=review,
        may_review=row.team_id in who.member_of and may_have_review(kind, row),
        review_form=review_form
        or ReviewDateForm(formdata=None, prefix=REVIEW, due_on=review.due_on if review else None),
        reviewed_form=reviewed_form or ReviewedForm(formdata=None, prefix=REVIEWED),
        today_date=today(runtime().app.clock),
    )
