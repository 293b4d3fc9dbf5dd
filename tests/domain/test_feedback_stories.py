"""Feedback about the service, told as stories on an in-memory app."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from cairn.domain.app import CairnApp
from cairn.domain.enquiries.feedback import Feedback
from cairn.domain.errors import DomainError, InvalidTransition
from cairn.domain.personal import ERASED, subject_for_id
from cairn.domain.personal_keys import MemoryKeyStore

ADMIN = uuid4()


@pytest.fixture
def keys() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture
def app(keys: MemoryKeyStore) -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, keys=keys)


def shredder(keys: MemoryKeyStore) -> object:
    return lambda record_id: keys.shred(subject_for_id(record_id))


def test_feedback_is_received_dealt_with_and_deleted_leaving_its_words_unreadable(
    app: CairnApp, keys: MemoryKeyStore
) -> None:
    feedback_id = app.enquiries.send_feedback(
        verdict="mixed", text="The map was hard to read.\nSearch was quick.", page="/search"
    ).id
    feedback = app.load(Feedback, feedback_id)
    assert (feedback.verdict, feedback.page) == ("mixed", "/search")
    assert feedback.text == "The map was hard to read.\nSearch was quick."

    app.enquiries.deal_with_feedback(feedback_id, by_account=ADMIN)
    assert app.load(Feedback, feedback_id).dealt_with_by == ADMIN
    with pytest.raises(InvalidTransition):
        app.enquiries.deal_with_feedback(feedback_id, by_account=ADMIN)

    app.enquiries.delete_feedback(feedback_id, by_account=ADMIN, shred=shredder(keys))
    deleted = app.load(Feedback, feedback_id)
    assert deleted.deleted and deleted.text == ERASED
    with pytest.raises(DomainError):
        app.enquiries.delete_feedback(feedback_id, by_account=ADMIN, shred=shredder(keys))


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("/search?q=my+mum+has+dementia&postcode=KA7", "/search"),  # a search's words stay out
        ("/providers/123#contact", "/providers/123"),
        ("https://elsewhere.example/page", ""),
        ("//elsewhere.example/page", ""),
        ("/\\elsewhere.example", ""),
        ("", ""),
    ],
)
def test_only_our_own_page_is_kept_without_its_query(app: CairnApp, typed: str, kept: str) -> None:
    feedback_id = app.enquiries.send_feedback(verdict="easy", text="Fine", page=typed).id
    assert app.load(Feedback, feedback_id).page == kept


@pytest.mark.parametrize(
    ("verdict", "text", "message"),
    [
        ("", "Fine", "Choose how easy the service was to use"),
        ("brilliant", "Fine", "Choose how easy the service was to use"),
        ("easy", "   ", "Tell us what went well or what we could do better"),
        ("easy", "x" * 1201, "Must be 1,200 characters or fewer"),
    ],
)
def test_feedback_without_a_verdict_or_words_is_refused(
    app: CairnApp, verdict: str, text: str, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        app.enquiries.send_feedback(verdict=verdict, text=text)
    assert refused.value.message == message


def test_the_words_are_encrypted_under_the_feedbacks_own_key(app: CairnApp) -> None:
    feedback_id: UUID = app.enquiries.send_feedback(verdict="hard", text="Secret words").id
    stored = [
        item.state
        for item in app.recorder.select_events(feedback_id)  # type: ignore[attr-defined]
    ]
    assert stored and all(b"Secret words" not in state for state in stored)
