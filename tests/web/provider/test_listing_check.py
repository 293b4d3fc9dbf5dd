"""Every six months a listed provider is asked "is your listing still right?" by email; the
link opens the listing with one button that confirms it (and so the ORUK assured date).
Nobody confirming brings a reminder, then an entry in the CIC's review queue."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.checks import CONFIRM_EVERY, CONFIRM_GRACE
from cairn.domain.directory.provider import Provider
from cairn.infrastructure.mail import SmtpTransport
from cairn.jobs.checks_sweep import sweep_checks
from cairn.readmodels.directory.queries import queue_counts
from tests.support.directory import catch_up, listed_provider
from tests.support.journeys import post
from tests.support.mail import Inbox, text_of


@pytest.fixture
def mailed(runtime: Runtime, mail_server: Inbox, smtp_port: int) -> Inbox:
    runtime.mail_sender.transport = SmtpTransport(
        f"smtp://127.0.0.1:{smtp_port}?starttls=0", "Cairn <cairn@test.example>"
    )
    return mail_server


def deliver(runtime: Runtime, inbox: Inbox) -> list[Any]:
    """Send what is waiting; the emails that went."""
    catch_up(runtime)
    before = len(inbox.messages)
    runtime.mail_sender.run_once()
    return [m for _to, m in inbox.messages[before:]]


@pytest.fixture
def provider_id(runtime: Runtime, mailed: Inbox) -> UUID:
    provider = listed_provider(runtime, name="Alloway Companions", email="fiona@alloway.example")
    deliver(runtime, mailed)  # the approval
    return provider


def sweep(runtime: Runtime, days_after_approval: int) -> None:
    catch_up(runtime)
    day = runtime.app.clock().date() + timedelta(days=days_after_approval)
    sweep_checks(runtime.app, runtime.read_engine, day)


def link_path(email: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/listing-check/\S+)", text_of(email))
    assert found, text_of(email)
    return found.group(1)


def test_the_six_monthly_email_confirms_the_listing_with_one_button(
    client: FlaskClient, runtime: Runtime, provider_id: UUID, mailed: Inbox
) -> None:
    due = CONFIRM_EVERY.days
    sweep(runtime, due - 1)
    assert deliver(runtime, mailed) == []  # not yet
    sweep(runtime, due)
    sweep(runtime, due)  # the sweep runs hourly: still one email
    [asked] = deliver(runtime, mailed)
    assert "Alloway Companions" in str(asked["Subject"])
    path = link_path(asked)

    page = client.get(path)
    assert page.status_code == 200
    assert "Yes, my listing is right" in page.get_data(as_text=True)
    assert (
        runtime.app.load(Provider, provider_id).last_confirmed_on is None
    )  # a GET changes nothing
    done = post(client, path, {})
    assert done.status_code == 200 and "is confirmed as right today" in done.get_data(as_text=True)
    provider = runtime.app.load(Provider, provider_id)
    assert provider.last_confirmed_on == runtime.app.clock().date()
    assert provider.public_listing() is not None
    assert provider.public_listing().assured_on == runtime.app.clock().date()  # type: ignore[union-attr]

    assert client.get("/listing-check/altered").status_code == 410


def test_nobody_confirming_brings_a_reminder_then_the_review_queue(
    runtime: Runtime, provider_id: UUID, mailed: Inbox
) -> None:
    due = CONFIRM_EVERY.days
    sweep(runtime, due)
    [asked] = deliver(runtime, mailed)
    sweep(runtime, due + 14)
    [reminded] = deliver(runtime, mailed)
    assert str(reminded["Subject"]).startswith("Reminder:")
    today = runtime.app.clock().date()
    before_grace = today + timedelta(days=due + CONFIRM_GRACE.days - 1)
    assert queue_counts(runtime.read_engine, before_grace)["renewals"] == 0
    after_grace = today + timedelta(days=due + CONFIRM_GRACE.days)
    assert queue_counts(runtime.read_engine, after_grace)["renewals"] == 1
    assert link_path(asked) != link_path(reminded)
