"""A per-batch unit of work: row changes gathered in memory, written with executemany.

Issuing one statement per event spends most of a rebuild compiling and round-tripping
SQL. Gathering a batch's changes first lets a row inserted and then updated in the same
batch be written once, and the rest go out as a few executemany calls."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update


class BatchWriter:
    def __init__(self) -> None:
        self._inserts: dict[Table, dict[Any, dict[str, Any]]] = defaultdict(dict)
        self._updates: dict[Table, dict[Any, dict[str, Any]]] = defaultdict(dict)
        self._appends: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        # table -> (parent column, {parent key: the parent's complete set of rows})
        self._sets: dict[Table, tuple[str, dict[Any, list[dict[str, Any]]]]] = {}

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        key = row[_key_column(table)]
        self._inserts[table][key] = dict(row)

    def update(self, table: Table, key: Any, values: dict[str, Any]) -> None:
        pending = self._inserts[table].get(key)
        if pending is not None:
            pending.update(values)
        else:
            self._updates[table].setdefault(key, {}).update(values)

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
        row = conn.execute(select(table).where(table.c[_key_column(table)] == key)).first()
        if row is None:
            return None
        current = dict(row._mapping)
        current.update(self._updates[table].get(key, {}))
        return current

    def flush(self, conn: Connection) -> None:
        for table, rows in self._inserts.items():
            # executemany needs the same columns in every row: group rows by their columns.
            by_columns: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
            for row in rows.values():
                by_columns[frozenset(row)].append(row)
            for group in by_columns.values():
                conn.execute(insert(table), group)
        for table, changes in self._updates.items():
            key_name = _key_column(table)
            # One executemany per distinct set of columns changed.
            changed: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
            for key, values in changes.items():
                columns = tuple(sorted(values))
                changed[columns].append({"_key": key, **{f"_v_{c}": values[c] for c in columns}})
            for columns, params in changed.items():
                statement = (
                    update(table)
                    .where(table.c[key_name] == bindparam("_key"))
                    .values({c: bindparam(f"_v_{c}") for c in columns})
                )
                conn.execute(statement, params)
        for table, appended in self._appends.items():
            if appended:
                conn.execute(insert(table), appended)
        for table, (column, sets) in self._sets.items():
            if not sets:
                continue
            conn.execute(
                delete(table).where(table.c[column] == bindparam("_parent")),
                [{"_parent": key} for key in sets],
            )
            members = [row for rows in sets.values() for row in rows]
            if members:
                conn.execute(insert(table), members)
        self.clear()

    def clear(self) -> None:
        self._inserts.clear()
        self._updates.clear()
        self._appends.clear()
        self._sets.clear()


def _key_column(table: Table) -> str:
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        raise ValueError(f"{table.name} needs a single-column primary key for BatchWriter")
    return keys[0].name
