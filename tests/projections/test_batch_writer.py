"""BatchWriter: a batch's changes end as if each had been written in turn, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Uuid,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from cairn.bootstrap.runtime import Runtime
from cairn.readmodels.batch import BatchWriter, insert_rows

# Tables of their own (not the read models' metadata), dropped after each test.
scratch = MetaData()


def things_table(name: str) -> Table:
    return Table(
        name,
        scratch,
        Column("id", Uuid, primary_key=True),
        Column("name", String(50), nullable=False),
        Column("amount", Numeric(8, 2)),
        Column("on", Date),
        Column("at", DateTime(timezone=True)),
        Column("flag", Boolean, nullable=False, default=False),
        Column("note", Text, nullable=False, default=""),
        Column("count", Integer),
    )


things = things_table("bw_things")
reference = things_table("bw_things_reference")
pairs = Table(
    "bw_pairs",
    scratch,
    Column("a", Uuid, primary_key=True),
    Column("b", Uuid, primary_key=True),
    Column("value", Integer, nullable=False),
)
numbered = Table(
    "bw_numbered",
    scratch,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", String(20), nullable=False),
)


@pytest.fixture
def engine(runtime: Runtime) -> Iterator[Engine]:
    scratch.create_all(runtime.read_engine)
    try:
        yield runtime.read_engine
    finally:
        scratch.drop_all(runtime.read_engine)


def rows_of(engine: Engine, table: Table) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return sorted((tuple(row) for row in conn.execute(select(table))), key=repr)


def test_insert_rows_stores_exactly_what_an_insert_statement_stores(engine: Engine) -> None:
    at = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=UTC)
    rows: list[dict[str, Any]] = [
        # Every column given.
        dict(
            id=uuid4(),
            name="Full",
            amount=Decimal("12.50"),
            on=date(2026, 1, 2),
            at=at,
            flag=True,
            note="a\ttab, a \\t, a\nnew line, back\\slash, ünïcödé, \\N",
            count=3,
        ),
        dict(
            id=uuid4(), name="Nones", amount=None, on=None, at=None, flag=False, note="", count=None
        ),
        # Columns with a Python default left out, in another order.
        dict(name="Defaults", id=uuid4(), at=at, count=0),
        dict(name="Defaults too", id=uuid4(), at=at, count=1),
    ]
    with engine.begin() as conn:
        insert_rows(conn, things, rows)
        for row in rows:
            conn.execute(insert(reference), row)
    assert rows_of(engine, things) == rows_of(engine, reference)
    assert len(rows_of(engine, things)) == 4


def test_insert_rows_keeps_the_order_the_database_numbers_rows_in(engine: Engine) -> None:
    with engine.begin() as conn:
        insert_rows(conn, numbered, [{"text": f"row {n}"} for n in range(5)])
    assert rows_of(engine, numbered) == [(n + 1, f"row {n}") for n in range(5)]


def test_insert_rows_raises_sqlalchemys_integrity_error(engine: Engine) -> None:
    key = uuid4()
    with pytest.raises(IntegrityError), engine.begin() as conn:
        insert_rows(conn, things, [dict(id=key, name="One"), dict(id=key, name="Two")])
    assert rows_of(engine, things) == []


def pair(a: UUID, b: UUID, value: int) -> dict[str, Any]:
    return {"a": a, "b": b, "value": value}


def test_a_batch_ends_as_if_each_change_had_been_written_in_turn(engine: Engine) -> None:
    a, b, c, d, e = (uuid4() for _ in range(5))
    with engine.begin() as conn:
        insert_rows(conn, pairs, [pair(a, a, 1), pair(a, b, 2), pair(a, c, 3)])

    writer = BatchWriter()
    with engine.begin() as conn:
        writer.update(pairs, (a, a), {"value": 10})  # a stored row changed
        writer.delete(pairs, (a, b))  # a stored row deleted...
        writer.update(pairs, (a, b), {"value": 20})  # ...so this changes nothing
        assert writer.get(conn, pairs, (a, b)) is None
        writer.replace(pairs, pair(a, c, 30))  # a stored row replaced
        writer.insert(pairs, pair(a, d, 4))  # a new row, changed, then deleted
        writer.update(pairs, (a, d), {"value": 40})
        writer.delete(pairs, (a, d))
        writer.insert(pairs, pair(a, e, 5))  # a new row, deleted, then inserted again
        writer.delete(pairs, (a, e))
        writer.insert(pairs, pair(a, e, 50))
        writer.update(pairs, (a, e), {"value": 51})
        # Later changes see the earlier ones before anything is written.
        assert writer.get(conn, pairs, (a, a)) == pair(a, a, 10)
        assert writer.get(conn, pairs, (a, c)) == pair(a, c, 30)
        assert writer.get(conn, pairs, (a, d)) is None
        assert writer.get(conn, pairs, (a, e)) == pair(a, e, 51)
        writer.flush(conn)

    expected = [(a, a, 10), (a, c, 30), (a, e, 51)]
    assert rows_of(engine, pairs) == sorted(expected, key=repr)


def test_replacing_a_row_drops_its_old_values_and_pending_changes(engine: Engine) -> None:
    key = uuid4()
    with engine.begin() as conn:
        insert_rows(conn, things, [dict(id=key, name="Old", note="kept?", count=1)])
    writer = BatchWriter()
    with engine.begin() as conn:
        writer.update(things, key, {"count": 2})
        writer.replace(things, dict(id=key, name="New"))
        writer.flush(conn)
    assert rows_of(engine, things) == [(key, "New", None, None, None, False, "", None)]
