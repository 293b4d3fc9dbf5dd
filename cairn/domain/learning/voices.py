"""A voice heard in a reflection: whose it is (a role, never a name), their words, and the
consent they gave for them: how, when, and which readers it covers (issue #20, part 7).

Each voice's words travel in events of their own, encrypted under a key of their own (the
voice's id): withdrawing consent shreds that key, so the words are unreadable in every event
that ever carried them, every version of them at once, and the voice stays only as a note
that consent was withdrawn, and when."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from cairn.domain.errors import DomainError
from cairn.domain.learning.vocabulary import CONSENT_WAYS, VISIBILITY, VOICES
from cairn.domain.validation import Invalid, _, clean_text

MAX_WORDS = 3000
MAX_VOICES = 20


def covers(consent: str, visibility: str) -> bool:
    """Whether consent given for `consent`'s readers covers an item read by `visibility`'s
    (VISIBILITY runs from narrowest to widest)."""
    order = list(VISIBILITY)
    return order.index(visibility) <= order.index(consent)


def checked_words(words: str) -> str:
    if not words.strip():
        raise DomainError(_("Enter their words, as they said or wrote them."))
    try:
        return clean_text(words, max_length=MAX_WORDS, multiline=True)
    except Invalid as error:
        raise DomainError(_("{message} (in their words)").format(message=error.message)) from None


@dataclass(frozen=True)
class HeardVoice:
    role: str
    words: str
    consent_how: str
    consent_on: date
    consent_covers: str

    def checked(self, today: date) -> HeardVoice:
        if self.role not in VOICES:
            raise DomainError(_("Choose whose voice this is."))
        if self.consent_how not in CONSENT_WAYS:
            raise DomainError(_("Choose how they gave their consent."))
        if self.consent_on > today:
            raise DomainError(_("The date consent was given cannot be in the future."))
        if self.consent_covers not in VISIBILITY:
            raise DomainError(_("Choose who their consent lets read their words."))
        return replace(self, words=checked_words(self.words))


@dataclass(frozen=True)
class VoiceState:
    """A voice as the reflection holds it: `words` empty once consent is withdrawn."""

    role: str
    words: str
    consent_how: str
    consent_on: date
    consent_covers: str
    withdrawn_on: date | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None
