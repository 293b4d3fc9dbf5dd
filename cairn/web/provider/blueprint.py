"""The provider blueprint and what its two page groups share: who is asking, and their draft.

Its pages live in cairn.web.provider.routes (applying, step by step) and
cairn.web.provider.listing_pages (keeping a listing true, and the public's reports)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask_login import current_user

from cairn.domain.clock import today as today_of
from cairn.domain.directory.draft import ApplicationDraft
from cairn.web.commanding import runtime

bp = Blueprint("provider", __name__, template_folder="templates")

# The application's steps after the first, in order.
STEPS = ("services", "availability", "about", "consent")


def app_today() -> date:
    return today_of(runtime().app.clock)


def my_draft() -> ApplicationDraft | None:
    if not current_user.is_authenticated:
        return None
    return runtime().app.directory.draft_for(current_user.account_id)


def next_step(draft: ApplicationDraft) -> str:
    for step in STEPS:
        if step not in draft.steps_done:
            return step
    return "check"
