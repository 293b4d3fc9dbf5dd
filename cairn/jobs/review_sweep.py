"""Reviews of "what next" that have come due: each gets one notice (an event, which the mail
outbox turns into an email to the team) per due date.

The jobs loop runs it every hour. Running it twice, or in two processes at once, is harmless:
a notice's id is made from the review and its date, so it exists once."""

from __future__ import annotations

import logging
from datetime import date
from uuid import UUID

from sqlalchemy import Engine

from cairn.domain.app import CairnApp
from cairn.domain.clock import today as today_of
from cairn.readmodels.learning.queries.conversation import reviews_to_notify

log = logging.getLogger(__name__)

REVIEWS_EVERY_SECONDS = 3600.0


def sweep_reviews(app: CairnApp, read_engine: Engine, today: date | None = None) -> list[UUID]:
    """Send the notices due today; returns the notices made now."""
    day = today or today_of(app.clock)
    sent = app.learning.send_review_notices(day, reviews_to_notify(read_engine, day))
    if sent:
        log.info("%d learning reviews came due", len(sent))
    return sent
