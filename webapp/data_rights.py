"""People's rights over their data: subject access (export) and erasure (crypto-shredding).

Both work from the event log, the one place that holds everything."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.accounts.signins import email_digest
from domain.personal import PersonalDataMapper, subject_for_email, subject_for_id
from projections.audit import describe
from webapp.runtime import Runtime

PAGE = 1000


def _all(runtime: Runtime) -> Iterator[Any]:
    position = 0
    while True:
        page = runtime.app.recorder.select_notifications(
            start=position, limit=PAGE, inclusive_of_start=False
        )
        if not page:
            return
        yield from page
        position = page[-1].id


def _plain(value: Any) -> Any:
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def export_person(runtime: Runtime, email: str) -> dict[str, Any]:
    """Everything Cairn's events hold about the person with this email.

    That is: events carrying their personal data, every other event of the records those
    belong to (their account, their provider application and its decisions), everything
    they did (events whose `by` is their account), and their sign-in attempts."""
    subject = subject_for_email(email, runtime.keys)
    digest = email_digest(email)
    mapper = runtime.app.mapper
    assert isinstance(mapper, PersonalDataMapper)
    notifications = list(_all(runtime))
    theirs: set[UUID] = {
        n.originator_id
        for n in notifications
        if subject is not None and mapper.subject_of_stored(n) == subject
    }
    decoded: list[tuple[Any, Any]] = [(n, mapper.to_domain_event(n)) for n in notifications]
    theirs |= set(_enquiries_sent_by(email, (e for _n, e in decoded)))
    accounts = {
        e.originator_id
        for _n, e in decoded
        if e.originator_id in theirs and type(e).__qualname__ == "Account.Registered"
    }
    events = []
    for notification, domain_event in decoded:
        state = dict(vars(domain_event))
        mine = (
            domain_event.originator_id in theirs
            or state.get("by") in accounts
            or state.get("email_digest") == digest
        )
        if not mine:
            continue
        aggregate_type, event_name = describe(domain_event)
        for internal in ("originator_id", "originator_version", "timestamp"):
            state.pop(internal, None)
        events.append(
            {
                "position": notification.id,
                "at": domain_event.timestamp.isoformat(),
                "record": aggregate_type,
                "event": event_name,
                "record_id": str(domain_event.originator_id),
                "data": _plain(state),
            }
        )
    return {
        "email": email.strip(),
        "holds_key": subject is not None
        and runtime.keys.key_for(subject, create=False) is not None,
        "events": events,
    }


def _enquiries_sent_by(email: str, domain_events: Iterator[Any]) -> Iterator[UUID]:
    """Enquiries whose contact details are this email (each has a key of its own)."""
    wanted = email.strip().casefold()
    for domain_event in domain_events:
        if type(domain_event).__qualname__ != "Enquiry.Received":
            continue
        if str(getattr(domain_event, "contact", "")).strip().casefold() == wanted:
            yield domain_event.originator_id


def export_person_json(runtime: Runtime, email: str) -> str:
    return json.dumps(export_person(runtime, email), indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class Erasure:
    had_key: bool
    events_affected: int


def erase_person(runtime: Runtime, email: str) -> Erasure:
    """Destroy the person's key, then rebuild every read model without their data."""
    subject = subject_for_email(email, runtime.keys)
    mapper = runtime.app.mapper
    assert isinstance(mapper, PersonalDataMapper)
    notifications = list(_all(runtime))
    affected = sum(
        1 for n in notifications if subject is not None and mapper.subject_of_stored(n) == subject
    )
    sent = set(_enquiries_sent_by(email, (mapper.to_domain_event(n) for n in notifications)))
    for enquiry_id in sent:
        runtime.keys.shred(subject_for_id(enquiry_id))
    affected += sum(1 for n in notifications if n.originator_id in sent)
    had_key = runtime.keys.shred(subject) if subject is not None else False
    rebuild_read_models(runtime)
    return Erasure(had_key=had_key, events_affected=affected)


def rebuild_read_models(runtime: Runtime) -> None:
    """Every sink that can be emptied is emptied and refilled from the log."""
    for runner in runtime.runners:
        reset = getattr(runner.sink, "drop_and_recreate", None)
        if reset is not None:
            reset()
        runner.catch_up()
