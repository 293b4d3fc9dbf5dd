"""Reflections as the learning log reads them, with every version and their tags.

A version's words arrive apart from the rest of its content (`text`, encrypted under the
version's own key); they are joined here. A redaction empties that version's words in every
table and records the fact (who, when, why) in `learning_reflection_redactions`.

The voices heard have a row each (`learning_reflection_voices`) and every version of their
words (`learning_reflection_voice_words`); a withdrawal of consent empties them all and keeps
the date, so the pages can say that the words were removed, and when."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from cairn.domain.learning.content import REFLECTION_WORDS, joined_words, without_words
from cairn.domain.learning.reflection import Reflection
from cairn.domain.personal import is_erased
from cairn.domain.validation import DEFAULT_TEXT_LANGUAGE
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

learning_reflections = Table(
    "learning_reflections",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False),
    Column("author_id", Uuid, nullable=False),
    Column("title", String(200), nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("what_happened", Text, nullable=False),
    Column("what_we_noticed", Text, nullable=False),
    Column("what_we_learned", Text, nullable=False),
    Column("what_next", Text, nullable=False),
    # The lists as lists; filters and tallies read the tag rows below, which are indexed.
    Column("voices", JSON, nullable=False),  # keys of VOICES
    Column("consent_recorded", Boolean, nullable=False),
    Column("themes", JSON, nullable=False),
    Column("principles", JSON, nullable=False),  # keys of PRINCIPLES
    Column("visibility", String(20), nullable=False),
    Column("experiment_id", Uuid),
    Column("provider_id", Uuid),
    Column("district", String(5), nullable=False),
    Column("signal", String(200), nullable=False),
    # The language its words are written in: pages mark them with it (lang=).
    Column("language", String(2), nullable=False, default=DEFAULT_TEXT_LANGUAGE),
    Column("version", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("revised_at", DateTime(timezone=True), nullable=False),
    Index("ix_learning_reflections_team_date", "team_id", "happened_on"),
    Index("ix_learning_reflections_experiment", "experiment_id"),
)

learning_reflection_versions = Table(
    "learning_reflection_versions",
    metadata,
    Column("reflection_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("content", Text, nullable=False),  # the whole version as JSON
    Column("by", Uuid, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

learning_reflection_redactions = Table(
    "learning_reflection_redactions",
    metadata,
    Column("reflection_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("by", Uuid, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
)

# One row per theme, principle and voice, so filters and the themes and principles views are
# plain indexed queries.
learning_reflection_tags = Table(
    "learning_reflection_tags",
    metadata,
    Column("reflection_id", Uuid, primary_key=True),
    Column("kind", String(10), primary_key=True),  # theme | principle | voice
    Column("value", String(60), primary_key=True),
    Index("ix_learning_reflection_tags_value", "kind", "value"),
)


learning_reflection_voices = Table(
    "learning_reflection_voices",
    metadata,
    Column("voice_id", Uuid, primary_key=True),
    Column("reflection_id", Uuid, nullable=False, index=True),
    Column("role", String(40), nullable=False),  # a key of VOICES
    Column("words", Text, nullable=False),  # the latest version; empty once withdrawn
    Column("consent_how", String(40), nullable=False),  # a key of CONSENT_WAYS
    Column("consent_on", Date, nullable=False),
    Column("consent_covers", String(20), nullable=False),  # a key of VISIBILITY
    Column("revisions", Integer, nullable=False),  # how many versions of the words
    Column("heard_by", Uuid, nullable=False),
    Column("heard_at", DateTime(timezone=True), nullable=False),
    Column("withdrawn_on", Date),
    Column("withdrawn_by", Uuid),
)

learning_reflection_voice_words = Table(
    "learning_reflection_voice_words",
    metadata,
    Column("voice_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("words", Text, nullable=False),
    Column("by", Uuid, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)


def _uuid(value: str | None) -> UUID | None:
    return UUID(value) if value else None


def _content(e: Reflection.Recorded | Reflection.Revised) -> dict[str, Any]:
    """The version an event wrote, words included (empty once its key is shredded)."""
    return joined_words(e.content, e.text)


def _row(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": content["title"],
        "happened_on": date.fromisoformat(content["happened_on"]),
        "what_happened": content["what_happened"],
        "what_we_noticed": content.get("what_we_noticed", ""),
        "what_we_learned": content.get("what_we_learned", ""),
        "what_next": content.get("what_next", ""),
        "voices": list(content.get("voices", [])),
        "consent_recorded": bool(content.get("consent_recorded")),
        "themes": list(content.get("themes", [])),
        "principles": list(content.get("principles", [])),
        "visibility": content["visibility"],
        "experiment_id": _uuid(content.get("experiment_id")),
        "provider_id": _uuid(content.get("provider_id")),
        "district": content.get("district", ""),
        "signal": content.get("signal", ""),
        "language": content.get("language", DEFAULT_TEXT_LANGUAGE),
    }


class LearningReflectionsProjection(BatchedProjection):
    name = "learning-reflections"
    tables = (
        learning_reflections,
        learning_reflection_versions,
        learning_reflection_tags,
        learning_reflection_redactions,
        learning_reflection_voices,
        learning_reflection_voice_words,
    )

    @handles(Reflection.Recorded)
    def recorded(self, conn: Connection, e: Reflection.Recorded, position: int) -> None:
        content = _content(e)
        self.rows.insert(
            learning_reflections,
            {
                "id": e.originator_id,
                "team_id": e.team_id,
                "author_id": e.by,
                "version": e.originator_version,
                "recorded_at": e.timestamp,
                "revised_at": e.timestamp,
                **_row(content),
            },
        )
        self._version(e, content)

    @handles(Reflection.Revised)
    def revised(self, conn: Connection, e: Reflection.Revised, position: int) -> None:
        content = _content(e)
        self.rows.update(
            learning_reflections,
            e.originator_id,
            {"version": e.originator_version, "revised_at": e.timestamp, **_row(content)},
        )
        self._version(e, content)

    @handles(Reflection.VersionRedacted)
    def version_redacted(
        self, conn: Connection, e: Reflection.VersionRedacted, position: int
    ) -> None:
        key = (e.originator_id, e.number)
        stored = self.rows.get(conn, learning_reflection_versions, key)
        if stored is not None:
            emptied = without_words(json.loads(stored["content"]))
            self.rows.update(
                learning_reflection_versions,
                key,
                {"content": json.dumps(emptied, sort_keys=True)},
            )
        # The row's version moves on (edits are checked against it); its words go only when
        # the redacted version is the one it shows.
        changes: dict[str, Any] = {"version": e.originator_version}
        if e.current:
            changes.update(dict.fromkeys(REFLECTION_WORDS, ""))
        self.rows.update(learning_reflections, e.originator_id, changes)
        self.rows.insert(
            learning_reflection_redactions,
            {
                "reflection_id": e.originator_id,
                "version": e.number,
                "by": e.by,
                "at": e.timestamp,
                # The reason is kept under the reflection's key: erased, it reads as empty.
                "reason": "" if is_erased(e.reason) else e.reason,
            },
        )

    # -- voices heard -------------------------------------------------------------------

    @handles(Reflection.VoiceHeard)
    def voice_heard(self, conn: Connection, e: Reflection.VoiceHeard, position: int) -> None:
        words = "" if is_erased(e.words) else e.words
        self.rows.insert(
            learning_reflection_voices,
            {
                "voice_id": e.voice_id,
                "reflection_id": e.originator_id,
                "role": e.role,
                "words": words,
                "consent_how": e.consent_how,
                "consent_on": date.fromisoformat(e.consent_on),
                "consent_covers": e.consent_covers,
                "revisions": 1,
                "heard_by": e.by,
                "heard_at": e.timestamp,
                "withdrawn_on": None,
                "withdrawn_by": None,
            },
        )
        self._voice_words(e.voice_id, 1, words, e)
        self._moved_on(e)

    @handles(Reflection.VoiceWordsRevised)
    def voice_words_revised(
        self, conn: Connection, e: Reflection.VoiceWordsRevised, position: int
    ) -> None:
        voice = self.rows.get(conn, learning_reflection_voices, e.voice_id)
        if voice is None:
            return
        words = "" if is_erased(e.words) else e.words
        number = int(voice["revisions"]) + 1
        self.rows.update(
            learning_reflection_voices, e.voice_id, {"words": words, "revisions": number}
        )
        self._voice_words(e.voice_id, number, words, e)
        self._moved_on(e)

    @handles(Reflection.ConsentWithdrawn)
    def consent_withdrawn(
        self, conn: Connection, e: Reflection.ConsentWithdrawn, position: int
    ) -> None:
        voice = self.rows.get(conn, learning_reflection_voices, e.voice_id)
        if voice is None:
            return
        self.rows.update(
            learning_reflection_voices,
            e.voice_id,
            {
                "words": "",
                "withdrawn_on": date.fromisoformat(e.withdrawn_on),
                "withdrawn_by": e.by,
            },
        )
        for number in range(1, int(voice["revisions"]) + 1):
            self.rows.update(learning_reflection_voice_words, (e.voice_id, number), {"words": ""})
        self._moved_on(e)

    def _voice_words(self, voice_id: UUID, number: int, words: str, e: Any) -> None:
        self.rows.insert(
            learning_reflection_voice_words,
            {"voice_id": voice_id, "number": number, "words": words, "by": e.by, "at": e.timestamp},
        )

    def _moved_on(self, e: Any) -> None:
        # The reflection's version moves on with every event (edits are checked against it).
        self.rows.update(learning_reflections, e.originator_id, {"version": e.originator_version})

    def _version(
        self, e: Reflection.Recorded | Reflection.Revised, content: dict[str, Any]
    ) -> None:
        self.rows.insert(
            learning_reflection_versions,
            {
                "reflection_id": e.originator_id,
                "version": e.originator_version,
                "content": json.dumps(content, sort_keys=True),
                "by": e.by,
                "at": e.timestamp,
            },
        )
        tags = [
            {"reflection_id": e.originator_id, "kind": kind, "value": value}
            for kind, key in (("theme", "themes"), ("principle", "principles"), ("voice", "voices"))
            for value in dict.fromkeys(content.get(key, []))
        ]
        self.rows.replace_set(learning_reflection_tags, "reflection_id", e.originator_id, tags)
