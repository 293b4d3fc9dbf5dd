"""The sender's side of the outbox: what is due, claiming a row, and how sending went.

A claim is a compare-and-set on the row, so two senders (two nodes) never send one message
at the same moment; a claim lapses after `hold`, so a sender that died mid-send is covered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Engine, and_, func, or_, select, update

from cairn.readmodels.mail.kinds import Kind
from cairn.readmodels.mail.outbox import DEAD, DROPPED, PENDING, SENT, outbox


@dataclass(frozen=True)
class OutboxItem:
    key: str
    kind: Kind
    record_id: UUID
    event_id: UUID
    event_version: int
    attempts: int
    created_at: datetime
    state: str
    next_attempt_at: datetime
    last_error: str | None


def _item(r: object) -> OutboxItem:
    row = r._mapping  # type: ignore[attr-defined]
    return OutboxItem(
        key=row["key"],
        kind=Kind(row["kind"]),
        record_id=row["record_id"],
        event_id=row["event_id"],
        event_version=row["event_version"],
        attempts=row["attempts"],
        created_at=row["created_at"],
        state=row["state"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
    )


def due_messages(engine: Engine, now: datetime, limit: int = 50) -> list[OutboxItem]:
    """Pending, due, and not held by a live claim; the oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(outbox)
            .where(
                outbox.c.state == PENDING,
                outbox.c.next_attempt_at <= now,
                or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now),
            )
            .order_by(outbox.c.next_attempt_at, outbox.c.key)
            .limit(limit)
        ).all()
    return [_item(r) for r in rows]


def claim(engine: Engine, key: str, sender: str, now: datetime, hold: timedelta) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(outbox)
            .where(
                outbox.c.key == key,
                outbox.c.state == PENDING,
                or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now),
            )
            .values(claimed_by=sender, claimed_until=now + hold, attempts=outbox.c.attempts + 1)
        )
    return result.rowcount == 1


def _finish(engine: Engine, key: str, sender: str, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(outbox)
            .where(outbox.c.key == key, outbox.c.claimed_by == sender)
            .values(claimed_by=None, claimed_until=None, **values)
        )


def mark_sent(engine: Engine, key: str, sender: str, now: datetime) -> None:
    _finish(engine, key, sender, state=SENT, sent_at=now, last_error=None)


def mark_failed(
    engine: Engine, key: str, sender: str, error: str, retry_at: datetime | None
) -> None:
    """Try again at `retry_at`, or (None) give up: the message waits on the dead-letter list."""
    if retry_at is None:
        _finish(engine, key, sender, state=DEAD, last_error=error[:300])
    else:
        _finish(engine, key, sender, next_attempt_at=retry_at, last_error=error[:300])


def mark_dropped(engine: Engine, key: str, sender: str, reason: str) -> None:
    """Nobody to send it to (erased, or no address): never sent, and never tried again."""
    _finish(engine, key, sender, state=DROPPED, last_error=reason[:300])


def retry_dead(engine: Engine, key: str, now: datetime) -> bool:
    """An administrator asks for a dead message to be tried again, from the start."""
    with engine.begin() as conn:
        result = conn.execute(
            update(outbox)
            .where(outbox.c.key == key, outbox.c.state == DEAD)
            .values(state=PENDING, attempts=0, next_attempt_at=now, last_error=None)
        )
    return result.rowcount == 1


def troubled_messages(engine: Engine, limit: int = 200) -> list[OutboxItem]:
    """Dead ones, and pending ones that have failed at least once: the newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(outbox)
            .where(
                or_(
                    outbox.c.state == DEAD,
                    and_(outbox.c.state == PENDING, outbox.c.last_error.is_not(None)),
                )
            )
            .order_by(outbox.c.created_at.desc())
            .limit(limit)
        ).all()
    return [_item(r) for r in rows]


def state_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.state, func.count()).group_by(outbox.c.state)).all()
    counts = {PENDING: 0, SENT: 0, DEAD: 0, DROPPED: 0}
    counts.update({str(state): int(n) for state, n in rows})
    return counts


def retrying_count(engine: Engine) -> int:
    """Pending messages that have failed at least once: the server is refusing or away."""
    with engine.connect() as conn:
        found = conn.execute(
            select(func.count())
            .select_from(outbox)
            .where(and_(outbox.c.state == PENDING, outbox.c.last_error.is_not(None)))
        ).scalar_one()
    return int(found)
