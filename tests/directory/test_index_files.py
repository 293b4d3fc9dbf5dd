"""Both indexes write each segment as plain files that readers read in place.

A compound segment is mapped and then each part a reader opens is copied into that reader's
heap, so every web worker would carry the whole index (about 145 MiB at 100k listings)."""

from __future__ import annotations

import random
from pathlib import Path
from uuid import UUID

from whoosh import index as whoosh_index
from whoosh.fields import ID, Schema

from directory.index import SearchIndex
from directory.whoosh_writes import one_commit
from tests.directory.test_postings import listing


def test_search_index_segments_are_plain_files(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "providers")
    rng = random.Random(1)
    for position in range(3):
        changes = {str(UUID(int=position * 10 + n + 1)): listing(rng, n) for n in range(10)}
        assert index.write(changes, expected=position, position=position + 1)
    stored = index._ix._segments()
    assert stored and not any(segment.is_compound() for segment in stored)
    assert not list(tmp_path.glob("providers/*.seg"))  # no compound file on disk either


def test_every_write_through_one_commit_is_plain_files(tmp_path: Path) -> None:
    """The learning index writes through one_commit too."""
    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True)))
    for n in range(3):
        with one_commit(ix, timeout=1.0) as writer:
            writer.add_document(id=str(n))
    assert ix.doc_count() == 3
    assert not any(segment.is_compound() for segment in ix._segments())
