"""Erasure is an event: every read model and both search indexes rewrite themselves on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.erasure import Erasure
from cairn.domain.directory.provider import Provider
from cairn.domain.personal import ERASED, subject_for_id
from cairn.domain.personal_keys import subject_for_email
from cairn.eventlog.runner import Runner
from cairn.operations.data_rights import erase_person, export_person
from cairn.search.learning import LearningIndex
from cairn.search.providers.index import INDEX_NAME, SearchIndex
from cairn.search.providers.indexer import IndexSink
from tests.data_rights import scenario
from tests.support.readmodels import index_documents, snapshot


def raw_log(runtime: Runtime) -> bytes:
    return b"".join(
        n.state for n in runtime.app.recorder.select_notifications(start=1, limit=100_000)
    )


def traces(text: str) -> list[str]:
    return [marker for marker in scenario.MARKERS if marker in text]


def catch_up(runtime: Runtime) -> None:
    for runner in runtime.runners:
        runner.catch_up()


def indexes_text(runtime: Runtime) -> str:
    """Every stored field of every document of both Whoosh indexes, read with Whoosh."""
    providers = index_documents(runtime.settings.index_dir / "providers", INDEX_NAME)
    learning = index_documents(runtime.settings.index_dir / "learning")
    return repr(providers) + repr(learning)


@pytest.fixture
def person(runtime: Runtime) -> scenario.Person:
    built = scenario.build(runtime.app)
    catch_up(runtime)
    return built


def test_every_personal_field_of_the_journey_is_encrypted(
    runtime: Runtime, person: scenario.Person
) -> None:
    raw = raw_log(runtime)
    for secret in (*scenario.MARKERS, scenario.REPORTER, "Nobody answers.", "Mhairi's referee"):
        assert secret.encode() not in raw, secret
    assert b"Glen Care" in raw  # the business name is the listing's, not personal
    # ...and everything reads back while the keys exist.
    provider = runtime.app.load(Provider, person.provider)
    assert (provider.phone, provider.contact_name) == (scenario.NEW_PHONE, scenario.CONTACT)
    assert scenario.PHONE in (provider.answer or "")
    assert traces(repr(snapshot(runtime.read_engine)))  # the read models hold her data


def test_the_erasure_event_holds_no_personal_data(
    runtime: Runtime, person: scenario.Person
) -> None:
    subject = subject_for_email(scenario.EMAIL, runtime.keys)
    done = erase_person(runtime, scenario.EMAIL, by=person.admin)
    assert done.had_key and done.erasure_id is not None
    erasure = runtime.app.load(Erasure, done.erasure_id)
    assert erasure.by == person.admin
    assert subject in erasure.subjects
    assert subject_for_email(scenario.EMAIL, runtime.keys) is None  # the link went too
    assert {subject_for_id(person.provider), subject_for_id(person.report_about)} <= set(
        erasure.subjects
    )
    assert {person.account, person.provider, person.report_filed, person.enquiry_sent} <= set(
        erasure.records
    )
    assert person.other not in erasure.records
    last = runtime.app.recorder.select_notifications(start=runtime.app.head(), limit=1)[0]
    assert last.topic.endswith("Erasure.Recorded")
    assert not traces(last.state.decode())


def test_every_read_model_and_index_rewrites_what_it_held_on_the_event(
    runtime: Runtime, person: scenario.Person
) -> None:
    assert traces(indexes_text(runtime))  # the provider index holds her listing
    erase_person(runtime, scenario.EMAIL, by=person.admin)
    catch_up(runtime)  # the runners' ordinary path: no rebuild

    everything = repr(snapshot(runtime.read_engine))
    assert not traces(everything), traces(everything)
    assert not traces(indexes_text(runtime))
    assert ERASED in everything
    # Her listing is still there (the business), without her; the others are untouched.
    assert "tam@troon.example" in everything and "Una Enquirer" in everything
    provider = runtime.app.load(Provider, person.provider)
    assert provider.phone == ERASED and provider.name == "Glen Care"
    assert runtime.app.load(Provider, person.other).phone == "01292 111222"


def test_a_node_whose_index_runner_was_offline_catches_up_like_any_other_event(
    runtime: Runtime, person: scenario.Person, tmp_path: Path
) -> None:
    """A second node's indexes, built before the erasure and then stopped, read the erasure
    from the log when they start again: nothing has to reach their disk."""
    node = tmp_path / "node-b"
    index = SearchIndex(node / "providers")
    sink = IndexSink(index, lambda pid, v: runtime.app.repository.get(pid, version=v))
    learning = LearningIndex(
        node / "learning",
        history=lambda rid: list(runtime.app.repository.event_store.get(rid)),
    )
    for follower in (sink, learning):
        Runner(runtime.reader, follower).catch_up()
    assert traces(repr(index_documents(node / "providers", INDEX_NAME)))
    index.close()

    erase_person(runtime, scenario.EMAIL)  # node B is down meanwhile

    index = SearchIndex(node / "providers")
    sink = IndexSink(index, lambda pid, v: runtime.app.repository.get(pid, version=v))
    for follower in (sink, learning):
        Runner(runtime.reader, follower).catch_up()
    index.close()
    assert not traces(repr(index_documents(node / "providers", INDEX_NAME)))
    # Whoosh keeps replaced documents' stored fields in old segment files until a merge:
    # the erasure's commit merges, so the bytes on disk hold no trace either.
    raw = b"".join(p.read_bytes() for p in node.rglob("*") if p.is_file())
    assert not [m for m in scenario.MARKERS if m.encode() in raw]


def test_a_retry_after_a_crash_between_shredding_and_recording_finishes_the_job(
    runtime: Runtime, person: scenario.Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_aggregates: Any) -> int:
        raise RuntimeError("the power went")

    head = runtime.app.head()
    with monkeypatch.context() as patched:
        patched.setattr(runtime.app, "record", crash)
        with pytest.raises(RuntimeError):
            erase_person(runtime, scenario.EMAIL)
    subject = subject_for_email(scenario.EMAIL, runtime.keys)
    assert subject is not None  # the link stays until the event is recorded
    assert runtime.keys.key_for(subject, create=False) is None
    assert runtime.app.head() == head  # keys gone, no event yet

    again = erase_person(runtime, scenario.EMAIL)
    assert again.erasure_id is not None and runtime.app.head() == head + 1
    catch_up(runtime)
    assert not traces(repr(snapshot(runtime.read_engine)))
    assert not traces(indexes_text(runtime))
    # Once recorded, running it again changes nothing.
    assert erase_person(runtime, scenario.EMAIL).erasure_id is None
    assert runtime.app.head() == head + 1


def test_subject_access_covers_drafts_edits_answers_and_reports_filed(
    runtime: Runtime, person: scenario.Person
) -> None:
    exported = export_person(runtime, scenario.EMAIL)
    kinds = {(e["record"], e["event"]) for e in exported["events"]}
    assert {
        ("ApplicationDraft", "Started"),
        ("ApplicationDraft", "AnswersSaved"),
        ("Provider", "InformationProvided"),
        ("Provider", "ListingEditProposed"),
        ("ProblemReport", "Reported"),
        ("Enquiry", "Received"),
    } <= kinds
    text = json.dumps(exported)
    assert scenario.NEW_PHONE in text and "Nobody answers." in text
    # A report someone else filed about her, or an enquiry sent to her, holds that person's
    # data: not hers to receive in an export.
    assert scenario.REPORTER not in text
    assert "Una Enquirer" not in text and scenario.ENQUIRER not in text
