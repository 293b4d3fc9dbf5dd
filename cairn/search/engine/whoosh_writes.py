"""Writing to a Whoosh index so that a failed commit never leaves it locked.

Whoosh releases its file lock only when a writer commits or cancels cleanly. If `commit()`
itself raises (a full disk, a clashing segment file), the lock stays held by a writer nobody
owns, and every later writer in the process waits for it forever: the index follower stalls
and search goes stale. `one_commit` makes every write end with the lock released, so the
runner's retry can succeed.

Whoosh also names new segments from the global `random` generator. Anything that reseeds
that generator (a property-based test framework does, for each example) makes names repeat,
and a repeated name is a commit that fails. New segments are named from the OS's entropy
instead, which nothing in the process can reseed.

Writing a segment asks, for every posting, for the document's length in its field. Whoosh
caches the column reader that answers, but not a field's *lack* of one (an ID or keyword
field keeps no lengths), so each posting of such a field asked the file system whether the
column file existed: a `stat` per posting, a fifth of a bulk build. The lack is cached too
(a segment's columns never change once written)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any

from whoosh.codec import base as codec_base
from whoosh.codec import whoosh3
from whoosh.util import IDCHARS

_SEGMENT_ID_LENGTH = 16


def _segment_id(cls: type, size: int = _SEGMENT_ID_LENGTH) -> str:
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    """W3PerDocReader._cached_reader, remembering a missing column as well as a present one."""
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


def install() -> None:
    """Name new segments from the OS's entropy, and remember which columns a segment lacks
    (idempotent; process-wide).

    Whoosh names them with the classmethod whoosh.codec.base.Segment._random_id, which
    draws from the global `random` generator; that classmethod is replaced."""
    codec_base.Segment._random_id = classmethod(_segment_id)
    whoosh3.W3PerDocReader._cached_reader = _cached_reader


@contextmanager
def one_commit(
    index: Any,
    timeout: float,
    *,
    writer_options: Mapping[str, Any] | None = None,
    **commit_options: Any,
) -> Iterator[Any]:
    """A writer (made with `writer_options`) whose changes are committed (with
    `commit_options`) when the block ends, or discarded if it raises or the block cancelled
    the writer itself. The lock is released either way."""
    writer = index.writer(timeout=timeout, **(writer_options or {}))
    try:
        yield writer
    except BaseException:
        _abandon(writer)
        raise
    if writer.is_closed:  # the block cancelled: nothing to commit
        return
    try:
        writer.commit(**commit_options)
    except BaseException:
        _abandon(writer)
        raise


def _abandon(writer: Any) -> None:
    """Cancel what can be cancelled; above all, let go of the lock."""
    if not writer.is_closed:
        with suppress(Exception):
            writer.cancel()
    lock = writer.writelock
    if lock is not None and lock.locked:
        with suppress(Exception):
            lock.release()
