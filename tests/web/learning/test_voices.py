"""Consent per voice through the web (issue #20, part 7): a member keeps someone's own words
with how, when and for whom they consented; bad input says why and keeps nothing; and a
withdrawal, confirmed, destroys the words in every version: the pages, the read models, the
search index's terms and files, the event log, and a rebuild from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from whoosh import index as whoosh_index

from cairn.bootstrap.runtime import Runtime
from cairn.domain.learning.reflection import Reflection
from cairn.domain.learning.vocabulary import SHARED, TEAM
from cairn.domain.personal import ERASED
from cairn.operations.data_rights import rebuild_read_models
from cairn.readmodels.learning import queries as q
from cairn.readmodels.learning.reflections import (
    learning_reflection_voice_words,
    learning_reflection_voices,
)
from tests.support.conversation import client_as, date_boxes
from tests.support.learning import People, days_ago, reflection, settle_all
from tests.support.web import csrf_token

FIRST = "The minibus driver waits for me now; I feel like somebody again."
CORRECTED = "The minibus driver waits now, and I feel like somebody again."
MARKERS = ("minibus", "somebody")


def _voice_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "role": "person-using-support",
        "words": FIRST,
        "consent_how": "written",
        **date_boxes("consent_on", days_ago(3)),
        "consent_covers": TEAM,
    }
    data.update(changes)
    return data


def _post(client: FlaskClient, page: str, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


@pytest.fixture
def reflection_id(runtime: Runtime, people: People) -> UUID:
    done = runtime.app.learning.record_reflection(people.team_a, reflection(), by=people.bob)
    settle_all(runtime)
    return done.id


def _keep(client: FlaskClient, reflection_id: UUID, **changes: Any) -> Any:
    page = f"/learning/reflections/{reflection_id}/voices/new"
    return _post(client, page, page, _voice_form(**changes))


def _only_voice(runtime: Runtime, people: People, reflection_id: UUID) -> q.Voice:
    engine = runtime.read_engine
    [voice] = q.voices_heard(engine, q.reader_of(engine, people.bob), reflection_id, people.team_a)
    return voice


def _rows(runtime: Runtime) -> str:
    with runtime.read_engine.connect() as conn:
        rows = [
            *conn.execute(select(learning_reflection_voices)),
            *conn.execute(select(learning_reflection_voice_words)),
        ]
    return " ".join(str(tuple(row)) for row in rows).lower()


def _index(runtime: Runtime) -> tuple[str, bytes]:
    folder = Path(runtime.settings.index_dir) / "learning"
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        terms = " ".join(
            text.decode() if isinstance(text, bytes) else str(text)
            for field, text in reader.all_terms()
            if field in ("title", "body")
        )
        stored = " ".join(str(fields) for fields in reader.all_stored_fields())
    ix.close()
    files = b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())
    return (terms + " " + stored).lower(), files.lower()


def test_a_member_keeps_someones_words_with_their_consent_and_the_team_reads_them(
    client: FlaskClient, runtime: Runtime, people: People, reflection_id: UUID
) -> None:
    bob = client_as(client, "bob@team-a.example")
    form = bob.get(f"/learning/reflections/{reflection_id}/voices/new").get_data(as_text=True)
    assert "Whose voice is it?" in form and "Who did they agree can read their words?" in form
    sent = _keep(bob, reflection_id)
    assert sent.status_code == 302 and sent.location.endswith(f"{reflection_id}#voices")
    page = bob.get(f"/learning/reflections/{reflection_id}").get_data(as_text=True)
    assert FIRST.replace("'", "&#39;") in page
    assert "Person using support" in page and "In writing, or on a signed consent form" in page
    assert "It covers: Our team only." in page
    voice = _only_voice(runtime, people, reflection_id)
    assert (voice.consent_how, voice.consent_on, voice.consent_covers) == (
        "written",
        days_ago(3),
        TEAM,
    )
    ann = q.reader_of(runtime.read_engine, people.ann)
    assert [h.id for h in runtime.learning_index.search("minibus", ann)] == [reflection_id]
    # A new version of the reflection keeps its voices, in the search too.
    runtime.app.learning.revise_reflection(
        reflection_id, reflection(what_next="Ask the drivers."), by=people.bob
    )
    settle_all(runtime)
    assert [h.id for h in runtime.learning_index.search("minibus", ann)] == [reflection_id]
    assert len(q.voices_heard(runtime.read_engine, ann, reflection_id, people.team_a)) == 1
    # Another team cannot read the reflection, so not its voices either.
    cat = client_as(client, "cat@team-b.example")
    assert cat.get(f"/learning/reflections/{reflection_id}").status_code == 404
    assert cat.get(f"/learning/reflections/{reflection_id}/voices/new").status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"words": ""}, "Enter their words"),
        ({"consent_how": ""}, "Choose how they gave their consent"),
        ({"consent_on-day": "", "consent_on-month": "", "consent_on-year": ""}, "Enter the date"),
        (date_boxes("consent_on", days_ago(-3)), "cannot be in the future"),
        ({"consent_on-day": "31", "consent_on-month": "2"}, "real date"),
        ({"role": "neighbour"}, "Not a valid choice"),
    ],
    ids=["no-words", "no-way", "no-date", "future", "not-a-date", "unknown-role"],
)
def test_a_voice_without_its_consent_in_full_says_why_and_keeps_nothing(
    client: FlaskClient,
    runtime: Runtime,
    people: People,
    reflection_id: UUID,
    changes: dict[str, Any],
    message: str,
) -> None:
    bob = client_as(client, "bob@team-a.example")
    answer = _keep(bob, reflection_id, **changes)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert message.lower() in page.lower(), page
    assert "There is a problem" in page
    if changes.get("words", FIRST):
        assert "minibus driver" in page  # what was typed is still in the form
    settle_all(runtime)
    engine = runtime.read_engine
    assert (
        q.voices_heard(engine, q.reader_of(engine, people.bob), reflection_id, people.team_a) == []
    )


def test_consent_for_fewer_readers_than_the_reflection_has_is_refused(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    shared = runtime.app.learning.record_reflection(
        people.team_a, reflection(visibility=SHARED), by=people.bob
    ).id
    settle_all(runtime)
    bob = client_as(client, "bob@team-a.example")
    answer = _keep(bob, shared, consent_covers=TEAM)
    assert answer.status_code == 400
    assert "covers fewer readers than can read this reflection" in answer.get_data(as_text=True)


def test_their_words_are_corrected_and_the_versions_page_keeps_both(
    client: FlaskClient, runtime: Runtime, people: People, reflection_id: UUID
) -> None:
    bob = client_as(client, "bob@team-a.example")
    _keep(bob, reflection_id)
    voice = _only_voice(runtime, people, reflection_id)
    page = f"/learning/reflections/{reflection_id}/voices/{voice.id}/edit"
    assert _post(bob, page, page, {"words": ""}).status_code == 400
    assert _post(bob, page, page, {"words": CORRECTED}).status_code == 302
    versions = bob.get(f"/learning/reflections/{reflection_id}/versions").get_data(as_text=True)
    assert FIRST.replace("'", "&#39;") in versions and CORRECTED in versions


def test_a_withdrawal_confirmed_destroys_the_words_everywhere_and_leaves_a_note(
    client: FlaskClient, runtime: Runtime, people: People, reflection_id: UUID
) -> None:
    bob = client_as(client, "bob@team-a.example")
    _keep(bob, reflection_id)
    voice = _only_voice(runtime, people, reflection_id)
    edit = f"/learning/reflections/{reflection_id}/voices/{voice.id}/edit"
    _post(bob, edit, edit, {"words": CORRECTED})
    assert "minibus" in _rows(runtime)  # the test can see them before
    page = f"/learning/reflections/{reflection_id}/voices/{voice.id}/withdraw"

    # A date before the consent was given, then the first step only asks once more.
    early = _post(bob, page, page, date_boxes("withdrawn_on", days_ago(30)))
    assert early.status_code == 400 and "before it was given" in early.get_data(as_text=True)
    asked = _post(bob, page, page, date_boxes("withdrawn_on", days_ago(1)))
    assert asked.status_code == 200 and "Are you sure?" in asked.get_data(as_text=True)
    assert "minibus" in _rows(runtime)  # nothing is destroyed on the first step
    done = _post(bob, page, page, {**date_boxes("withdrawn_on", days_ago(1)), "confirmed": "yes"})
    assert done.status_code == 302
    settle_all(runtime)

    shown = bob.get(f"/learning/reflections/{reflection_id}").get_data(as_text=True)
    versions = bob.get(f"/learning/reflections/{reflection_id}/versions").get_data(as_text=True)
    for text in (shown, versions):
        assert not any(m in text.lower() for m in MARKERS)
        assert "Consent withdrawn on" in text
    assert versions.count("[removed: consent withdrawn]") == 2
    assert not any(m in _rows(runtime) for m in MARKERS)
    ann = q.reader_of(runtime.read_engine, people.ann)
    assert runtime.learning_index.search("minibus", ann) == []
    terms, files = _index(runtime)
    assert not any(m in terms for m in MARKERS)
    assert not any(m.encode() in files for m in MARKERS)
    # The event log: every event that carried the words reads back erased.
    carried = [
        e for e in runtime.app.events.get(reflection_id) if getattr(e, "voice_id", None) == voice.id
    ]
    assert [getattr(e, "words", None) for e in carried] == [ERASED, ERASED, None]
    assert type(carried[-1]) is Reflection.ConsentWithdrawn
    # A rebuild from the log finds nothing either; asking again changes nothing.
    rebuild_read_models(runtime)
    assert not any(m in _rows(runtime) for m in MARKERS)
    assert not any(m.encode() in _index(runtime)[1] for m in MARKERS)
    again = bob.get(page)
    assert again.status_code == 302
