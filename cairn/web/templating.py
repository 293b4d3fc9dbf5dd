"""Jinja filters and globals shared by every template."""

from __future__ import annotations

import re

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale, lazy_gettext
from markupsafe import Markup

from cairn.domain.directory.lifecycle import Status
from cairn.domain.service_types import all_service_types
from cairn.web.contact_links import contact_link
from cairn.web.i18n import service_labels
from cairn.web.intake_text import intake_text

STATUS_LABELS = {
    Status.APPLIED.value: lazy_gettext("Awaiting review"),
    Status.UNDER_REVIEW.value: lazy_gettext("Under review"),
    Status.INFO_REQUESTED.value: lazy_gettext("More information requested"),
    Status.APPROVED.value: lazy_gettext("Approved"),
    Status.DECLINED.value: lazy_gettext("Declined"),
    Status.SUSPENDED.value: lazy_gettext("Suspended"),
    Status.WITHDRAWN.value: lazy_gettext("Withdrawn"),
    Status.REMOVED.value: lazy_gettext("Removed"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def breakable(address: str) -> Markup:
    """An email address that may wrap before its @ and dots (not inside a word) when a narrow
    column needs it to."""
    return Markup("<wbr>").join(re.split(r"(?=[@.])", address))


def register(app: Flask) -> None:
    app.jinja_env.filters["service_labels"] = service_labels
    app.jinja_env.filters["breakable"] = breakable
    app.jinja_env.filters["contact_link"] = contact_link
    app.jinja_env.globals.update(
        format_date=format_date,
        format_datetime=format_datetime,
        status_label=status_label,
        get_locale=get_locale,
        service_types=all_service_types,
        intake_text=intake_text,
    )
