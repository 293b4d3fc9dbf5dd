"""The daily look at every live listing's checks: lapsed insurance hides the listing, and
insurance or PVG membership running out in 30 or 7 days, or run out, gets a reminder
(each an event, which the mail outbox turns into an email), and every six months each listed
provider is asked whether their listing is still right; once a week the CIC's administrators
get a digest of what waits in the review queue.

`cairn checks sweep` runs it once (for cron); the jobs loop (cairn/jobs/loop.py) also runs it
every hour, so a listing is hidden within an hour of its insurance running out even with no
cron at all. Running it twice, or in two processes at once, is harmless: each provider decides
for itself, and a reminder's id is made from what it is about, so it exists once."""

from __future__ import annotations

import logging
from datetime import date
from uuid import UUID

from sqlalchemy import Engine

from cairn.domain.app import CairnApp
from cairn.domain.clock import today as today_of
from cairn.readmodels.directory.outreach import (
    confirmation_candidates,
    intake_candidates,
    renewal_candidates,
)
from cairn.readmodels.directory.queries import expired_insurance_candidates, queue_counts

log = logging.getLogger(__name__)

SWEEP_EVERY_SECONDS = 3600.0


def sweep_checks(app: CairnApp, read_engine: Engine, today: date | None = None) -> list[UUID]:
    """Hide the listings whose insurance has lapsed; returns the providers hidden now."""
    day = today or today_of(app.clock)
    candidates = expired_insurance_candidates(read_engine, day)
    hidden = app.directory.hide_expired_listings(day, candidates)
    if hidden:
        log.info("hid %d listings whose insurance has lapsed", len(hidden))
    app.directory.lapse_full_intakes(day, intake_candidates(read_engine, day))
    reminding = {*renewal_candidates(read_engine, day), *intake_candidates(read_engine, day)}
    reminded = app.directory.remind_renewals(day, sorted(reminding, key=str))
    if reminded:
        log.info("%d renewal reminders due", len(reminded))
    asked = app.directory.ask_for_confirmations(day, confirmation_candidates(read_engine, day))
    if asked:
        log.info("asked %d providers to confirm their listing", len(asked))
    app.directory.make_weekly_digest(day, queue_counts(read_engine, day))
    return hidden
