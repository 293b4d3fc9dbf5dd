"""Single keys of dict fields are encrypted; events from before a declaration read as they are."""

from __future__ import annotations

from typing import Any

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.app import CairnApp
from cairn.domain.directory.draft import ApplicationDraft
from cairn.domain.directory.provider import Provider
from cairn.domain.personal import ERASED, subject_for_id
from cairn.domain.personal_keys import MemoryKeyStore, subject_for_email
from cairn.operations.data_rights import rebuild_read_models
from tests.support.providers import approve_with_checks


def raw(app: CairnApp) -> bytes:
    return b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=1000))


def applied(app: CairnApp, **listing: Any) -> Any:
    return app.directory.apply(
        name="Glen Care",
        contact_name="Mhairi Quillan",
        email="mhairi@glencare.example",
        postcode="KA7 1AA",
        services=["gardening"],
        **listing,
    ).id


def test_an_edit_keeps_its_shape_and_only_its_personal_keys_go() -> None:
    keys = MemoryKeyStore()
    app = CairnApp(keys=keys)
    pid = applied(app, phone="07700 900417")
    approve_with_checks(app, pid)
    app.directory.propose_edit(
        pid, by=pid, changes={"phone": "07700 900592", "website": "https://glen.example"}
    )
    app.directory.approve_edit(pid, by=pid)
    log = raw(app)
    assert b"900592" not in log and b"900417" not in log
    assert b"https://glen.example" in log  # the listing's public fields stay in clear

    assert keys.shred(subject_for_id(pid)) and keys.shred(
        subject_for_email("mhairi@glencare.example", keys) or ""
    )
    provider = app.load(Provider, pid)
    assert provider.phone == ERASED and provider.website == "https://glen.example"
    proposed = [e for e in app.repository.event_store.get(pid) if "changes" in vars(e)]
    assert proposed and all(e.changes["phone"] == ERASED for e in proposed)
    assert all(e.before["phone"] == ERASED for e in proposed)


def test_draft_answers_are_encrypted_but_the_draft_still_folds_once_erased() -> None:
    keys = MemoryKeyStore()
    app = CairnApp(keys=keys)
    account = app.directory.start_application(
        email="mhairi@glencare.example",
        contact_name="Mhairi Quillan",
        password="a long enough password",
        answers={"name": "Glen Care", "contact_name": "Mhairi Quillan", "phone": "07700 900417"},
    ).id
    assert b"Mhairi" not in raw(app) and b"900417" not in raw(app) and b"glencare" not in raw(app)
    draft_id = ApplicationDraft.create_id(account)
    assert keys.shred(subject_for_id(draft_id))
    draft = app.load(ApplicationDraft, draft_id)
    assert draft.answers == {
        "name": "Glen Care",
        "contact_name": ERASED,
        "phone": ERASED,
        "email": ERASED,
    }


def test_an_event_from_before_its_field_was_declared_reads_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Old events are never rewritten: a phone saved in clear before `phone` was declared
    personal reads back as saved, not as erased; its declared fields still decrypt."""
    app = CairnApp(keys=MemoryKeyStore())
    with monkeypatch.context() as before_the_change:
        before_the_change.setattr(Provider.Applied, "personal_fields", ("contact_name", "email"))
        before_the_change.setattr(ApplicationDraft.Started, "personal_fields", ())
        pid = applied(app, phone="07700 900417")
        draft = ApplicationDraft(account_id=pid, answers={"phone": "07700 900111"})
        app.record(draft)
    assert b"900417" in raw(app)  # in clear, as old events are
    provider = app.load(Provider, pid)
    assert provider.phone == "07700 900417" and provider.contact_name == "Mhairi Quillan"
    assert app.load(ApplicationDraft, draft.id).answers == {"phone": "07700 900111"}


def test_rebuilding_the_read_models_empties_both_search_indexes_first(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied(runtime.app)
    for runner in runtime.runners:
        runner.catch_up()
    emptied: list[str] = []
    for name, target in (("providers", runtime.index_sink), ("learning", runtime.learning_index)):
        # The provider index is written again whole, in one commit that replaces every old
        # document (so nothing erased survives in it); the learning index is emptied first.
        method = "rebuild" if name == "providers" else "clear"
        original = getattr(target, method)
        monkeypatch.setattr(
            target,
            method,
            lambda *args, original=original, name=name, **kwargs: (
                emptied.append(name),
                original(*args, **kwargs),
            ),
        )
    rebuild_read_models(runtime)
    assert sorted(emptied) == ["learning", "providers"]
    assert runtime.index_sink.position() == runtime.app.head()
    assert runtime.learning_index.position() == runtime.app.head()
