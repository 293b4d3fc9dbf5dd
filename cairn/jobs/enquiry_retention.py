"""Enquiries are kept for a retention period (CAIRN_ENQUIRY_RETENTION_DAYS, default 365), then
deleted: each one's key is shredded, so its name, contact details and message read back as
erased in the log, and a Purged event takes it out of the read models (rebuilds too).

`cairn enquiries purge` runs the sweep once (for cron); the runtime's shared sweeper runs it
with the insurance sweep. Running it twice, or in two processes, is harmless: an enquiry
already purged is skipped, and a lost race is a version conflict that the next run retries."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from sqlalchemy import select

from cairn.domain.errors import StaleState
from cairn.domain.personal import subject_for_id
from cairn.readmodels.enquiries.enquiries import enquiries

if TYPE_CHECKING:
    from cairn.bootstrap.runtime import Runtime

log = logging.getLogger(__name__)


def purge_expired_enquiries(runtime: Runtime, now: datetime | None = None) -> list[UUID]:
    """Delete every enquiry received more than the retention period ago; returns their ids."""
    days = runtime.settings.enquiry_retention_days
    cutoff = (now or runtime.app.clock()) - timedelta(days=days)
    with runtime.read_engine.connect() as conn:
        due = list(conn.scalars(select(enquiries.c.id).where(enquiries.c.received_at < cutoff)))
    purged: list[UUID] = []
    for enquiry_id in due:
        try:
            done = runtime.app.enquiries.purge(
                enquiry_id,
                received_before=cutoff,
                retention_days=days,
                shred=lambda record_id: runtime.keys.shred(subject_for_id(record_id)),
            )
        except StaleState:
            continue  # another process is purging it
        if done is not None:
            purged.append(enquiry_id)
    if purged:
        log.info("deleted %d enquiries past their retention period", len(purged))
    return purged
