"""Readers use the index files in place: no copy of a segment per search thread."""

from __future__ import annotations

import io
import os
import pickle
import random
import tracemalloc
from dataclasses import replace
from pathlib import Path
from uuid import UUID

import pytest
from whoosh.query import Term

from cairn.search.engine.whoosh_reads import _MappedReader
from cairn.search.providers.index import SearchIndex
from tests.search.rounds import WORDS, listing

SAMPLE = b"first line\nsecond\n\nno newline at the end"


@pytest.mark.parametrize(
    "steps",
    [
        [("read", 5), ("read", 100), ("read", 3)],
        [("readline", -1), ("readline", 3), ("readline", -1), ("tell",), ("read", -1)],
        [("seek", 12, os.SEEK_SET), ("read", 4), ("seek", -4, os.SEEK_END), ("read", 10)],
        [("seek", 3, os.SEEK_SET), ("seek", 2, os.SEEK_CUR), ("readline", -1), ("tell",)],
        [("seek", 500, os.SEEK_SET), ("read", 4), ("readline", -1), ("tell",)],
    ],
)
def test_the_mapped_reader_reads_as_a_binary_file_does(steps: list[tuple[object, ...]]) -> None:
    ours, theirs = _MappedReader(memoryview(SAMPLE)), io.BytesIO(SAMPLE)
    for name, *arguments in steps:
        assert getattr(ours, str(name))(*arguments) == getattr(theirs, str(name))(*arguments)
    assert list(_MappedReader(memoryview(SAMPLE))) == list(io.BytesIO(SAMPLE))


def test_pickles_load_from_the_mapped_reader_as_from_a_file() -> None:
    """Whoosh reads each posting block's header with pickle.load, which peeks ahead."""
    objects = [(7, 2.5, "x" * 10), list(range(300)), {"a": b"y" * 2000}, None]
    data = b"".join(pickle.dumps(o, protocol=p) for p in (2, 4, 5) for o in objects)
    ours, theirs = _MappedReader(memoryview(data)), io.BytesIO(data)
    for _ in range(3 * len(objects)):
        assert pickle.load(ours) == pickle.load(theirs)
        assert ours.tell() == theirs.tell()
    assert ours.read() == b""


def test_searching_copies_no_segment_into_memory(tmp_path: Path) -> None:
    rng = random.Random(2)
    index = SearchIndex(tmp_path / "providers")
    long_text = [
        replace(listing(rng, n), description=" ".join(rng.choice(WORDS) for _ in range(300)))
        for n in range(1500)
    ]
    changes = {str(UUID(int=n + 1)): item for n, item in enumerate(long_text)}
    assert index.write(changes, expected=0, position=1)
    index.close()
    on_disk = sum(f.stat().st_size for f in (tmp_path / "providers").glob("*.seg"))
    assert on_disk > 1_000_000  # a segment big enough for a copy of it to show

    reopened = SearchIndex(tmp_path / "providers")
    tracemalloc.start()
    try:
        searcher = reopened.searcher()
        for word in ("garden", "meals", "dementia"):
            for hit in searcher.search_page(Term("description", word), 1):
                hit.fields()  # the stored listing, read from the segment
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        reopened.close()
    assert peak < on_disk / 4, (peak, on_disk)
