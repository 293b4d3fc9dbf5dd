"""The conversation as pages read it: comments under an item, the team's learning partners,
review dates and what is due for review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Row, and_, or_, select

from cairn.domain.learning.conversation import EXPERIMENT
from cairn.domain.learning.visibility import Reader
from cairn.domain.personal import is_erased
from cairn.readmodels.accounts.accounts import accounts
from cairn.readmodels.learning.conversation import (
    learning_comment_versions,
    learning_comments,
    learning_reviews,
)
from cairn.readmodels.learning.experiments import learning_experiments
from cairn.readmodels.learning.reflections import learning_reflections
from cairn.readmodels.learning.teams import learning_memberships, learning_partners

C = learning_comments
W = learning_reviews

# Who wrote a comment, as a reader beyond the team sees them (`Commenter.role`).
LEAD, MEMBER, PARTNER, SOMEONE = "lead", "member", "partner", "someone"


@dataclass(frozen=True)
class Commenter:
    """The name only for readers inside the item's team (`Reader.sees_names_in`), else
    None; `role` always: a team lead or member, a learning partner, or someone else."""

    name: str | None
    role: str


@dataclass(frozen=True)
class Earlier:
    """A version of a comment's words from before its author edited it."""

    text: str
    language: str
    written_at: datetime


@dataclass(frozen=True)
class Said:
    id: UUID
    by: Commenter
    text: str
    language: str
    written_at: datetime
    edited_at: datetime | None
    removed: bool
    erased: bool  # the author was erased: their words read back as ERASED
    mine: bool
    version: int
    earlier: tuple[Earlier, ...] = ()  # newest first; none once removed or erased


def comments_on(engine: Engine, reader: Reader, item_id: UUID, team_id: UUID) -> list[Said]:
    """The comments under an item the caller has already checked the reader may read."""
    names = reader.sees_names_in(team_id)
    member = learning_memberships
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                C,
                accounts.c.display_name,
                member.c.is_lead,
                learning_partners.c.account_id.label("partner"),
            )
            .outerjoin(accounts, accounts.c.id == C.c.author_id)
            .outerjoin(
                member, and_(member.c.account_id == C.c.author_id, member.c.team_id == team_id)
            )
            .outerjoin(
                learning_partners,
                and_(
                    learning_partners.c.account_id == C.c.author_id,
                    learning_partners.c.team_id == team_id,
                ),
            )
            .where(C.c.item_id == item_id)
            .order_by(C.c.written_at, C.c.id)
        ).all()
        edited = [row.id for row in rows if row.edited_at is not None and not row.removed]
        versions = (
            conn.execute(
                select(learning_comment_versions)
                .where(learning_comment_versions.c.comment_id.in_(edited))
                .order_by(learning_comment_versions.c.version.desc())
            ).all()
            if edited
            else []
        )
    earlier: dict[UUID, list[Earlier]] = {}
    for v in versions:
        if not is_erased(v.text):
            earlier.setdefault(v.comment_id, []).append(
                Earlier(text=v.text, language=v.language, written_at=v.written_at)
            )
    said = []
    for row in rows:
        if row.is_lead is not None:
            role = LEAD if row.is_lead else MEMBER
        else:
            role = PARTNER if row.partner is not None else SOMEONE
        erased = is_erased(row.text)
        name = row.display_name if names and row.display_name else None
        said.append(
            Said(
                id=row.id,
                by=Commenter(None if name is None or is_erased(name) else name, role),
                text="" if erased else row.text,
                language=row.language,
                written_at=row.written_at,
                edited_at=row.edited_at,
                removed=row.removed,
                erased=erased,
                mine=row.author_id == reader.account_id and not erased,
                version=row.version,
                # The newest version is the comment itself.
                earlier=() if erased else tuple(earlier.get(row.id, [])[1:]),
            )
        )
    return said


def comment(engine: Engine, comment_id: UUID) -> Row[Any] | None:
    """One comment's row (its item, author and words), for its author's edit form."""
    with engine.connect() as conn:
        return conn.execute(select(C).where(C.c.id == comment_id)).first()


def team_partners(engine: Engine, team_id: UUID) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(accounts.c.id, accounts.c.display_name, accounts.c.email)
                .join(learning_partners, learning_partners.c.account_id == accounts.c.id)
                .where(learning_partners.c.team_id == team_id)
                .order_by(accounts.c.display_name)
            )
        )


def review_by_id(engine: Engine, review_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(select(W).where(W.c.id == review_id)).first()


def review_of(engine: Engine, item_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(select(W).where(W.c.item_id == item_id)).first()


@dataclass(frozen=True)
class DueReview:
    review_id: UUID
    item_id: UUID
    item_kind: str
    due_on: date
    title: str
    language: str


def reviews_due(engine: Engine, team_id: UUID, today: date) -> list[DueReview]:
    """The team's items whose review date has come, the longest due first. For the team's own
    members, who may read all of its learning."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                W,
                learning_experiments.c.title.label("x_title"),
                learning_experiments.c.language.label("x_language"),
                learning_reflections.c.title.label("r_title"),
                learning_reflections.c.language.label("r_language"),
            )
            .outerjoin(learning_experiments, learning_experiments.c.id == W.c.item_id)
            .outerjoin(learning_reflections, learning_reflections.c.id == W.c.item_id)
            .where(W.c.team_id == team_id, W.c.due_on.is_not(None), W.c.due_on <= today)
            .order_by(W.c.due_on, W.c.id)
        ).all()
    due = []
    for row in rows:
        experiment = row.item_kind == EXPERIMENT
        due.append(
            DueReview(
                review_id=row.id,
                item_id=row.item_id,
                item_kind=row.item_kind,
                due_on=row.due_on,
                title=(row.x_title if experiment else row.r_title) or "",
                language=(row.x_language if experiment else row.r_language) or "en",
            )
        )
    return due


def reviews_to_notify(engine: Engine, today: date) -> list[UUID]:
    """Reviews due whose team has not been told about this due date (for the sweep, which
    asks the domain: each notice's id makes a repeat impossible anyway)."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(W.c.id)
                .where(
                    W.c.due_on.is_not(None),
                    W.c.due_on <= today,
                    or_(W.c.notified_on.is_(None), W.c.notified_on != W.c.due_on),
                )
                .order_by(W.c.due_on, W.c.id)
            ).scalars()
        )
