"""Saving many new people at once makes their keys together, and each stays their own."""

from __future__ import annotations

from sqlalchemy import event

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.provider import Provider
from cairn.domain.personal_keys import subject_for_email
from cairn.infrastructure.keystore import SqlKeyStore


def new_provider(n: int) -> Provider:
    return Provider(
        name=f"Helpers {n}",
        contact_name=f"Person {n}",
        email=f"person{n}@bulk.example",
        postcode="KA7 1AA",
        services=["gardening"],
    )


def test_a_bulk_save_creates_every_key_in_one_transaction(runtime: Runtime) -> None:
    keys = runtime.keys
    assert isinstance(keys, SqlKeyStore)
    before = keys.count()
    commits: list[object] = []

    def count_commit(connection: object) -> None:
        commits.append(connection)

    event.listen(keys.engine, "commit", count_commit)
    try:
        providers = [new_provider(n) for n in range(120)]
        runtime.app.record(*providers)
    finally:
        event.remove(keys.engine, "commit", count_commit)
    assert keys.count() == before + 120
    # The keys' own commit, and the events' (one store or two, at most two).
    assert len(commits) <= 2
    for n in (0, 57, 119):
        loaded = runtime.app.load(Provider, providers[n].id)
        assert (loaded.email, loaded.contact_name) == (f"person{n}@bulk.example", f"Person {n}")
    distinct = {
        keys.key_for(subject_for_email(f"person{n}@bulk.example", keys) or "", create=False)
        for n in range(120)
    }
    assert len(distinct) == 120


def test_keys_made_elsewhere_meanwhile_are_used_not_replaced(runtime: Runtime) -> None:
    keys = runtime.keys
    assert isinstance(keys, SqlKeyStore)
    subjects = [subject_for_email(f"person{n}@bulk.example", keys, create=True) for n in range(10)]
    earlier = keys.key_for(subjects[5] or "", create=False)
    found = keys.keys_for([s or "" for s in subjects])
    assert found[subjects[5] or ""] == earlier
    assert len(set(found.values())) == 10
    # A second call creates nothing new and answers the same keys.
    assert keys.keys_for(found) == found
