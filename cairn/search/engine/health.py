"""Whether an index on disk can be read: a follower that finds its index gone or spoiled
starts it again empty and refills it from the log (SearchIndex and LearningIndex)."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index


def readable(path: Path, indexname: str | None = None) -> bool:
    """Whether the index's newest generation can be opened and read."""
    try:
        opened = whoosh_index.open_dir(str(path), indexname=indexname)
        with opened.searcher() as searcher:
            searcher.doc_count_all()
        opened.close()
    except Exception:  # gone, half gone, or not an index: any failure to read it
        return False
    return True
