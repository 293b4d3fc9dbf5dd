"""Each projection's position in the event log, kept in the same database as its rows."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, String, Table, insert, select, update

from cairn.readmodels.database import metadata

tracking = Table(
    "projection_tracking",
    metadata,
    Column("projection", String(80), primary_key=True),
    Column("position", BigInteger, nullable=False),
)


class PositionMoved(Exception):
    """Another runner advanced this projection first; this batch must roll back."""


def read_positions(conn: Connection) -> dict[str, int]:
    return {row.projection: row.position for row in conn.execute(select(tracking))}


def ensure_rows(conn: Connection, projections: list[str]) -> None:
    """Give each projection a row at position 0 if it has none yet."""
    existing = set(read_positions(conn))
    missing = [name for name in projections if name not in existing]
    if missing:
        conn.execute(insert(tracking), [{"projection": n, "position": 0} for n in missing])


def advance(conn: Connection, projection: str, old: int, new: int) -> None:
    """Move a projection from `old` to `new` inside the caller's transaction.

    The compare-and-set makes two runners on one database safe: the loser rolls back."""
    result = conn.execute(
        update(tracking)
        .where(tracking.c.projection == projection, tracking.c.position == old)
        .values(position=new)
    )
    if result.rowcount != 1:
        raise PositionMoved(projection)


def reset(conn: Connection, projection: str) -> None:
    conn.execute(update(tracking).where(tracking.c.projection == projection).values(position=0))
