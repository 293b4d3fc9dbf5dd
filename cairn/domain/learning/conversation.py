"""The conversation around learning: comments on reflections and experiments, and the review
date on "what next" that brings an item back to its team.

A comment is the commenter's own words, not the team's knowledge: its text is encrypted under
the commenter's key (the subject is their email, as their account's is), so erasing the
person leaves their comments in place, visibly redacted. A review's note is the team's, under
the item's own record key, like the rest of what the team wrote about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError
from cairn.domain.learning.content import checked_language
from cairn.domain.personal import personal
from cairn.domain.validation import DEFAULT_TEXT_LANGUAGE, Invalid, _, clean_text

MAX_COMMENT = 2000
MAX_NOTE = 2000

EXPERIMENT = "experiment"
REFLECTION = "reflection"
ITEM_KINDS = (EXPERIMENT, REFLECTION)


def _words(value: str, max_length: int, empty: str) -> str:
    if not value.strip():
        raise DomainError(empty)
    try:
        return clean_text(value, max_length=max_length, multiline=True)
    except Invalid as error:
        raise DomainError(error.message) from None


def comment_text(value: str) -> str:
    return _words(value, MAX_COMMENT, _("Write your comment."))


class Comment(Aggregate):
    """One person's comment on a reflection or an experiment. Its author may edit it (each
    edit is a new event, so earlier words stay in the log until the author is erased) or
    remove it; a removed comment keeps its place ("removed by its author")."""

    class Written(Aggregate.Created):
        item_id: UUID
        item_kind: str
        team_id: UUID
        by: UUID
        author_email: str  # whose key the words are under; personal, never shown
        text: str
        language: str = DEFAULT_TEXT_LANGUAGE
        # Who is told (the team's members then, but the author): the mail outbox reads
        # only the event, so a rebuild enqueues exactly what the live run did.
        members: tuple[UUID, ...] = ()

    class Edited(Aggregate.Event):
        by: UUID
        author_email: str
        text: str
        language: str = DEFAULT_TEXT_LANGUAGE

    class Removed(Aggregate.Event):
        by: UUID

    @event(Written)
    def __init__(
        self,
        item_id: UUID,
        item_kind: str,
        team_id: UUID,
        by: UUID,
        author_email: str,
        text: str,
        language: str = DEFAULT_TEXT_LANGUAGE,
        members: tuple[UUID, ...] = (),
    ) -> None:
        self.item_id = item_id
        self.item_kind = item_kind
        self.team_id = team_id
        self.author_id = by
        self.author_email = author_email
        self.text = text
        self.language = language
        self.removed = False

    @classmethod
    def write(
        cls,
        item_id: UUID,
        item_kind: str,
        team_id: UUID,
        text: str,
        *,
        by: UUID,
        author_email: str,
        language: str = DEFAULT_TEXT_LANGUAGE,
        members: tuple[UUID, ...] = (),
    ) -> Comment:
        if item_kind not in ITEM_KINDS:
            raise DomainError(_("Comments are on reflections and experiments."))
        return cls(
            item_id=item_id,
            item_kind=item_kind,
            team_id=team_id,
            by=by,
            author_email=author_email,
            text=comment_text(text),
            language=checked_language(language),
            members=tuple(m for m in members if m != by),
        )

    def _require_author(self, by: UUID) -> None:
        if by != self.author_id:
            raise DomainError(_("Only the person who wrote a comment can change it."))
        if self.removed:
            raise DomainError(_("That comment was removed."))

    def edit(self, text: str, *, by: UUID, language: str = DEFAULT_TEXT_LANGUAGE) -> None:
        self._require_author(by)
        cleaned = comment_text(text)
        language = checked_language(language)
        if cleaned == self.text and language == self.language:
            raise DomainError(_("Nothing changed, so there is nothing to save."))
        self._edited(by=by, author_email=self.author_email, text=cleaned, language=language)

    @event(Edited)
    def _edited(self, by: UUID, author_email: str, text: str, language: str) -> None:
        self.text = text
        self.language = language

    def remove(self, *, by: UUID) -> None:
        self._require_author(by)
        self._removed(by=by)

    @event(Removed)
    def _removed(self, by: UUID) -> None:
        self.removed = True


personal(Comment.Written, fields=("author_email", "text"), subject="author_email")
personal(Comment.Edited, fields=("author_email", "text"), subject="author_email")


# -- the review date on "what next" -----------------------------------------------------------


@dataclass(frozen=True)
class Reviewed:
    on: date
    due_on: date
    note: str
    language: str
    by: UUID


class Review(Aggregate):
    """When the team will look again at what it decided to do next. One per item (its id is
    made from the item's), so setting a date twice moves it rather than adding a second."""

    class Scheduled(Aggregate.Created):
        item_id: UUID
        item_kind: str
        team_id: UUID
        due_on: date
        by: UUID

    class Rescheduled(Aggregate.Event):
        due_on: date
        by: UUID

    class Done(Aggregate.Event):
        item_id: UUID  # whose key the note is under (the item's own)
        on: date
        note: str
        by: UUID
        language: str = DEFAULT_TEXT_LANGUAGE

    @staticmethod
    def create_id(item_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"cairn:learning-review:{item_id}")

    @event(Scheduled)
    def __init__(
        self, item_id: UUID, item_kind: str, team_id: UUID, due_on: date, by: UUID
    ) -> None:
        self.item_id = item_id
        self.item_kind = item_kind
        self.team_id = team_id
        self.due_on: date | None = due_on
        self.history: list[Reviewed] = []

    @staticmethod
    def _future(due_on: date, today: date) -> date:
        if due_on <= today:
            raise DomainError(_("The review date must be in the future."))
        return due_on

    @classmethod
    def schedule(
        cls, item_id: UUID, item_kind: str, team_id: UUID, due_on: date, *, today: date, by: UUID
    ) -> Review:
        return cls(
            item_id=item_id,
            item_kind=item_kind,
            team_id=team_id,
            due_on=cls._future(due_on, today),
            by=by,
        )

    def reschedule(self, due_on: date, *, today: date, by: UUID) -> None:
        if due_on == self.due_on:
            raise DomainError(_("The review is already on that date."))
        self._rescheduled(due_on=self._future(due_on, today), by=by)

    @event(Rescheduled)
    def _rescheduled(self, due_on: date, by: UUID) -> None:
        self.due_on = due_on

    def is_due(self, today: date) -> bool:
        return self.due_on is not None and self.due_on <= today

    def mark_done(
        self, note: str, *, today: date, by: UUID, language: str = DEFAULT_TEXT_LANGUAGE
    ) -> None:
        if self.due_on is None:
            raise DomainError(_("There is no review date to clear."))
        self._done(
            item_id=self.item_id,
            on=today,
            note=_words(note, MAX_NOTE, _("Say what the review found.")),
            by=by,
            language=checked_language(language),
        )

    @event(Done)
    def _done(self, item_id: UUID, on: date, note: str, by: UUID, language: str) -> None:
        assert self.due_on is not None
        self.history.append(
            Reviewed(on=on, due_on=self.due_on, note=note, language=language, by=by)
        )
        self.due_on = None


personal(Review.Done, fields=("note",), subject="item_id")


class ReviewNotice(Aggregate):
    """That a review came due and the team was told (the mail outbox emails them). Its id is
    made from the review and the due date, so the event store refuses a second: a sweep run
    twice, or in two processes, tells the team once per date."""

    class Sent(Aggregate.Created):
        review_id: UUID
        item_id: UUID
        item_kind: str
        team_id: UUID
        due_on: date
        members: tuple[UUID, ...] = ()  # who is told: the team's members then

    @staticmethod
    def create_id(review_id: UUID, due_on: date) -> UUID:
        return uuid5(NAMESPACE_URL, f"cairn:learning-review-notice:{review_id}:{due_on}")

    @event(Sent)
    def __init__(
        self,
        review_id: UUID,
        item_id: UUID,
        item_kind: str,
        team_id: UUID,
        due_on: date,
        members: tuple[UUID, ...] = (),
    ) -> None:
        self.review_id = review_id
        self.item_id = item_id
        self.item_kind = item_kind
        self.team_id = team_id
        self.due_on = due_on
