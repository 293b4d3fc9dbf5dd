"""The Reflection aggregate: what a team learned, with every earlier version kept.

Each version's words (`text`) travel apart from the rest of its content and are encrypted
under a key of their own: the subject is the version's `version_id`, so shredding that one
key redacts that one version and leaves the others readable. Events written before this
(no `version_id`, the words inside `content`) read back as they are.

The voices heard (cairn.domain.learning.voices) have their own events and their own keys: a
voice's words are kept only with its consent, and only for the readers that consent covers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError, NotFound
from cairn.domain.learning.content import ReflectionContent
from cairn.domain.learning.vocabulary import VISIBILITY
from cairn.domain.learning.voices import (
    MAX_VOICES,
    HeardVoice,
    VoiceState,
    checked_words,
    covers,
)
from cairn.domain.personal import is_erased, personal
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

    # A voice heard, with its words under the voice's own key (`voice_id`) and its consent.
    class VoiceHeard(Aggregate.Event):
        voice_id: UUID
        role: str
        words: str
        consent_how: str
        consent_on: str  # ISO date
        consent_covers: str  # a VISIBILITY key
        by: UUID

    class VoiceWordsRevised(Aggregate.Event):
        voice_id: UUID
        words: str
        by: UUID

    # The voice's key is shredded after this is saved: its words go from every event.
    class ConsentWithdrawn(Aggregate.Event):
        voice_id: UUID
        withdrawn_on: str  # ISO date
        by: UUID

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
        self.voices: dict[UUID, VoiceState] = {}

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
        beyond = [v for v in self._heard() if not covers(v.consent_covers, content.visibility)]
        if beyond:
            raise DomainError(
                _(
                    "A voice's consent does not cover that many readers: choose who can read "
                    "this within what each voice agreed to ({covers}), or record that the "
                    "voice's consent is withdrawn first."
                ).format(covers=_(VISIBILITY[beyond[0].consent_covers]))
            )
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

    # -- voices heard -------------------------------------------------------------------

    def _heard(self) -> list[VoiceState]:
        return [v for v in self.voices.values() if not v.withdrawn]

    def _voice(self, voice_id: UUID) -> VoiceState:
        voice = self.voices.get(voice_id)
        if voice is None:
            raise NotFound(_("There is no such voice in this reflection."))
        if voice.withdrawn:
            raise DomainError(
                _("Consent for this voice was withdrawn, so its words cannot come back.")
            )
        return voice

    def hear(self, voice: HeardVoice, *, by: UUID) -> UUID:
        """Keep a voice's words with its consent (checked); returns the voice's id, which is
        the subject of the key its words are encrypted under."""
        if len(self.voices) >= MAX_VOICES:
            raise DomainError(_("A reflection can keep at most {n} voices.").format(n=MAX_VOICES))
        if not covers(voice.consent_covers, self.content.visibility):
            raise DomainError(
                _(
                    "Their consent covers fewer readers than can read this reflection. "
                    "Record consent that covers who can read it, or make the reflection "
                    "narrower first."
                )
            )
        voice_id = uuid4()
        self._voice_heard(
            voice_id=voice_id,
            role=voice.role,
            words=voice.words,
            consent_how=voice.consent_how,
            consent_on=voice.consent_on.isoformat(),
            consent_covers=voice.consent_covers,
            by=by,
        )
        return voice_id

    @event(VoiceHeard)
    def _voice_heard(
        self,
        voice_id: UUID,
        role: str,
        words: str,
        consent_how: str,
        consent_on: str,
        consent_covers: str,
        by: UUID,
    ) -> None:
        self.voices[voice_id] = VoiceState(
            role=role,
            words="" if is_erased(words) else words,
            consent_how=consent_how,
            consent_on=date.fromisoformat(consent_on),
            consent_covers=consent_covers,
        )

    def revise_voice_words(self, voice_id: UUID, words: str, *, by: UUID) -> None:
        voice = self._voice(voice_id)
        words = checked_words(words)
        if words == voice.words:
            raise DomainError(_("Nothing changed, so there is no new version to save."))
        self._voice_words_revised(voice_id=voice_id, words=words, by=by)

    @event(VoiceWordsRevised)
    def _voice_words_revised(self, voice_id: UUID, words: str, by: UUID) -> None:
        voice = self.voices[voice_id]
        self.voices[voice_id] = replace(voice, words="" if is_erased(words) else words)

    def withdraw_consent(self, voice_id: UUID, on: date, *, today: date, by: UUID) -> None:
        voice = self._voice(voice_id)
        if on > today:
            raise DomainError(_("The date consent was withdrawn cannot be in the future."))
        if on < voice.consent_on:
            raise DomainError(
                _("Consent cannot be withdrawn before it was given, on {day}.").format(
                    day=voice.consent_on.strftime("%d/%m/%Y")
                )
            )
        self._consent_withdrawn(voice_id=voice_id, withdrawn_on=on.isoformat(), by=by)

    @event(ConsentWithdrawn)
    def _consent_withdrawn(self, voice_id: UUID, withdrawn_on: str, by: UUID) -> None:
        voice = self.voices[voice_id]
        self.voices[voice_id] = replace(
            voice, words="", withdrawn_on=date.fromisoformat(withdrawn_on)
        )


# Whose the words are: each version's own key (see the module docstring). The redaction's
# reason is kept under the reflection's own key.
personal(Reflection.Recorded, fields=("text",), subject="version_id")
personal(Reflection.Revised, fields=("text",), subject="version_id")
personal(Reflection.VersionRedacted, fields=("reason",), subject="")
# A voice's words: the voice's own key, so withdrawing its consent reaches every copy.
personal(Reflection.VoiceHeard, fields=("words",), subject="voice_id")
personal(Reflection.VoiceWordsRevised, fields=("words",), subject="voice_id")
