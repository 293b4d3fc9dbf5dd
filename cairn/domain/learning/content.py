"""What a person writes in a reflection or an experiment, checked and tidied.

Each `checked()` returns a clean copy or raises `DomainError` with a plain-English message.
Events carry the whole content as JSON-friendly values (`to_event`), so every version of a
reflection can be read back exactly as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from cairn.domain.errors import DomainError
from cairn.domain.learning.vocabulary import (
    EXPERIMENT_KINDS,
    HYPOTHESIS_TEST,
    LIVED_EXPERIENCE_VOICES,
    PRINCIPLES,
    TEAM,
    VISIBILITY,
    VOICES,
)
from cairn.domain.money import MoneyRule, parse_pounds
from cairn.domain.validation import (
    DEFAULT_TEXT_LANGUAGE,
    Invalid,
    _,
    clean_text,
    normalise_district,
    parse_language,
)

MAX_THEMES = 12
_THEME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_FUNDING = Decimal(100_000_000)


def _text(value: str, label: str, max_length: int, *, required: bool, multiline: bool) -> str:
    if not value.strip():
        if required:
            raise DomainError(_("Enter {label}.").format(label=label))
        return ""
    try:
        return clean_text(value, max_length=max_length, multiline=multiline)
    except Invalid as error:
        raise DomainError(
            _("{message} (in {label})").format(message=error.message, label=label)
        ) from None


def normalise_themes(items: Iterable[str]) -> tuple[str, ...]:
    """'Rural access, loneliness' or ['Rural access'] -> ('rural-access', 'loneliness')."""
    themes: list[str] = []
    for item in items:
        for piece in re.split(r"[;,]", item):
            words = re.sub(r"[^a-z0-9]+", "-", piece.strip().lower()).strip("-")
            if not words:
                continue
            if not _THEME.fullmatch(words) or len(words) > 40:
                raise DomainError(
                    _("{theme} is not a theme we can use: keep it under 40 letters.").format(
                        theme=piece.strip()
                    )
                )
            themes.append(words)
    unique = tuple(dict.fromkeys(themes))
    if len(unique) > MAX_THEMES:
        raise DomainError(_("Choose at most {n} themes.").format(n=MAX_THEMES))
    return unique


def _known(items: Iterable[str], vocabulary: Mapping[str, str], what: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(items))
    unknown = [item for item in chosen if item not in vocabulary]
    if unknown:
        raise DomainError(
            _("{items} is not one of the {what} we know.").format(
                items=", ".join(unknown), what=what
            )
        )
    # Keep the vocabulary's order, so versions compare equal however the boxes were ticked.
    return tuple(key for key in vocabulary if key in chosen)


def _visibility(value: str) -> str:
    if value not in VISIBILITY:
        raise DomainError(_("Choose who can read this."))
    return value


def checked_language(value: str) -> str:
    """The language a text is written in (ISO 639-1), so pages can mark it with `lang`."""
    try:
        return parse_language(value or DEFAULT_TEXT_LANGUAGE)
    except Invalid as error:
        raise DomainError(error.message) from None


def _uuid_or_none(value: Any) -> UUID | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, UUID) else UUID(str(value))


def checked_voices(voices: Iterable[str], consent_recorded: bool) -> tuple[tuple[str, ...], bool]:
    """Whose voices were heard (roles, never names) and whether consent is recorded: an
    account from someone's own life (LIVED_EXPERIENCE_VOICES) is kept only with consent, and
    consent is recorded only when such a voice is there. Reflections and sense-making
    sessions keep the same rule."""
    chosen = _known(voices, VOICES, _("voices"))
    lived = LIVED_EXPERIENCE_VOICES.intersection(chosen)
    if lived and not consent_recorded:
        raise DomainError(
            _(
                "Confirm that consent was given to share the lived-experience account, "
                "or remove that voice."
            )
        )
    return chosen, bool(lived) and consent_recorded


def voices_to_share(voices: Iterable[str], consent_recorded: bool) -> tuple[str, ...]:
    """The voices a copy made outside Cairn (an export, a report) may name: roles, and a
    lived-experience voice only with its consent recorded (records from before the rule may
    lack it)."""
    return tuple(v for v in voices if consent_recorded or v not in LIVED_EXPERIENCE_VOICES)


def checked_roles(roles: Iterable[str], *, required: str) -> tuple[str, ...]:
    """Roles from the vocabulary of voices (never names); `required` is the message when
    none is chosen."""
    chosen = _known(roles, VOICES, _("roles"))
    if not chosen:
        raise DomainError(required)
    return chosen


MAX_MEASURE = Decimal(1_000_000_000)


def parse_measure(text: str) -> Decimal | None:
    """An observation's optional number: '12', '3.5', '-2' or '1,200' -> Decimal; empty -> None."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite():
        raise DomainError(_("Enter the number as digits, like 12 or 3.5"))
    if abs(number) >= MAX_MEASURE:
        raise DomainError(_("Enter a number smaller than a billion"))
    if number.as_tuple().exponent < -4:  # type: ignore[operator]
        raise DomainError(_("Enter the number with at most 4 decimal places"))
    return number


@dataclass(frozen=True)
class ReflectionContent:
    title: str
    happened_on: date
    what_happened: str
    what_we_noticed: str = ""
    what_we_learned: str = ""
    what_next: str = ""
    voices: tuple[str, ...] = ()
    consent_recorded: bool = False
    themes: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    visibility: str = TEAM
    experiment_id: UUID | None = None
    provider_id: UUID | None = None
    district: str = ""
    signal: str = ""
    # The language its words are written in (recorded when written; older versions: English).
    language: str = DEFAULT_TEXT_LANGUAGE

    def checked(self, today: date) -> ReflectionContent:
        if self.happened_on > today:
            raise DomainError(_("The date it happened cannot be in the future."))
        voices, consent_recorded = checked_voices(self.voices, self.consent_recorded)
        district = ""
        if self.district.strip():
            try:
                district = normalise_district(self.district)
            except Invalid as error:
                raise DomainError(error.message) from None
        return replace(
            self,
            title=_text(self.title, _("a title"), 150, required=True, multiline=False),
            what_happened=_text(
                self.what_happened, _("what happened"), 5000, required=True, multiline=True
            ),
            what_we_noticed=_text(
                self.what_we_noticed, _("what you noticed"), 5000, required=False, multiline=True
            ),
            what_we_learned=_text(
                self.what_we_learned, _("what you learned"), 5000, required=True, multiline=True
            ),
            what_next=_text(
                self.what_next, _("what you will do next"), 5000, required=False, multiline=True
            ),
            voices=voices,
            consent_recorded=consent_recorded,
            themes=normalise_themes(self.themes),
            principles=_known(self.principles, PRINCIPLES, _("principles")),
            visibility=_visibility(self.visibility),
            district=district,
            signal=_text(
                self.signal, _("the unmet-demand signal"), 200, required=False, multiline=False
            ),
            language=checked_language(self.language),
        )

    def to_event(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "happened_on": self.happened_on.isoformat(),
            "what_happened": self.what_happened,
            "what_we_noticed": self.what_we_noticed,
            "what_we_learned": self.what_we_learned,
            "what_next": self.what_next,
            "voices": list(self.voices),
            "consent_recorded": self.consent_recorded,
            "themes": list(self.themes),
            "principles": list(self.principles),
            "visibility": self.visibility,
            "experiment_id": str(self.experiment_id) if self.experiment_id else None,
            "provider_id": str(self.provider_id) if self.provider_id else None,
            "district": self.district,
            "signal": self.signal,
            "language": self.language,
        }

    def to_event_parts(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The version as (everything else, its words): the words travel apart in the event,
        encrypted under the version's own key, so one version can be shredded alone."""
        whole = self.to_event()
        words = {name: whole.pop(name) for name in REFLECTION_WORDS}
        return whole, words

    @classmethod
    def from_event_parts(cls, data: Mapping[str, Any], words: Any) -> ReflectionContent:
        return cls.from_event(joined_words(data, words))

    @classmethod
    def from_event(cls, data: Mapping[str, Any]) -> ReflectionContent:
        return cls(
            title=data["title"],
            happened_on=date.fromisoformat(data["happened_on"]),
            what_happened=data["what_happened"],
            what_we_noticed=data.get("what_we_noticed", ""),
            what_we_learned=data.get("what_we_learned", ""),
            what_next=data.get("what_next", ""),
            voices=tuple(data.get("voices", ())),
            consent_recorded=bool(data.get("consent_recorded", False)),
            themes=tuple(data.get("themes", ())),
            principles=tuple(data.get("principles", ())),
            visibility=data.get("visibility", TEAM),
            experiment_id=_uuid_or_none(data.get("experiment_id")),
            provider_id=_uuid_or_none(data.get("provider_id")),
            district=data.get("district", ""),
            signal=data.get("signal", ""),
            language=data.get("language", DEFAULT_TEXT_LANGUAGE),
        )


# The parts of a reflection that can name or describe a person: what a redaction shreds.
REFLECTION_WORDS = (
    "title",
    "what_happened",
    "what_we_noticed",
    "what_we_learned",
    "what_next",
    "signal",
)


def joined_words(data: Mapping[str, Any], words: Any) -> dict[str, Any]:
    """One version's event content with its words put back.

    `words` is the version's words (a dict), None for events written before the words
    travelled apart (their `data` still holds them), or anything else (the erased marker)
    when the version's key is gone: the words then read as empty."""
    joined = dict(data)
    if isinstance(words, Mapping):
        joined.update({name: words.get(name, "") for name in REFLECTION_WORDS})
    elif words is not None:
        joined.update(dict.fromkeys(REFLECTION_WORDS, ""))
    return joined


def without_words(data: Mapping[str, Any]) -> dict[str, Any]:
    """A version's content with its words emptied: what is left after a redaction."""
    return {**data, **dict.fromkeys(REFLECTION_WORDS, "")}


FUNDING = MoneyRule(
    maximum=MAX_FUNDING,
    not_money=_("Enter the funding amount in pounds, like 12500"),
    not_more_than_nothing=_("Enter a funding amount more than £0"),
    too_much=_("Enter a funding amount of £100,000,000 or less"),
    not_to_the_penny=_("Enter the funding amount to the nearest penny"),
)


def parse_money(text: str) -> Decimal:
    """'£12,500' or '12500.00' -> Decimal('12500.00'), read as every amount is
    (cairn.domain.money); a refusal is a DomainError, as the experiment commands raise."""
    try:
        return parse_pounds(text, FUNDING)
    except Invalid as refused:
        raise DomainError(refused.message) from None


@dataclass(frozen=True)
class ExperimentContent:
    kind: str
    title: str
    purpose: str
    question: str
    what_we_try: str
    prediction: str = ""
    signals: str = ""
    who: str = ""
    where: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    funding_amount: Decimal | None = None
    funder: str = ""
    committed_months: int | None = None
    visibility: str = TEAM
    language: str = DEFAULT_TEXT_LANGUAGE  # of its words, as a reflection's
    # The lens a reflection is read through too, checked by the same rules; not part of the
    # plan, so they change by an edit while it runs (events from before them: none).
    themes: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    voices: tuple[str, ...] = ()
    consent_recorded: bool = False

    def checked(self) -> ExperimentContent:
        if self.kind not in EXPERIMENT_KINDS:
            raise DomainError(_("Choose whether this is a hypothesis test or a system probe."))
        prediction = _text(
            self.prediction, _("what you expect to happen"), 3000, required=False, multiline=True
        )
        if self.kind == HYPOTHESIS_TEST and not prediction:
            raise DomainError(
                _("A hypothesis test needs a prediction: say what you expect to happen.")
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise DomainError(_("The end date must be on or after the start date."))
        funder = _text(self.funder, _("the funder"), 200, required=False, multiline=False)
        if self.funding_amount is not None:
            if self.funding_amount <= 0 or self.funding_amount > MAX_FUNDING:
                raise DomainError(_("Enter a funding amount between £0 and £100,000,000"))
            if not funder:
                raise DomainError(_("Say who is funding it, as well as how much."))
        if (funder or self.committed_months) and self.funding_amount is None:
            raise DomainError(_("Enter the funding amount, or leave the funding details empty."))
        if self.committed_months is not None and not 1 <= self.committed_months <= 120:
            raise DomainError(_("Enter how many months the funding is committed for, 1 to 120."))
        voices, consent_recorded = checked_voices(self.voices, self.consent_recorded)
        return replace(
            self,
            title=_text(self.title, _("a title"), 150, required=True, multiline=False),
            purpose=_text(self.purpose, _("the purpose"), 3000, required=True, multiline=True),
            question=_text(
                self.question,
                _("the question it should answer"),
                1000,
                required=True,
                multiline=True,
            ),
            what_we_try=_text(
                self.what_we_try, _("what you will try"), 3000, required=True, multiline=True
            ),
            prediction=prediction,
            signals=_text(
                self.signals, _("how you will notice"), 3000, required=False, multiline=True
            ),
            who=_text(self.who, _("who is involved"), 500, required=False, multiline=False),
            where=_text(self.where, _("where it happens"), 300, required=False, multiline=False),
            funder=funder,
            visibility=_visibility(self.visibility),
            language=checked_language(self.language),
            themes=normalise_themes(self.themes),
            principles=_known(self.principles, PRINCIPLES, _("principles")),
            voices=voices,
            consent_recorded=consent_recorded,
        )

    def to_event(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "purpose": self.purpose,
            "question": self.question,
            "what_we_try": self.what_we_try,
            "prediction": self.prediction,
            "signals": self.signals,
            "who": self.who,
            "where": self.where,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "funding_amount": str(self.funding_amount) if self.funding_amount is not None else None,
            "funder": self.funder,
            "committed_months": self.committed_months,
            "visibility": self.visibility,
            "language": self.language,
            "themes": list(self.themes),
            "principles": list(self.principles),
            "voices": list(self.voices),
            "consent_recorded": self.consent_recorded,
        }

    @classmethod
    def from_event(cls, data: Mapping[str, Any]) -> ExperimentContent:
        amount = data.get("funding_amount")
        return cls(
            kind=data["kind"],
            title=data["title"],
            purpose=data["purpose"],
            question=data["question"],
            what_we_try=data["what_we_try"],
            prediction=data.get("prediction", ""),
            signals=data.get("signals", ""),
            who=data.get("who", ""),
            where=data.get("where", ""),
            starts_on=date.fromisoformat(data["starts_on"]) if data.get("starts_on") else None,
            ends_on=date.fromisoformat(data["ends_on"]) if data.get("ends_on") else None,
            funding_amount=Decimal(amount) if amount is not None else None,
            funder=data.get("funder", ""),
            committed_months=data.get("committed_months"),
            visibility=data.get("visibility", TEAM),
            language=data.get("language", DEFAULT_TEXT_LANGUAGE),
            themes=tuple(data.get("themes", ())),
            principles=tuple(data.get("principles", ())),
            voices=tuple(data.get("voices", ())),
            consent_recorded=bool(data.get("consent_recorded", False)),
        )
