"""The Whoosh index on disk: writing batches atomically with their log position, and warm,
per-generation snapshots for reading.

One writer (the node's own projection runner) changes the index. Readers keep one Whoosh
searcher per thread, refreshed only when the index has a new generation, and share the
facet bitsets built once per generation."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.reading import ReaderClosed
from whoosh.searching import Searcher

from cairn.domain.directory.listing import PublicListing
from cairn.search import engine
from cairn.search.engine.bitsets import mask_of
from cairn.search.engine.health import readable
from cairn.search.engine.postings import segment_id_of
from cairn.search.engine.whoosh_writes import one_commit
from cairn.search.providers.documents import to_document
from cairn.search.providers.schema import (
    DISTRICT_FIELD,
    FACET_FIELDS,
    KIND_TRACKING,
    SCHEMA_VERSION,
    TRACKING_ID,
    build_schema,
)
from cairn.search.providers.segments import (
    FactsCache,
    ListingOrder,
    Part,
    expired_before,
    modified_since,
)

log = logging.getLogger(__name__)

INDEX_NAME = "providers"

# A rebuild's writer buffers this much of its postings in memory before it spills them to a
# run on disk (Whoosh's default is 128 MB): fewer, larger runs to merge into the segment.
REBUILD_MEMORY_MB = 256
# Documents handed to a worker process at a time, when a rebuild uses several.
REBUILD_HANDOFF = 500


@dataclass
class Snapshot:
    """What one index generation holds, computed once and shared by every request on it.

    Docnums are stable within a generation, so the masks and orders here are valid for any
    searcher opened on the same generation."""

    key: tuple[Any, ...]
    size: int  # one more than the largest docnum
    position: int
    live: int  # listing documents (not the tracking one, not deleted)
    facets: dict[str, dict[str, int]]
    order: ListingOrder
    _expired: dict[int, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def total(self) -> int:
        return self.live.bit_count()


class IndexUnreadable(Exception):
    """The node's search index cannot be read just now (its folder was deleted, its files
    spoiled): the follower rebuilds it from the log, and until then the node is not ready."""


class SearchIndex:
    def __init__(self, path: Path) -> None:
        engine.install()  # Cairn's Whoosh patches, before any segment is read or written
        self.path = path
        self.schema = build_schema()
        self._write_lock = threading.Lock()
        self._snapshot_lock = threading.Lock()
        self._local = threading.local()
        self._snapshot: Snapshot | None = None
        self._facts = FactsCache()
        self._ix = self._open()
        # The newest generation seen: one going backwards means the node's follower started
        # the index again (see recover_if_lost).
        self._newest_seen = self._ix.latest_generation()
        # Set when the index starts again, until readiness finds it whole (`refilled`):
        # searches meanwhile raise IndexUnreadable rather than read a part of the directory.
        self.refilling = False

    # -- opening -------------------------------------------------------------------------

    def _open(self) -> Any:
        self.path.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(str(self.path), indexname=INDEX_NAME):
            ix = _open_current(self.path, self.schema)
            if ix is not None:
                return ix
            # The schema changed in a new release: start empty; the runner refills it.
            log.warning("search index schema changed; rebuilding %s", self.path)
        return whoosh_index.create_in(str(self.path), self.schema, indexname=INDEX_NAME)

    def recover_if_lost(self) -> bool:
        """If the index's folder or files are gone or unreadable, start it again empty (the
        runner that asks then refills it from the log); True if it did."""
        with self._write_lock:
            if readable(self.path, INDEX_NAME):
                return False
            log.warning("the search index in %s is gone or unreadable: rebuilding it", self.path)
            self.refilling = True  # before readers can see the empty index
            self.path.mkdir(parents=True, exist_ok=True)
            # Not _open(): files that are there but cannot be read are replaced, not reread.
            self._ix = whoosh_index.create_in(str(self.path), self.schema, indexname=INDEX_NAME)
            # Every thread's searcher read the old files: each opens a new one when next asked.
            self._local = threading.local()
            self._snapshot = None
            return True

    # -- writing -------------------------------------------------------------------------

    def write(
        self,
        changes: Mapping[str, PublicListing | None],
        *,
        expected: int,
        position: int,
        purge: bool = False,
    ) -> bool:
        """Upsert (listing) or delete (None) by provider id, and move the stored position from
        `expected` to `position`, in one commit. False, with nothing written, if the index was
        not at `expected` (another runner got there first).

        `purge` (after an erasure) merges every segment in the commit: Whoosh otherwise only
        marks a replaced document deleted, and its stored fields stay in the old segment's
        file on disk until some later merge."""
        options: dict[str, Any] = {"optimize": True} if purge else {}
        with self._write_lock, one_commit(self._ix, timeout=30.0, **options) as writer:
            with writer.reader() as reader:
                current = _stored_position(reader)
            if current != expected:
                writer.cancel()
                return False
            for provider_id, listing in changes.items():
                if listing is None:
                    writer.delete_by_term("id", provider_id)
                else:
                    writer.update_document(**to_document(listing))
            writer.update_document(**_tracking(position))
        return True

    def rebuild(self, listings: Iterable[PublicListing], *, position: int, procs: int = 1) -> int:
        """Replace everything with `listings` at `position`, in one writer and one commit;
        return how many were written.

        Readers keep the old generation until the commit and see the whole new one after:
        never an empty or partial index. One writer for the lot means Whoosh buffers the
        postings (up to `REBUILD_MEMORY_MB`) and writes each segment once, where batch by
        batch every commit wrote a segment and merged it with the others. `procs` > 1 hands
        the analysis to that many Whoosh worker processes (its MpWriter), each writing a
        segment of its own, kept as it is (`multisegment`): no merge at the end."""
        options: dict[str, Any] = {"limitmb": REBUILD_MEMORY_MB}
        if procs > 1:
            options.update(procs=procs, multisegment=True, batchsize=REBUILD_HANDOFF)
        count = 0
        with (
            self._write_lock,
            one_commit(self._ix, 30.0, writer_options=options, mergetype=writing.CLEAR) as writer,
        ):
            add = writer.add_document
            for listing in listings:
                add(**to_document(listing))
                count += 1
            add(**_tracking(position))
        return count

    def clear(self) -> None:
        """Empty the index (position 0) as one new generation, so readers never go backwards."""
        with self._write_lock, one_commit(self._ix, timeout=30.0, mergetype=writing.CLEAR) as w:
            w.update_document(**_tracking(0))

    # -- reading -------------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """This thread's searcher on the newest generation; IndexUnreadable if the index's
        files are gone or cannot be read (the node then answers "catching up")."""
        try:
            current = self._current_searcher()
        except Exception as error:
            self._local.searcher = None
            raise IndexUnreadable(str(error)) from error
        if self.refilling:
            raise IndexUnreadable("the index is being refilled from the log")
        return current

    def refilled(self) -> None:
        """Readiness found the restarted index within its lag of the log: serve it again."""
        self.refilling = False

    def _current_searcher(self) -> Searcher:
        current: Searcher | None = getattr(self._local, "searcher", None)
        if current is None:
            current = self._ix.searcher()
        elif not current.up_to_date():
            # Not Searcher.refresh(): its reader reuse mishandles emptied and merged
            # segments in whoosh-reloaded 2.7.5. Opening afresh is cheap next to the write.
            with contextlib.suppress(ReaderClosed):  # closed already by a failed read
                current.close()
            self._local.searcher = None
            current = self._ix.searcher()
            self._notice_restart()
        self._local.searcher = current
        return current

    def _notice_restart(self) -> None:
        newest = self._ix.latest_generation()
        if newest < self._newest_seen:  # the node's follower started the index again
            self.refilling = True
        self._newest_seen = newest

    def snapshot(self, searcher: Searcher | None = None) -> Snapshot:
        searcher = searcher or self.searcher()
        key = _generation_key(searcher)
        snapshot = self._snapshot
        if snapshot is not None and snapshot.key == key:
            return snapshot
        with self._snapshot_lock:
            snapshot = self._snapshot
            if snapshot is None or snapshot.key != key:
                snapshot = _build_snapshot(searcher, key, self._facts)
                self._snapshot = snapshot
        return snapshot

    def generation(self) -> tuple[int, int]:
        """The index's newest generation, and how many segments this process reads (metrics:
        a generation that stops moving while the log grows, or segments piling up)."""
        reader = self._current_searcher().reader()
        return self._ix.latest_generation(), len(list(reader.leaf_readers()))

    def position(self) -> int:
        """The log position the index has reached: read from its tracking document, not from
        a snapshot, whose facet bitsets cost a pass over the whole index per generation (a
        rebuild asks after every batch, so that made rebuilding quadratic)."""
        # Not searcher(): the follower asks while the index refills.
        return _stored_position(self._current_searcher().reader())

    def district_mask(self, snapshot: Snapshot, searcher: Searcher, district: str) -> int:
        """The listings covering a district (read per segment with the facets)."""
        return snapshot.facets.get(DISTRICT_FIELD, {}).get(district, 0)

    def expired_mask(self, snapshot: Snapshot, searcher: Searcher, today_ordinal: int) -> int:
        """Listings whose insurance ran out before today: hidden even before an event says so."""
        with snapshot._lock:
            cached = snapshot._expired.get(today_ordinal)
        if cached is None:
            cached = expired_before(snapshot.order.parts, today_ordinal)
            with snapshot._lock:
                snapshot._expired = {today_ordinal: cached}
        return cached

    def modified_mask(self, snapshot: Snapshot, instant: int) -> int:
        """Listings whose public listing last changed at or after `instant`
        (documents.instant_of): the API's modified_after."""
        return modified_since(snapshot.order.parts, instant)

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
        self._ix.close()


def _tracking(position: int) -> dict[str, Any]:
    return {
        "id": TRACKING_ID,
        "kind": KIND_TRACKING,
        "position": position,
        "schema_version": SCHEMA_VERSION,
    }


def _open_current(path: Path, schema: Any) -> Any | None:
    """The index on disk if this release wrote it (same fields, same schema version), else
    None. An index with no tracking document yet holds nothing, so it is current."""
    try:
        ix = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
    except (AttributeError, ImportError, ModuleNotFoundError, EOFError):
        return None  # its schema names an analyzer this release no longer has
    if set(ix.schema.names()) != set(schema.names()):
        ix.close()
        return None
    with ix.searcher() as searcher:
        tracking = searcher.document(id=TRACKING_ID)
    if tracking is not None and tracking.get("schema_version") != SCHEMA_VERSION:
        ix.close()
        return None
    return ix


def _stored_position(reader: Any) -> int:
    docnum = reader.first_id("id", TRACKING_ID) if ("id", TRACKING_ID) in reader else None
    if docnum is None or reader.is_deleted(docnum):
        return 0
    return int(reader.stored_fields(docnum).get("position", 0))


def _generation_key(searcher: Searcher) -> tuple[Any, ...]:
    reader = searcher.reader()
    segments = tuple(
        (segment.segment_id(), segment.deleted_count())
        for leaf, _offset in reader.leaf_readers()
        if (segment := getattr(leaf, "segment", lambda: None)()) is not None
    )
    return (reader.generation(), segments)


def _build_snapshot(searcher: Searcher, key: tuple[Any, ...], cache: FactsCache) -> Snapshot:
    """A generation's snapshot from its segments' kept facts: only segments new to this
    generation are read (see cairn.search.providers.segments)."""
    reader = searcher.reader()
    size = reader.doc_count_all() + 1
    parts: list[Part] = []
    segment_ids: set[str] = set()
    live = 0
    combined: dict[str, dict[str, int]] = {field: {} for field in FACET_FIELDS}
    for segment, offset in reader.leaf_readers():
        facts = cache.facts(segment)
        parts.append(Part(offset, facts))
        if (segment_id := segment_id_of(segment)) is not None:
            segment_ids.add(segment_id)
        deleted = _deleted_mask(segment, facts.count)
        live |= (facts.listings & ~deleted) << offset
        for facet, values in facts.facets.items():
            into = combined.setdefault(facet, {})
            for value, mask in values.items():
                into[value] = into.get(value, 0) | mask << offset
    cache.keep_only(segment_ids)
    return Snapshot(
        key=key,
        size=size,
        position=_stored_position(reader),
        live=live,
        facets={f: {v: m & live for v, m in values.items()} for f, values in combined.items()},
        order=ListingOrder(parts, size),
    )


def _deleted_mask(segment: Any, count: int) -> int:
    """The documents this generation marks deleted in one segment."""
    if not segment.has_deletions():
        return 0
    return mask_of(segment.deleted_docs_set, count)
