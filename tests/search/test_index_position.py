"""The index's position is cheap to ask: it never builds the facet snapshot."""

from __future__ import annotations

from pathlib import Path

from cairn.search.providers.index import SearchIndex


def test_asking_the_position_after_each_write_builds_no_snapshot(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "providers")
    assert index.position() == 0
    for position in range(1, 4):
        assert index.write({}, expected=position - 1, position=position)
        assert index.position() == position
    assert index._snapshot is None  # built only when someone searches
    assert index.snapshot().position == 3
