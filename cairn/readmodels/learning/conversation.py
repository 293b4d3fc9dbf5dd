"""Comments on reflections and experiments, and the review dates on "what next"."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from cairn.domain.learning.conversation import Comment, Review, ReviewNotice
from cairn.domain.validation import DEFAULT_TEXT_LANGUAGE
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

learning_comments = Table(
    "learning_comments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("item_id", Uuid, nullable=False, index=True),
    Column("item_kind", String(20), nullable=False),
    Column("team_id", Uuid, nullable=False),
    Column("author_id", Uuid, nullable=False),
    # The words, or ERASED once the author is erased; "" once they removed it.
    Column("text", Text, nullable=False),
    Column("language", String(2), nullable=False, default=DEFAULT_TEXT_LANGUAGE),
    Column("written_at", DateTime(timezone=True), nullable=False),
    Column("edited_at", DateTime(timezone=True)),
    Column("removed", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
)

# Every version of a comment's words, the newest too (an edit adds one): shown under an edited
# comment as its earlier versions, unless it was removed.
learning_comment_versions = Table(
    "learning_comment_versions",
    metadata,
    Column("comment_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("language", String(2), nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
)

learning_reviews = Table(
    "learning_reviews",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("item_id", Uuid, nullable=False, unique=True),
    Column("item_kind", String(20), nullable=False),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("due_on", Date),  # None once reviewed (until a new date is set)
    Column("notified_on", Date),  # the due date the team was last emailed about
    Column("reviewed_on", Date),
    Column("note", Text, nullable=False),  # the last review's note
    Column("note_language", String(2), nullable=False),
)


class LearningConversationProjection(BatchedProjection):
    name = "learning-conversation"
    tables = (learning_comments, learning_comment_versions, learning_reviews)

    def _version(self, e: Comment.Written | Comment.Edited) -> None:
        self.rows.append(
            learning_comment_versions,
            dict(
                comment_id=e.originator_id,
                version=e.originator_version,
                text=e.text,
                language=e.language,
                written_at=e.timestamp,
            ),
        )

    @handles(Comment.Written)
    def written(self, conn: Connection, e: Comment.Written, position: int) -> None:
        self.rows.insert(
            learning_comments,
            dict(
                id=e.originator_id,
                item_id=e.item_id,
                item_kind=e.item_kind,
                team_id=e.team_id,
                author_id=e.by,
                text=e.text,
                language=e.language,
                written_at=e.timestamp,
                edited_at=None,
                removed=False,
                version=e.originator_version,
            ),
        )
        self._version(e)

    @handles(Comment.Edited)
    def edited(self, conn: Connection, e: Comment.Edited, position: int) -> None:
        self.rows.update(
            learning_comments,
            e.originator_id,
            dict(
                text=e.text,
                language=e.language,
                edited_at=e.timestamp,
                version=e.originator_version,
            ),
        )
        self._version(e)

    @handles(Comment.Removed)
    def removed(self, conn: Connection, e: Comment.Removed, position: int) -> None:
        self.rows.update(
            learning_comments,
            e.originator_id,
            dict(text="", removed=True, edited_at=e.timestamp, version=e.originator_version),
        )

    @handles(Review.Scheduled)
    def scheduled(self, conn: Connection, e: Review.Scheduled, position: int) -> None:
        self.rows.insert(
            learning_reviews,
            dict(
                id=e.originator_id,
                item_id=e.item_id,
                item_kind=e.item_kind,
                team_id=e.team_id,
                due_on=e.due_on,
                notified_on=None,
                reviewed_on=None,
                note="",
                note_language=DEFAULT_TEXT_LANGUAGE,
            ),
        )

    @handles(Review.Rescheduled)
    def rescheduled(self, conn: Connection, e: Review.Rescheduled, position: int) -> None:
        self.rows.update(learning_reviews, e.originator_id, dict(due_on=e.due_on))

    @handles(Review.Done)
    def done(self, conn: Connection, e: Review.Done, position: int) -> None:
        self.rows.update(
            learning_reviews,
            e.originator_id,
            dict(due_on=None, reviewed_on=e.on, note=e.note, note_language=e.language),
        )

    @handles(ReviewNotice.Sent)
    def notified(self, conn: Connection, e: ReviewNotice.Sent, position: int) -> None:
        self.rows.update(learning_reviews, e.review_id, dict(notified_on=e.due_on))
