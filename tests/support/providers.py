"""Helpers for tests that need providers further along their journey."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from cairn.domain.app import CairnApp
from cairn.domain.clock import today
from cairn.domain.outcome import Done

CHECKER = uuid4()


def record_current_checks(app: CairnApp, provider_id: UUID, by: UUID = CHECKER) -> Done:
    """A PVG check last month and insurance for a year: enough to be approved today."""
    now = today(app.clock)
    app.directory.record_pvg(provider_id, by=by, checked_on=now - timedelta(days=30))
    return app.directory.record_insurance(provider_id, by=by, expires_on=now + timedelta(days=365))


def approve_with_checks(app: CairnApp, provider_id: UUID, by: UUID = CHECKER) -> Done:
    record_current_checks(app, provider_id, by)
    return app.directory.approve(provider_id, by=by)
