"""A per-batch unit of work: row changes gathered in memory, written with executemany.

Issuing one statement per event spends most of a rebuild compiling and round-tripping
SQL. Gathering a batch's changes first lets a row inserted and then updated in the same
batch be written once, and the rest go out as a few executemany calls."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update


class BatchWriter:
    def __init__(self) -> None:
        self._inserts: dict[Table, dict[Any, dict[str, Any]]] = defaultdict(dict)
        self._updates: dict[Table, dict[Any, dict[str, Any]]] = defaultdict(dict)

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        key = row[_key_column(table)]
        self._inserts[table][key] = dict(row)

    def update(self, table: Table, key: Any, values: dict[str, Any]) -> None:
        pending = self._inserts[table].get(key)
        if pending is not None:
            pending.update(values)
        else:
            self._updates[table].setdefault(key, {}).update(values)

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
        self.clear()

    def clear(self) -> None:
        self._inserts.clear()
        self._updates.clear()


def _key_column(table: Table) -> str:
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        raise ValueError(f"{table.name} needs a single-column primary key for BatchWriter")
    return keys[0].name
