"""Enquiries are kept for a retention period (CAIRN_ENQUIRY_RETENTION_DAYS, default 365), then
deleted: each one's key is shredded, so its name, contact details and message read back as
erased in the log, and a Purged event takes it out of the read models (rebuilds too).

`cairn enquiries purge` runs the sweep once (for cron); the jobs loop (cairn/jobs/loop.py) runs
it every hour for the shared scope. Running it twice, or in two processes, is harmless: an enquiry
already purged is skipped, and a lost race is a version conflict that the next run retries."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Engine, select

from cairn.domain.app import CairnApp
from cairn.domain.errors import StaleState
from cairn.domain.personal import subject_for_id
from cairn.domain.personal_keys import KeyStore
from cairn.readmodels.enquiries.enquiries import enquiries

log = logging.getLogger(__name__)

PURGE_EVERY_SECONDS = 3600.0


def purge_expired_enquiries(
    app: CairnApp,
    read_engine: Engine,
    keys: KeyStore,
    retention_days: int,
    now: datetime | None = None,
) -> list[UUID]:
    """Delete every enquiry received more than `retention_days` ago; returns their ids."""
    days = retention_days
    cutoff = (now or app.clock()) - timedelta(days=days)
    with read_engine.connect() as conn:
        due = list(conn.scalars(select(enquiries.c.id).where(enquiries.c.received_at < cutoff)))
    purged: list[UUID] = []
    for enquiry_id in due:
        try:
            done = app.enquiries.purge(
                enquiry_id,
                received_before=cutoff,
                retention_days=days,
                shred=lambda record_id: keys.shred(subject_for_id(record_id)),
            )
        except StaleState:
            continue  # another process is purging it
        if done is not None:
            purged.append(enquiry_id)
    if purged:
        log.info("deleted %d enquiries past their retention period", len(purged))
    return purged
