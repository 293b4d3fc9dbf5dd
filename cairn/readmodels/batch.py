"""A per-batch unit of work: row changes gathered in memory, written with executemany.

Issuing one statement per event spends most of a rebuild compiling and round-tripping
SQL. Gathering a batch's changes first lets a row inserted and then updated in the same
batch be written once, and the rest go out as a few executemany calls.

A later event in the batch sees the earlier ones' effects through `get`, which overlays the
pending changes on the stored row. The end state equals applying each change in order:
at flush, deletes go first (so a replaced row can be inserted again), then inserts, then
updates of rows that were already stored, then append-only rows and replaced sets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

import psycopg
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.schema import ScalarElementColumnDefault


class BatchWriter:
    def __init__(self) -> None:
        self._inserts: dict[Table, dict[Any, dict[str, Any]]] = defaultdict(dict)
        self._updates: dict[Table, dict[Any, dict[str, Any]]] = defaultdict(dict)
        # Keys whose stored row must go (a dict, to keep the order they were deleted in).
        self._deletes: dict[Table, dict[Any, None]] = defaultdict(dict)
        self._appends: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        # table -> (parent column, {parent key: the parent's complete set of rows})
        self._sets: dict[Table, tuple[str, dict[Any, list[dict[str, Any]]]]] = {}

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self._inserts[table][_key_of(table, row)] = dict(row)

    def replace(self, table: Table, row: dict[str, Any]) -> None:
        """Make `row` the whole row for its key, whether or not one is stored (an upsert that
        keeps none of the old row's values)."""
        key = _key_of(table, row)
        self._deletes[table][key] = None
        self._updates[table].pop(key, None)
        self._inserts[table][key] = dict(row)

    def update(self, table: Table, key: Any, values: dict[str, Any]) -> None:
        """Change some columns of the row with this primary key (a tuple for a composite key).
        Like an UPDATE statement, it changes nothing if there is no such row."""
        pending = self._inserts[table].get(key)
        if pending is not None:
            pending.update(values)
        elif key not in self._deletes[table]:
            self._updates[table].setdefault(key, {}).update(values)

    def delete(self, table: Table, key: Any) -> None:
        """Remove the row with this primary key, stored or inserted earlier in the batch."""
        self._inserts[table].pop(key, None)
        self._updates[table].pop(key, None)
        self._deletes[table][key] = None

    def append(self, table: Table, row: dict[str, Any]) -> None:
        """A row that is only ever inserted (a version, a history line): no key bookkeeping."""
        self._appends[table].append(dict(row))

    def replace_set(
        self, table: Table, parent_column: str, parent_key: Any, rows: list[dict[str, Any]]
    ) -> None:
        """Make `rows` the whole set of `table` rows belonging to `parent_key` (tags, say):
        the old set is deleted and the newest set inserted, once per batch."""
        column, sets = self._sets.setdefault(table, (parent_column, {}))
        if column != parent_column:
            raise ValueError(f"{table.name} sets are kept by {column}, not {parent_column}")
        sets[parent_key] = [dict(row) for row in rows]

    def get(self, conn: Connection, table: Table, key: Any) -> dict[str, Any] | None:
        """The row as it stands with this batch's changes applied so far."""
        pending = self._inserts[table].get(key)
        if pending is not None:
            return pending
        if key in self._deletes[table]:
            return None
        row = conn.execute(select(table).where(_key_matches(table, key))).first()
        if row is None:
            return None
        current = dict(row._mapping)
        current.update(self._updates[table].get(key, {}))
        return current

    def flush(self, conn: Connection) -> None:
        for table, keys in self._deletes.items():
            if keys:
                names = _key_columns(table)
                conn.execute(
                    delete(table).where(_key_matches_params(table)),
                    [_key_params(names, key) for key in keys],
                )
        for table, rows in self._inserts.items():
            insert_rows(conn, table, list(rows.values()))
        for table, changes in self._updates.items():
            names = _key_columns(table)
            # One executemany per distinct set of columns changed.
            changed: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
            for key, values in changes.items():
                columns = tuple(sorted(values))
                changed[columns].append(
                    {**_key_params(names, key), **{f"_v_{c}": values[c] for c in columns}}
                )
            for columns, params in changed.items():
                statement = (
                    update(table)
                    .where(_key_matches_params(table))
                    .values({c: bindparam(f"_v_{c}") for c in columns})
                )
                conn.execute(statement, params)
        for table, appended in self._appends.items():
            insert_rows(conn, table, appended)
        for table, (column, sets) in self._sets.items():
            if not sets:
                continue
            conn.execute(
                delete(table).where(table.c[column] == bindparam("_parent")),
                [{"_parent": key} for key in sets],
            )
            insert_rows(conn, table, [row for rows in sets.values() for row in rows])
        self.clear()

    def clear(self) -> None:
        self._inserts.clear()
        self._updates.clear()
        self._deletes.clear()
        self._appends.clear()
        self._sets.clear()


# Primary-key column names per table: asked for every row, and SQLAlchemy builds the
# primary key's column list afresh each time.
_KEY_COLUMNS: dict[Table, tuple[str, ...]] = {}


def _key_columns(table: Table) -> tuple[str, ...]:
    names = _KEY_COLUMNS.get(table)
    if names is None:
        names = tuple(column.name for column in table.primary_key.columns)
        if not names:
            raise ValueError(f"{table.name} needs a primary key for BatchWriter")
        _KEY_COLUMNS[table] = names
    return names


def _key_of(table: Table, row: dict[str, Any]) -> Any:
    """A row's key: the value of a single-column primary key, else a tuple in key order."""
    names = _key_columns(table)
    if len(names) == 1:
        return row[names[0]]
    return tuple(row[name] for name in names)


def _key_params(names: tuple[str, ...], key: Any) -> dict[str, Any]:
    if len(names) == 1:
        return {f"_k_{names[0]}": key}
    return {f"_k_{name}": value for name, value in zip(names, key, strict=True)}


def _key_matches(table: Table, key: Any) -> ColumnElement[bool]:
    names = _key_columns(table)
    values = (key,) if len(names) == 1 else key
    return and_(*(table.c[n] == v for n, v in zip(names, values, strict=True)))


def _key_matches_params(table: Table) -> ColumnElement[bool]:
    return and_(*(table.c[n] == bindparam(f"_k_{n}") for n in _key_columns(table)))


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` in order, the quickest way the driver offers: COPY on PostgreSQL, and
    on SQLite an executemany of SQL compiled once, with SQLAlchemy's own conversions of
    each value (a UUID to hex text, say). Building the parameters row by row through
    SQLAlchemy's general machinery took longer than the database took to write them."""
    if not rows:
        return
    # A statement names one set of columns: group rows by theirs (keeping each group's order).
    by_columns: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_columns[frozenset(row)].append(row)
    for group in by_columns.values():
        plan = _plan(conn.dialect, table, tuple(group[0]))
        if plan is None:
            conn.execute(insert(table), group)
        elif plan.copy:
            _copy(conn, plan, group)
        else:
            conn.exec_driver_sql(plan.statement, plan.values_of(group))


@dataclass(frozen=True)
class _InsertPlan:
    statement: str  # a COPY for psycopg, or an INSERT in the driver's "?" style
    copy: bool
    names: tuple[str, ...]  # the rows' own columns, in statement order
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]  # (place, conversion)
    defaults: tuple[Any, ...]  # converted values of omitted columns with a Python default

    def values_of(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """The parameter tuples for `rows`. Converted a column at a time: `map` and `zip`
        loop in C, and this runs for every row a rebuild writes."""
        if len(self.names) == 1:
            only = self.names[0]
            fetched = [(row[only],) for row in rows]
        else:
            fetched = list(map(itemgetter(*self.names), rows))
        if not self.processors and not self.defaults:
            return fetched
        columns: list[Iterable[Any]] = list(zip(*fetched, strict=True))
        for place, process in self.processors:
            columns[place] = map(process, columns[place])
        columns.extend(repeat(default, len(rows)) for default in self.defaults)
        return list(zip(*columns, strict=True))


_PLANS: dict[tuple[str, str, Table, tuple[str, ...]], _InsertPlan | None] = {}


def _plan(dialect: Dialect, table: Table, names: tuple[str, ...]) -> _InsertPlan | None:
    """How to insert rows with these columns, or None to leave it to SQLAlchemy's insert()."""
    key = (dialect.name, dialect.driver, table, names)
    if key not in _PLANS:
        _PLANS[key] = _make_plan(dialect, table, names)
    return _PLANS[key]


def _make_plan(dialect: Dialect, table: Table, names: tuple[str, ...]) -> _InsertPlan | None:
    copy = dialect.name == "postgresql" and dialect.driver == "psycopg"
    if not copy and dialect.paramstyle != "qmark":
        return None
    if any(name not in table.c for name in names):
        return None  # let insert() say what is wrong
    columns = [table.c[name] for name in names]
    # Columns a row leaves out get what insert() would give them: a Python default if the
    # column has one; otherwise they are left to the database (NULL, a server default or
    # the next id). A default computed per row is left to insert() altogether.
    defaulted: list[Column[Any]] = []
    for column in table.columns:
        if column.key in names or column.default is None:
            continue
        if not isinstance(column.default, ScalarElementColumnDefault):
            return None
        defaulted.append(column)
    conversions = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    defaults = []
    for column in defaulted:
        assert isinstance(column.default, ScalarElementColumnDefault)
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        value = column.default.arg
        defaults.append(process(value) if process else value)
    quote = dialect.identifier_preparer.quote
    target = dialect.identifier_preparer.format_table(table)
    column_list = ", ".join(quote(column.name) for column in [*columns, *defaulted])
    if copy:
        statement = f"COPY {target} ({column_list}) FROM STDIN"
    else:
        marks = ", ".join("?" for _ in range(len(columns) + len(defaulted)))
        # Only identifiers, quoted by the dialect, are put in the text; values are bound.
        statement = f"INSERT INTO {target} ({column_list}) VALUES ({marks})"  # noqa: S608
    return _InsertPlan(
        statement=statement,
        copy=copy,
        names=names,
        processors=tuple((i, p) for i, p in enumerate(conversions) if p is not None),
        defaults=tuple(defaults),
    )


def _copy(conn: Connection, plan: _InsertPlan, rows: list[dict[str, Any]]) -> None:
    driver_connection = conn.connection.driver_connection
    assert driver_connection is not None, "a connection inside a transaction"
    try:
        with driver_connection.cursor() as cursor, cursor.copy(plan.statement) as copy:
            for values in plan.values_of(rows):
                copy.write_row(values)
    except psycopg.Error as error:
        # Raise what executemany would have (IntegrityError, OperationalError, …), so callers
        # see SQLAlchemy's usual exceptions whichever way the rows went.
        raise DBAPIError.instance(
            plan.statement, None, error, psycopg.Error, dialect=conn.dialect
        ) from error
