"""A failed commit must leave the index writable: the next batch goes through."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import writing

from cairn.search.engine.whoosh_writes import one_commit
from cairn.search.learning import LearningIndex
from cairn.search.providers.index import SearchIndex


def _fail_the_next_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    real_commit = writing.SegmentWriter.commit
    calls = {"n": 0}

    def commit(self: Any, *args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            self._close_segment()  # half-way through, as a full disk would leave it
            raise OSError("No space left on device")
        real_commit(self, *args, **kwargs)

    monkeypatch.setattr(writing.SegmentWriter, "commit", commit)


def _impatient(make_writer: Any) -> Any:
    """The index's own writer, but giving up on a held lock at once instead of in 30 s."""
    return lambda **options: make_writer(**{**options, "timeout": 0.5})


def test_a_search_index_commit_that_fails_releases_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path / "providers")
    index._ix.writer = _impatient(index._ix.writer)
    _fail_the_next_commit(monkeypatch)
    # Holding the error keeps its frames, and so the failed writer, alive: as a runner that
    # remembers its last error does.
    with pytest.raises(OSError, match="No space") as failure:
        index.write({}, expected=0, position=5)
    assert failure.value
    assert index.write({}, expected=0, position=5) is True
    assert index.position() == 5


def test_a_learning_index_commit_that_fails_releases_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    learning = LearningIndex(tmp_path / "learning")
    _fail_the_next_commit(monkeypatch)
    with (
        pytest.raises(OSError, match="No space") as failure,
        one_commit(learning._index, timeout=0.5) as writer,
    ):
        writer.update_document(id="x", kind="tracking", position=1)
    assert failure.value
    with one_commit(learning._index, timeout=0.5) as writer:  # would raise LockError
        writer.update_document(id="x", kind="tracking", position=2)
    assert learning.position() == 0  # "x" is not the tracking document: nothing else moved


def test_a_reseeded_global_random_does_not_make_segment_names_clash(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "providers")
    for position in range(1, 4):
        random.seed(0)  # as a property-based test framework does for each example
        assert index.write({}, expected=position - 1, position=position) is True
    assert index.position() == 3
