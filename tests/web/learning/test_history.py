"""Learning history that respects visibility (issue #14, finding 4).

Each version of a reflection is read only by those who could read it when it was written;
a team lead can redact a version (its words are shredded, the fact stays); a linked
experiment shows only to those who may read the experiment."""

from __future__ import annotations

import re
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from whoosh import index as whoosh_index

from cairn.bootstrap.runtime import Runtime
from cairn.demo.directory import DEFAULT_DEMO_PASSWORD, load_demo_data
from cairn.domain.errors import DomainError
from cairn.domain.learning.reflection import Reflection
from cairn.domain.learning.vocabulary import PUBLIC, TEAM
from cairn.domain.personal import ERASED
from cairn.operations.data_rights import rebuild_read_models
from cairn.readmodels.learning import queries as q
from cairn.readmodels.learning.reflections import learning_reflection_versions, learning_reflections
from tests.support.learning import People, experiment, reflection, settle_all
from tests.support.web import csrf_token, sign_in

# What must never reach anyone it was not written for (and, once redacted, anyone at all).
NAME = "Agnes Kerrigan"
ADDRESS = "14 Dalrymple Street"
MARKERS = ("kerrigan", "dalrympl")  # as Whoosh stems them, and as they appear in text

FIRST_TELLING = f"We visited {NAME} at {ADDRESS}, Girvan; the bus had not come for a week."
RETOLD = "We visited a person in Girvan whose bus had not come for a week."


def _html(client: FlaskClient, path: str) -> tuple[int, str]:
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def _has_marker(text: str) -> bool:
    low = text.lower()
    return any(marker in low for marker in MARKERS) or NAME.lower() in low


# -- 1. the Carrick story ----------------------------------------------------------------


def _reflection_form(client: FlaskClient, path: str, **fields: object) -> dict[str, object]:
    return {
        "csrf_token": csrf_token(client, path),
        "title": "The Girvan bus",
        "happened_on": "2026-11-20",
        "what_happened": FIRST_TELLING,
        "what_we_learned": "A missing bus cuts people off within days.",
        "themes": "transport",
        "visibility": TEAM,
        **fields,
    }


def test_the_carrick_story_an_earlier_team_only_version_stays_with_its_team(
    runtime: Runtime, app: Flask
) -> None:
    """A Carrick member saves a team-only reflection naming a person and an address, edits
    it to remove them and makes it public; a Leith member sees only the public version."""
    load_demo_data(runtime)
    settle_all(runtime)
    engine = runtime.read_engine
    (carrick,) = [t for t in q.all_teams(engine) if t.name.startswith("Carrick")]

    jamie = app.test_client()
    sign_in(jamie, "jamie@carrick.example", DEFAULT_DEMO_PASSWORD)
    new = f"/learning/teams/{carrick.id}/reflections/new"
    saved = jamie.post(new, data=_reflection_form(jamie, new))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    reflection_id = UUID(saved.headers["Location"].rstrip("/").split("/")[-1])
    edit = f"/learning/reflections/{reflection_id}/edit"
    edited = jamie.post(
        edit,
        data=_reflection_form(jamie, edit, what_happened=RETOLD, visibility=PUBLIC, version=1),
    )
    assert edited.status_code == 302, edited.get_data(as_text=True)
    settle_all(runtime)

    eilidh = app.test_client()
    sign_in(eilidh, "eilidh@leith-carers.example", DEFAULT_DEMO_PASSWORD)
    status, page = _html(eilidh, f"/learning/reflections/{reflection_id}/versions")
    assert status == 200
    assert RETOLD in page
    assert not _has_marker(page)
    assert "An earlier version is not shared with you." in page
    status, page = _html(eilidh, f"/learning/reflections/{reflection_id}")
    assert status == 200 and RETOLD in page and not _has_marker(page)
    status, page = _html(eilidh, f"/learning/search?q={ADDRESS.split()[1]}")
    assert status == 200 and "The Girvan bus" not in page
    csv = eilidh.get(f"/learning/teams/{carrick.id}/export.csv").get_data(as_text=True)
    assert RETOLD in csv and not _has_marker(csv)

    # The team itself still reads both versions: the history is theirs.
    status, page = _html(jamie, f"/learning/reflections/{reflection_id}/versions")
    assert status == 200 and FIRST_TELLING in page and RETOLD in page
    assert "not shared with you" not in page


def test_each_version_keeps_the_audience_it_was_written_for(
    runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    done = learning.record_reflection(
        people.team_a, reflection(what_happened=FIRST_TELLING), by=people.ann
    )
    learning.revise_reflection(
        done.id, reflection(what_happened=RETOLD, visibility=PUBLIC), by=people.ann
    )
    settle_all(runtime)
    engine = runtime.read_engine
    outsider = q.reader_of(engine, people.cat)
    versions = q.reflection_versions(engine, outsider, done.id, people.team_a)
    assert [(v.number, v.shared) for v in versions] == [(2, True), (1, False)]
    assert versions[1].content is None and versions[1].by is None
    mine = q.reflection_versions(engine, q.reader_of(engine, people.bob), done.id, people.team_a)
    assert [v.shared for v in mine] == [True, True]
    assert mine[1].content is not None and mine[1].content.what_happened == FIRST_TELLING
    # The index holds only the current version: the old words are found by nobody.
    for account in (people.ann, people.cat):
        assert runtime.learning_index.search("Kerrigan", q.reader_of(engine, account)) == []


# -- 2. redaction ----------------------------------------------------------------------------


def _told_then_retold(runtime: Runtime, people: People) -> UUID:
    learning = runtime.app.learning
    done = learning.record_reflection(
        people.team_a,
        reflection(title=f"Visit to {NAME}", what_happened=FIRST_TELLING),
        by=people.bob,
    )
    learning.revise_reflection(done.id, reflection(what_happened=RETOLD), by=people.bob)
    settle_all(runtime)
    return done.id


def _index_bytes(runtime: Runtime) -> bytes:
    folder = Path(runtime.settings.index_dir) / "learning"
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()).lower()


def _index_terms(runtime: Runtime) -> set[str]:
    folder = Path(runtime.settings.index_dir) / "learning"
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        terms = {
            text.decode() if isinstance(text, bytes) else str(text)
            for field, text in reader.all_terms()
            if field in ("title", "body")
        }
        stored = " ".join(str(fields) for fields in reader.all_stored_fields())
    ix.close()
    return terms | {stored.lower()}


def _learning_rows(runtime: Runtime) -> str:
    with runtime.read_engine.connect() as conn:
        rows = [
            *conn.execute(select(learning_reflections)),
            *conn.execute(select(learning_reflection_versions)),
        ]
    return " ".join(str(tuple(row)) for row in rows)


def test_a_lead_redacts_a_version_and_its_words_are_gone_everywhere(
    runtime: Runtime, people: People
) -> None:
    reflection_id = _told_then_retold(runtime, people)
    assert _has_marker(_learning_rows(runtime))  # the test can see them before
    runtime.app.learning.redact_reflection_version(
        reflection_id, 1, reason="It named someone we support.", by=people.ann
    )
    settle_all(runtime)

    # The read models: no trace in any row, and the history says what happened.
    assert not _has_marker(_learning_rows(runtime))
    engine = runtime.read_engine
    versions = q.reflection_versions(
        engine, q.reader_of(engine, people.bob), reflection_id, people.team_a
    )
    newest, oldest = versions
    assert newest.content is not None and newest.content.what_happened == RETOLD
    assert newest.redacted is None
    assert oldest.redacted is not None
    assert oldest.redacted.reason == "It named someone we support."
    assert oldest.redacted.by.name == "Ann"
    assert oldest.content is not None and oldest.content.what_happened == ""

    # The learning index, read with Whoosh itself: neither its terms nor its files hold them.
    assert not any(m in term for term in _index_terms(runtime) for m in MARKERS)
    assert not any(m.encode() in _index_bytes(runtime) for m in MARKERS)

    # The event log: the first version's words decode to the erased marker, the second's
    # are intact, and the stored bytes never held the words in the clear.
    events = runtime.app.events.get(reflection_id)
    recorded, revised, redacted = list(events)
    assert type(recorded) is Reflection.Recorded and recorded.text == ERASED
    assert revised.text["what_happened"] == RETOLD
    assert type(redacted) is Reflection.VersionRedacted and redacted.number == 1
    stored = runtime.app.recorder.select_events(reflection_id)
    assert not any(_has_marker(s.state.decode("utf-8", "replace")) for s in stored)

    # A rebuild from the log finds nothing either, and the aggregate still works.
    rebuild_read_models(runtime)
    assert not _has_marker(_learning_rows(runtime))
    assert not any(m.encode() in _index_bytes(runtime) for m in MARKERS)
    loaded = runtime.app.load(Reflection, reflection_id)
    assert loaded.history[0].what_happened == "" and loaded.history[1].what_happened == RETOLD
    runtime.app.learning.revise_reflection(
        reflection_id, reflection(what_happened="A third telling."), by=people.bob
    )


def test_redacting_the_current_version_empties_the_reflection_and_its_search_document(
    runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    done = learning.record_reflection(
        people.team_a,
        reflection(title=f"Visit to {NAME}", what_happened=FIRST_TELLING),
        by=people.bob,
    )
    settle_all(runtime)
    ann = q.reader_of(runtime.read_engine, people.ann)
    assert [h.id for h in runtime.learning_index.search("Kerrigan", ann)] == [done.id]
    learning.redact_reflection_version(done.id, 1, reason="Named a person.", by=people.ann)
    settle_all(runtime)
    row = q.reflection(runtime.read_engine, ann, done.id)
    assert row is not None and row.title == "" and row.what_happened == ""
    assert row.version == 2  # edits are checked against the redaction's version
    assert runtime.learning_index.search("Kerrigan", ann) == []
    assert not any(m.encode() in _index_bytes(runtime) for m in MARKERS)
    # Themes are not words about a person: the reflection is still found by them.
    assert [h.id for h in runtime.learning_index.search("transport", ann)] == [done.id]


def test_only_a_lead_or_an_administrator_redacts_and_only_once_with_a_reason(
    runtime: Runtime, people: People
) -> None:
    reflection_id = _told_then_retold(runtime, people)
    learning = runtime.app.learning
    with pytest.raises(DomainError, match="team lead"):
        learning.redact_reflection_version(reflection_id, 1, reason="Because.", by=people.bob)
    with pytest.raises(DomainError, match="team lead"):
        learning.redact_reflection_version(reflection_id, 1, reason="Because.", by=people.cat)
    with pytest.raises(DomainError, match="reason"):
        learning.redact_reflection_version(reflection_id, 1, reason="  ", by=people.ann)
    with pytest.raises(DomainError, match="no version 7"):
        learning.redact_reflection_version(reflection_id, 7, reason="Because.", by=people.ann)
    learning.redact_reflection_version(reflection_id, 2, reason="Because.", by=people.admin)
    with pytest.raises(DomainError, match="already redacted"):
        learning.redact_reflection_version(reflection_id, 2, reason="Again.", by=people.ann)
    # Version 1 is untouched by version 2's redaction: each has its own key.
    loaded = runtime.app.load(Reflection, reflection_id)
    assert loaded.history[0].what_happened == FIRST_TELLING
    assert loaded.history[1].what_happened == ""


def test_the_redaction_form_asks_for_a_reason_then_a_confirmation(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    reflection_id = _told_then_retold(runtime, people)
    versions = f"/learning/reflections/{reflection_id}/versions"
    path = f"/learning/reflections/{reflection_id}/versions/1/redact"

    sign_in(client, "bob@team-a.example")  # a member, not a lead: no link, no form
    assert "Redact version" not in _html(client, versions)[1]
    assert client.get(path).status_code == 403
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, "cat@team-b.example")  # cannot read it at all
    assert client.get(path).status_code == 404
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})

    sign_in(client, "ann@team-a.example")
    status, page = _html(client, versions)
    assert status == 200 and f'href="{path}"' in page
    status, page = _html(client, path)
    assert status == 200 and "Why this version is redacted" in page
    token = csrf_token(client, path)
    missing = client.post(path, data={"csrf_token": token, "reason": ""})
    assert missing.status_code == 400
    assert "Enter the reason for the redaction" in missing.get_data(as_text=True)
    asked = client.post(path, data={"csrf_token": token, "reason": "It named a person."})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "Are you sure?" in page and 'name="confirmed" value="yes"' in page
    assert FIRST_TELLING in _html(client, versions)[1]  # nothing happened yet
    done = client.post(
        path, data={"csrf_token": token, "reason": "It named a person.", "confirmed": "yes"}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(versions)
    settle_all(runtime)
    status, page = _html(client, versions)
    assert status == 200 and not _has_marker(page) and RETOLD in page
    assert re.search(r"Version 1 was redacted on .+ by Ann\.", page)
    assert "It named a person." in page
    assert client.get(path).status_code == 302  # already redacted: back to the versions


# -- 3. linked experiments -------------------------------------------------------------------


SECRET = "Kitchen table pilot"


@pytest.fixture
def linked(runtime: Runtime, people: People) -> UUID:
    """A public reflection of team A linked to team A's team-only experiment."""
    learning = runtime.app.learning
    pilot = learning.propose_experiment(
        people.team_a, experiment(title=SECRET, visibility=TEAM), by=people.ann
    ).id
    done = learning.record_reflection(
        people.team_a,
        reflection(title="What the lifts taught us", visibility=PUBLIC, experiment_id=pilot),
        by=people.ann,
    )
    settle_all(runtime)
    return done.id


def test_a_linked_experiment_shows_only_to_readers_of_the_experiment(
    runtime: Runtime, people: People, linked: UUID
) -> None:
    engine = runtime.read_engine
    cat, ann = q.reader_of(engine, people.cat), q.reader_of(engine, people.ann)
    other = q.reflection(engine, cat, linked)
    assert other is not None and other.experiment_title is None
    own = q.reflection(engine, ann, linked)
    assert own is not None and own.experiment_title == SECRET
    assert [r.experiment_title for r in q.timeline(engine, cat, people.team_a)] == [None]
    assert [r.experiment_title for r in q.timeline(engine, cat, None)] == [None]
    assert [r.experiment_title for r in q.timeline(engine, ann, people.team_a)] == [SECRET]
    # Filtering another team's timeline by its hidden experiment tells nothing.
    pilot = own.experiment_id
    hidden = q.TimelineFilter(experiment=pilot)
    assert q.timeline(engine, cat, people.team_a, hidden) == []
    assert [r.id for r in q.timeline(engine, ann, people.team_a, hidden)] == [linked]


def test_no_page_or_export_of_another_team_shows_the_experiment_title(
    client: FlaskClient, runtime: Runtime, people: People, linked: UUID
) -> None:
    sign_in(client, "cat@team-b.example")
    team = people.team_a
    for path in (
        f"/learning/reflections/{linked}",
        f"/learning/reflections/{linked}/versions",
        "/learning/",
        f"/learning/teams/{team}",
        f"/learning/teams/{team}/timeline",
        f"/learning/teams/{team}/experiments",
        f"/learning/teams/{team}/themes",
        f"/learning/teams/{team}/principles",
        f"/learning/teams/{team}/report",
        f"/learning/teams/{team}/export.csv",
        "/learning/search?q=lifts",
        "/learning/search?q=kitchen",
    ):
        status, page = _html(client, path)
        assert status == 200, path
        assert SECRET not in page, path
    assert "What the lifts taught us" in _html(client, f"/learning/teams/{team}/timeline")[1]
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, "ann@team-a.example")
    assert SECRET in _html(client, f"/learning/reflections/{linked}")[1]
    assert SECRET in _html(client, f"/learning/teams/{team}/timeline")[1]


def test_a_reflection_links_only_to_its_own_teams_experiments(
    runtime: Runtime, people: People, linked: UUID
) -> None:
    engine = runtime.read_engine
    own = q.reflection(engine, q.reader_of(engine, people.ann), linked)
    assert own is not None
    with pytest.raises(DomainError, match="this team's own experiments"):
        runtime.app.learning.record_reflection(
            people.team_b, reflection(experiment_id=own.experiment_id), by=people.cat
        )


def test_the_reflection_page_says_when_the_version_it_shows_was_redacted(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    done = runtime.app.learning.record_reflection(
        people.team_a,
        reflection(title=f"Visit to {NAME}", what_happened=FIRST_TELLING),
        by=people.bob,
    )
    runtime.app.learning.redact_reflection_version(
        done.id, 1, reason="Named a person.", by=people.ann
    )
    settle_all(runtime)
    sign_in(client, "bob@team-a.example")
    status, page = _html(client, f"/learning/reflections/{done.id}")
    assert status == 200 and not _has_marker(page)
    assert re.search(r"This version was redacted on .+ by Ann\.", page)
    assert "(redacted)" in page  # in place of the title
    status, page = _html(client, f"/learning/teams/{people.team_a}/timeline")
    assert status == 200 and not _has_marker(page) and "(redacted)" in page
