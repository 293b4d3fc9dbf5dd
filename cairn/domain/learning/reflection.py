"""The Reflection aggregate: what a team learned, with every earlier version kept.

Each version's words (`text`) travel apart from the rest of its content and are encrypted
under a key of their own: the subject is the version's `version_id`, so shredding that one
key redacts that one version and leaves the others readable. Events written before this
(no `version_id`, the words inside `content`) read back as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError, NotFound
from cairn.domain.learning.content import ReflectionContent
from cairn.domain.personal import personal
from cairn.domain.validation import Invalid, _, clean_text

MAX_REASON = 500

# A version's words as its event carries them: a dict of REFLECTION_WORDS, the ERASED marker
# once its key is shredded, or None in events written before the words travelled apart.
Words = dict[str, Any] | str | None


@dataclass(frozen=True)
class Redaction:
    by: UUID
    reason: str


class Reflection(Aggregate):
    """Each event carries the whole version written, so history reads back exactly."""

    # `content` is a version without its words; `text` is its words (a dict), or ERASED once
    # the version's key is shredded. Events written before the words travelled apart have
    # neither `text` nor `version_id`: the defaults below are what they read back as.
    class Recorded(Aggregate.Created):
        team_id: UUID
        by: UUID
        content: dict[str, Any]
        text: Words = None
        version_id: UUID | None = None

    class Revised(Aggregate.Event):
        by: UUID
        content: dict[str, Any]
        text: Words = None
        version_id: UUID | None = None

    class VersionRedacted(Aggregate.Event):
        number: int
        reason: str
        by: UUID
        current: bool

    @event(Recorded)
    def __init__(
        self,
        team_id: UUID,
        by: UUID,
        content: dict[str, Any],
        text: Words = None,
        version_id: UUID | None = None,
    ) -> None:
        self.team_id = team_id
        self.author_id = by
        self.content = ReflectionContent.from_event_parts(content, text)
        # Versions are numbered by the event that wrote them (the aggregate's version then),
        # as the read models number them; a redaction is an event too, so numbers can skip.
        self.versions: dict[int, ReflectionContent] = {1: self.content}
        # The key subject of each version's words (None: written before versions had keys).
        self.version_ids: dict[int, UUID | None] = {1: version_id}
        self.redactions: dict[int, Redaction] = {}

    @property
    def history(self) -> list[ReflectionContent]:
        """Every version, oldest first."""
        return list(self.versions.values())

    @classmethod
    def write(cls, team_id: UUID, content: ReflectionContent, *, by: UUID) -> Reflection:
        rest, words = content.to_event_parts()
        return cls(team_id=team_id, by=by, content=rest, text=words, version_id=uuid4())

    def revise(self, content: ReflectionContent, *, by: UUID) -> None:
        if content == self.content:
            raise DomainError(_("Nothing changed, so there is no new version to save."))
        rest, words = content.to_event_parts()
        self._revised(by=by, content=rest, text=words, version_id=uuid4())

    @event(Revised)
    def _revised(
        self, by: UUID, content: dict[str, Any], text: Words = None, version_id: UUID | None = None
    ) -> None:
        # Applied before the aggregate's version moves on: this event's number is one more.
        number = self.version + 1
        self.content = ReflectionContent.from_event_parts(content, text)
        self.versions[number] = self.content
        self.version_ids[number] = version_id

    # -- redaction --------------------------------------------------------------------

    def redact(self, number: int, *, reason: str, by: UUID) -> UUID | None:
        """Record that version `number` is redacted; returns the key subject id to shred
        (None for an old version without a key of its own)."""
        if number not in self.versions:
            raise NotFound(_("There is no version {n} of this reflection.").format(n=number))
        if number in self.redactions:
            raise DomainError(_("That version is already redacted."))
        if not reason.strip():
            raise DomainError(_("Enter the reason for the redaction."))
        try:
            reason = clean_text(reason, max_length=MAX_REASON, multiline=True)
        except Invalid as error:
            raise DomainError(error.message) from None
        # Whether it is the version the reflection shows now: read models empty that too.
        current = number == max(self.versions)
        self._version_redacted(number=number, reason=reason, by=by, current=current)
        return self.version_ids[number]

    @event(VersionRedacted)
    def _version_redacted(self, number: int, reason: str, by: UUID, current: bool) -> None:
        self.redactions[number] = Redaction(by=by, reason=reason)
        emptied = ReflectionContent.from_event_parts(self.versions[number].to_event(), "")
        self.versions[number] = emptied
        if current:
            self.content = emptied


# Whose the words are: each version's own key (see the module docstring). The redaction's
# reason is kept under the reflection's own key.
personal(Reflection.Recorded, fields=("text",), subject="version_id")
personal(Reflection.Revised, fields=("text",), subject="version_id")
personal(Reflection.VersionRedacted, fields=("reason",), subject="")
