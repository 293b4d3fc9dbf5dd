"""Writing to a Whoosh index so that a failed commit never leaves it locked.

Whoosh releases its file lock only when a writer commits or cancels cleanly. If `commit()`
itself raises (a full disk, a clashing segment file), the lock stays held by a writer nobody
owns, and every later writer in the process waits for it forever: the index follower stalls
and search goes stale. `one_commit` makes every write end with the lock released, so the
runner's retry can succeed.

Whoosh also names new segments from the global `random` generator. Anything that reseeds
that generator (a property-based test framework does, for each example) makes names repeat,
and a repeated name is a commit that fails. New segments are named from the OS's entropy
instead, which nothing in the process can reseed."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from whoosh.codec import base as codec_base
from whoosh.util import IDCHARS

_SEGMENT_ID_LENGTH = 16


def _segment_id(cls: type, size: int = _SEGMENT_ID_LENGTH) -> str:
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


def install() -> None:
    """Name new segments from the OS's entropy (idempotent; process-wide).

    Whoosh names them with the classmethod whoosh.codec.base.Segment._random_id, which
    draws from the global `random` generator; that classmethod is replaced."""
    codec_base.Segment._random_id = classmethod(_segment_id)


@contextmanager
def one_commit(index: Any, timeout: float, **commit_options: Any) -> Iterator[Any]:
    """A writer whose changes are committed (with `commit_options`) when the block ends, or
    discarded if it raises or the block cancelled the writer itself. The lock is released
    either way."""
    writer = index.writer(timeout=timeout)
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
