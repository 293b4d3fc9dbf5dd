"""Consent per voice (issue #20, part 7): each voice's words kept with its consent, under a
key of its own, so withdrawing consent takes them from every event at once."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

import pytest

from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError, NotFound
from cairn.domain.learning.commands import NotAllowed
from cairn.domain.learning.reflection import Reflection
from cairn.domain.learning.vocabulary import PUBLIC, SHARED, SIGNED_IN, TEAM
from cairn.domain.learning.voices import covers
from cairn.domain.personal import ERASED, subject_for_id
from tests.support.learning import TODAY, days_ago, heard_voice, reflection


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.fixture
def world(app: CairnApp) -> dict[str, UUID]:
    admin = app.accounts.register("a@cic.example", "Admin", [Role.CIC_ADMIN], "correct-horse-b").id
    lead = app.accounts.register("l@t.example", "Lead", [], "correct-horse-b").id
    member = app.accounts.register("m@t.example", "Member", [], "correct-horse-b").id
    outsider = app.accounts.register("o@t.example", "Outsider", [], "correct-horse-b").id
    team = app.learning.form_team("Carrick", "", by=admin, lead_id=lead).id
    app.learning.add_member(team, member, by=lead)
    written = app.learning.record_reflection(team, reflection(), by=member).id
    return {"team": team, "lead": lead, "member": member, "outsider": outsider, "r": written}


def heard(app: CairnApp, reflection_id: UUID) -> Reflection:
    return app.load(Reflection, reflection_id)


def only_voice(app: CairnApp, reflection_id: UUID) -> UUID:
    [voice_id] = heard(app, reflection_id).voices
    return voice_id


def test_consent_covers_its_own_readers_and_narrower_ones() -> None:
    assert covers(SHARED, TEAM) and covers(SHARED, SHARED)
    assert not covers(SHARED, SIGNED_IN) and not covers(TEAM, PUBLIC)
    assert covers(PUBLIC, PUBLIC)


def test_a_member_keeps_a_voice_with_how_when_and_for_whom_consent_was_given(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    app.learning.hear_voice(world["r"], heard_voice(), by=world["member"])
    [voice] = heard(app, world["r"]).voices.values()
    assert voice.role == "unpaid-carer"
    assert voice.words.startswith("I stopped going")
    assert (voice.consent_how, voice.consent_on, voice.consent_covers) == (
        "spoken",
        days_ago(12),
        TEAM,
    )
    assert not voice.withdrawn


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"words": "  "}, "Enter their words"),
        ({"role": "neighbour"}, "Choose whose voice"),
        ({"consent_how": "assumed"}, "Choose how they gave"),
        ({"consent_on": TODAY.replace(year=TODAY.year + 1)}, "cannot be in the future"),
        ({"consent_covers": "everyone"}, "Choose who their consent"),
    ],
    ids=["no-words", "unknown-role", "unknown-way", "future-date", "unknown-readers"],
)
def test_a_voice_without_its_consent_in_full_is_refused_and_nothing_is_kept(
    app: CairnApp, world: dict[str, UUID], changes: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        app.learning.hear_voice(world["r"], heard_voice(**changes), by=world["member"])
    assert heard(app, world["r"]).voices == {}


def test_consent_must_cover_everyone_who_can_read_the_reflection(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    shared = app.learning.record_reflection(
        world["team"], reflection(visibility=SHARED), by=world["member"]
    ).id
    with pytest.raises(DomainError, match="covers fewer readers"):
        app.learning.hear_voice(shared, heard_voice(consent_covers=TEAM), by=world["member"])
    app.learning.hear_voice(shared, heard_voice(consent_covers=SHARED), by=world["member"])
    # ... and the reflection cannot then be opened wider than the voice agreed to.
    with pytest.raises(DomainError, match="does not cover that many readers"):
        app.learning.revise_reflection(shared, reflection(visibility=PUBLIC), by=world["member"])
    app.learning.revise_reflection(shared, reflection(visibility=TEAM), by=world["member"])


def test_only_the_teams_members_keep_change_or_withdraw_a_voice(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    with pytest.raises(NotAllowed):
        app.learning.hear_voice(world["r"], heard_voice(), by=world["outsider"])
    app.learning.hear_voice(world["r"], heard_voice(), by=world["member"])
    voice_id = only_voice(app, world["r"])
    with pytest.raises(NotAllowed):
        app.learning.revise_voice_words(world["r"], voice_id, "Other", by=world["outsider"])
    with pytest.raises(NotAllowed):
        app.learning.withdraw_consent(world["r"], voice_id, TEAM_DAY, by=world["outsider"])


TEAM_DAY = days_ago(2)


def test_their_words_can_be_corrected_but_not_left_unchanged(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    app.learning.hear_voice(world["r"], heard_voice(), by=world["member"])
    voice_id = only_voice(app, world["r"])
    with pytest.raises(DomainError, match="Nothing changed"):
        app.learning.revise_voice_words(
            world["r"], voice_id, heard_voice().words, by=world["member"]
        )
    app.learning.revise_voice_words(world["r"], voice_id, "The bus changed.", by=world["lead"])
    assert heard(app, world["r"]).voices[voice_id].words == "The bus changed."
    with pytest.raises(NotFound):
        app.learning.revise_voice_words(world["r"], world["team"], "x", by=world["lead"])


def test_withdrawing_consent_shreds_the_voices_key_so_every_copy_of_its_words_is_gone(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    app.learning.hear_voice(world["r"], heard_voice(), by=world["member"])
    voice_id = only_voice(app, world["r"])
    app.learning.revise_voice_words(world["r"], voice_id, "The bus changed.", by=world["member"])
    app.learning.hear_voice(
        world["r"], heard_voice(role="peer-worker", words="Others kept theirs."), by=world["lead"]
    )
    app.learning.withdraw_consent(world["r"], voice_id, days_ago(1), by=world["member"])

    assert app.keys.key_for(subject_for_id(voice_id), create=False) is None
    # Every event that carried the words reads back erased; the other voice keeps its own.
    events = list(app.events.get(world["r"]))
    carried = [e for e in events if getattr(e, "voice_id", None) == voice_id]
    words = [e.words for e in carried if hasattr(e, "words")]
    assert words == [ERASED, ERASED]
    voices = heard(app, world["r"]).voices
    assert voices[voice_id].withdrawn and voices[voice_id].words == ""
    assert voices[voice_id].withdrawn_on == days_ago(1)
    [kept] = [v for k, v in voices.items() if k != voice_id]
    assert kept.words == "Others kept theirs."
    # The reflection's own words are under other keys, untouched.
    assert heard(app, world["r"]).content.what_happened.startswith("We asked people")


def test_a_withdrawal_is_dated_between_the_consent_and_today_and_happens_once(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    app.learning.hear_voice(world["r"], heard_voice(), by=world["member"])
    voice_id = only_voice(app, world["r"])
    with pytest.raises(DomainError, match="cannot be in the future"):
        app.learning.withdraw_consent(
            world["r"], voice_id, TODAY.replace(year=TODAY.year + 1), by=world["member"]
        )
    with pytest.raises(DomainError, match="before it was given"):
        app.learning.withdraw_consent(world["r"], voice_id, days_ago(30), by=world["member"])
    assert not heard(app, world["r"]).voices[voice_id].withdrawn
    app.learning.withdraw_consent(world["r"], voice_id, TODAY, by=world["member"])
    with pytest.raises(DomainError, match="was withdrawn"):
        app.learning.withdraw_consent(world["r"], voice_id, TODAY, by=world["member"])
    with pytest.raises(DomainError, match="was withdrawn"):
        app.learning.revise_voice_words(world["r"], voice_id, "Back again", by=world["member"])


def test_a_withdrawn_voice_no_longer_limits_who_may_read_the_reflection(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    app.learning.hear_voice(world["r"], heard_voice(consent_covers=TEAM), by=world["member"])
    voice_id = only_voice(app, world["r"])
    app.learning.withdraw_consent(world["r"], voice_id, TODAY, by=world["member"])
    app.learning.revise_reflection(
        world["r"], replace(reflection(), visibility=SHARED), by=world["member"]
    )
    assert heard(app, world["r"]).content.visibility == SHARED
