"""Comparing read models with a clean rebuild from the event log.

Generic over `cairn.readmodels.database.metadata`, so a read model another branch adds is
compared too without touching this file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
from psycopg import sql
from sqlalchemy import Engine, select

from cairn.bootstrap.runtime import Runtime
from cairn.eventlog.log import LogReader
from cairn.readmodels.catalogue import sql_projections
from cairn.readmodels.database import make_engine, metadata
from cairn.readmodels.mail.local_mail import local_mail
from cairn.readmodels.mail.outbox import outbox
from cairn.readmodels.sql_sink import SqlSink
from cairn.readmodels.tracking import tracking
from tests.support.stores import PG_URL

Snapshot = dict[str, list[tuple[Any, ...]]]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


OUTBOX_FROM_THE_LOG = [
    outbox.c.key,
    outbox.c.kind,
    outbox.c.record_id,
    outbox.c.event_id,
    outbox.c.event_version,
    outbox.c.created_at,
]


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every read-model table, in a stable order."""
    tables: Snapshot = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table is tracking or table is local_mail:
                continue  # positions, and mail kept on this machine: not made from the log
            # The outbox's rows are made from the log; how sending went is not.
            columns = OUTBOX_FROM_THE_LOG if table is outbox else list(table.c)
            rows = [tuple(_plain(v) for v in row) for row in conn.execute(select(*columns))]
            tables[table.name] = sorted(rows, key=repr)
    return tables


@contextmanager
def scratch_engine(runtime: Runtime, tmp_path: Path) -> Iterator[Engine]:
    """An empty read-model database of the same kind as the runtime's."""
    if not runtime.settings.uses_postgres:
        engine = make_engine(f"sqlite:///{tmp_path / f'rebuild-{uuid4().hex[:8]}.sqlite'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    schema = "r_" + uuid4().hex[:16]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    engine = make_engine(runtime.settings.read_models_url(), schema=schema)
    try:
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def rebuild_until(runtime: Runtime, engine: Engine, until: int) -> Snapshot:
    """Empty `engine`, apply the log up to and including `until`, and snapshot it."""
    sink = SqlSink(engine, sql_projections(runtime.app))
    sink.drop_and_recreate()
    reader = LogReader(runtime.app)
    position = 0
    while position < until:
        batch = [item for item in reader.read(position, 200) if item.position <= until]
        if not batch:
            break
        sink.apply(batch)
        position = batch[-1].position
    assert sink.position() == until, (sink.position(), until)
    return snapshot(engine)


# -- the search indexes (each node's own Whoosh files) --------------------------------------

Documents = list[tuple[tuple[str, Any], ...]]


def index_documents(path: Path, indexname: str | None = None) -> Documents:
    """Every stored document of the Whoosh index at `path`, the tracking position included,
    in a stable order. Opened afresh, as another process left it."""
    from whoosh import index as whoosh_index

    ix = (
        whoosh_index.open_dir(str(path), indexname=indexname)
        if indexname
        else whoosh_index.open_dir(str(path))
    )
    try:
        with ix.searcher() as searcher:
            documents = [tuple(sorted(fields.items())) for fields in searcher.documents()]
    finally:
        ix.close()
    return sorted(documents, key=repr)


def _apply_until(reader: LogReader, sink: Any, until: int) -> None:
    position = sink.position()
    while position < until:
        batch = [item for item in reader.read(position, 200) if item.position <= until]
        if not batch:
            break
        sink.apply(batch)
        position = batch[-1].position
    assert sink.position() == until, (sink.position(), until)


class ReferenceIndexes:
    """Both search indexes built in this process, never interrupted, from the same log: what a
    clean rebuild gives at any position. They only move forward (as the indexes under test
    do), so each comparison applies just the events since the last one."""

    def __init__(self, runtime: Runtime, tmp_path: Path) -> None:
        from cairn.search.learning import LearningIndex
        from cairn.search.providers.index import SearchIndex
        from cairn.search.providers.indexer import IndexSink

        self.reader = LogReader(runtime.app)
        self.providers_path = tmp_path / f"reference-providers-{uuid4().hex[:8]}"
        self.learning_path = tmp_path / f"reference-learning-{uuid4().hex[:8]}"
        self._providers = SearchIndex(self.providers_path)
        self.providers = IndexSink(
            self._providers, lambda pid, v: runtime.app.repository.get(pid, version=v)
        )
        self.learning = LearningIndex(
            self.learning_path,
            history=lambda record_id: list(runtime.app.repository.event_store.get(record_id)),
        )

    def providers_at(self, position: int) -> Documents:
        from cairn.search.providers.index import INDEX_NAME

        _apply_until(self.reader, self.providers, position)
        return index_documents(self.providers_path, INDEX_NAME)

    def learning_at(self, position: int) -> Documents:
        _apply_until(self.reader, self.learning, position)
        return index_documents(self.learning_path)

    def close(self) -> None:
        self._providers.close()
