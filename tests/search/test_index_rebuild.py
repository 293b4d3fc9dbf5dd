"""Rebuilding a node's provider index in one writer and one commit: the same index as
following the log, searches answered from the old one until the commit, never a partial one."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from werkzeug.datastructures import MultiDict

from bench.search_data import generate
from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.importer import import_providers
from cairn.domain.directory.listing import PublicListing
from cairn.operations.data_rights import erase_person, rebuild_read_models
from cairn.search.providers.index import SearchIndex
from cairn.search.providers.indexer import IndexSink
from cairn.search.providers.query import parse_search
from cairn.search.providers.search import Directory
from tests.support.readmodels import index_documents
from tests.support.stores import SAMPLES

TODAY = date(2026, 11, 23)
QUERIES = [
    {},
    {"q": "garden"},
    {"q": "meals", "service": "meal-preparation"},
    {"q": "help at home"},
    {"sort": "price"},
]


def fill(runtime: Runtime) -> None:
    sample = (SAMPLES / "providers-sample.csv").read_text(encoding="utf-8")
    plan = import_providers(runtime.app, io.StringIO(sample), today=TODAY)
    assert plan.ok and plan.added == 24
    some = runtime.app.directory.provider_for_email("hello@carrick-care-companions.example")
    assert some is not None
    runtime.app.directory.suspend(some, by=some, reason="Holiday")
    erase_person(runtime, "hello@doon-valley-helping-hands.example")
    for runner in runtime.runners:
        runner.catch_up()


def results(index: SearchIndex) -> list[list[str]]:
    directory = Directory(index)
    return [
        [
            str(listing.provider_id)
            for listing in directory.search(parse_search(MultiDict(q)), TODAY).listings
        ]
        for q in QUERIES
    ]


def test_a_rebuild_is_the_index_that_following_the_log_made(
    runtime: Runtime, tmp_path: Path
) -> None:
    fill(runtime)
    followed = index_documents(runtime.search_index.path, "providers")
    fresh = SearchIndex(tmp_path / "fresh")
    try:
        sink = IndexSink(fresh, runtime.index_sink.load)
        assert sink.rebuild(runtime.reader.read) == runtime.app.head()
        assert index_documents(fresh.path, "providers") == followed
        assert results(fresh) == results(runtime.search_index)
    finally:
        fresh.close()


def test_searches_read_the_old_index_until_the_rebuild_commits(
    runtime: Runtime, tmp_path: Path
) -> None:
    fill(runtime)
    before = results(runtime.search_index)
    position = runtime.search_index.position()
    seen: list[tuple[int, list[list[str]]]] = []

    def watched(items: list[PublicListing]) -> Iterator[PublicListing]:
        for number, item in enumerate(items):
            if number == len(items) // 2:
                # Another process's view of the index, half way through the writing.
                other = SearchIndex(runtime.search_index.path)
                try:
                    seen.append((other.position(), results(other)))
                finally:
                    other.close()
            yield item

    replacement = generate(40)
    written = runtime.search_index.rebuild(watched(replacement), position=position + 1)
    assert written == 40
    assert seen == [(position, before)]
    after = results(runtime.search_index)
    assert runtime.search_index.position() == position + 1
    assert after != before and runtime.search_index.snapshot().total == 40


def test_several_worker_processes_build_the_same_documents(tmp_path: Path) -> None:
    listings = generate(600)
    one, two = SearchIndex(tmp_path / "one"), SearchIndex(tmp_path / "two")
    try:
        one.rebuild(listings, position=7)
        two.rebuild(listings, position=7, procs=2)
        assert index_documents(one.path, "providers") == index_documents(two.path, "providers")
        assert one.snapshot().total == two.snapshot().total == 600
        assert [sorted(r) for r in results(one)] == [sorted(r) for r in results(two)]
    finally:
        one.close()
        two.close()


def test_projections_rebuild_refills_the_index_in_one_commit(runtime: Runtime) -> None:
    fill(runtime)
    followed = index_documents(runtime.search_index.path, "providers")
    generations_before = runtime.search_index._ix.latest_generation()
    rebuild_read_models(runtime)
    assert index_documents(runtime.search_index.path, "providers") == followed
    assert runtime.search_index._ix.latest_generation() == generations_before + 1
