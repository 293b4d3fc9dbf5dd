"""An index written by an older release is emptied and refilled, never read with new terms."""

from __future__ import annotations

import random
from pathlib import Path
from uuid import UUID

from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer

from cairn.search.providers.documents import to_document
from cairn.search.providers.index import INDEX_NAME, SearchIndex
from cairn.search.providers.schema import KIND_TRACKING, TRACKING_ID, build_schema
from tests.search.rounds import listing


def _one_listing(index: SearchIndex) -> None:
    assert index.write({str(UUID(int=1)): listing(random.Random(1), 1)}, expected=0, position=7)


def test_an_index_of_this_release_is_kept_when_reopened(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "providers")
    _one_listing(index)
    index.close()
    reopened = SearchIndex(tmp_path / "providers")
    assert reopened.position() == 7
    assert reopened.snapshot().total == 1
    reopened.close()


def test_an_index_from_before_schema_versions_is_rebuilt(tmp_path: Path) -> None:
    """The release before: Whoosh's Porter stemmer and no version on the tracking document."""
    old = build_schema()
    old.remove("schema_version")
    for name in ("name", "service_text", "description"):
        old[name].analyzer = StemmingAnalyzer()
    path = tmp_path / "providers"
    path.mkdir()
    ix = whoosh_index.create_in(str(path), old, indexname=INDEX_NAME)
    with ix.writer() as writer:
        writer.add_document(**to_document(listing(random.Random(1), 1)))
        writer.add_document(id=TRACKING_ID, kind=KIND_TRACKING, position=7)
    ix.close()

    index = SearchIndex(path)
    assert index.position() == 0  # the runner replays the log from the start
    assert index.snapshot().total == 0
    _one_listing(index)  # and the old events index again
    assert index.snapshot().total == 1
    index.close()


def test_an_index_with_the_same_fields_and_an_older_version_is_rebuilt(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "providers")
    _one_listing(index)
    with index._ix.writer() as writer:
        writer.update_document(id=TRACKING_ID, kind=KIND_TRACKING, position=7, schema_version=1)
    index.close()
    reopened = SearchIndex(tmp_path / "providers")
    assert reopened.position() == 0
    assert reopened.snapshot().total == 0
    reopened.close()
