"""The mail outbox: every email an event calls for is sent once, through a real SMTP server
on loopback, in the recipient's language, and survives a server that is down, two senders,
a rebuild and an erasure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.jobs.mail.sender import MAX_ATTEMPTS
from cairn.operations.data_rights import erase_person
from cairn.readmodels.mail.queue import retry_dead, state_counts, troubled_messages
from tests.support.directory import catch_up, listed_provider
from tests.support.mail import Inbox, html_of, smtp_sender, text_of

MESSAGE = "My mum needs help getting up on Tuesday mornings."


class Later:
    """A clock the test moves on, to step past the sender's back-off."""

    def __init__(self) -> None:
        self.now = datetime.now(tz=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def provider_id(runtime: Runtime) -> UUID:
    """Listed without an account (imported, say): its emails are the approval and enquiries."""
    return listed_provider(runtime, name="Heathfield Home Help", email="morag@provider.example")


def send_enquiry(runtime: Runtime, provider_id: UUID) -> UUID:
    done = runtime.app.enquiries.send(
        provider_id, name="Jean", contact="jean@example.org", message=MESSAGE, consent=True
    )
    catch_up(runtime)
    return done.id


def enquiry_mail(inbox: Inbox) -> list[object]:
    return [m for _to, m in inbox.messages if "enquiry" in str(m["Subject"])]


def test_the_provider_gets_one_email_with_a_link_and_not_the_message(
    runtime: Runtime, provider_id: UUID, mail_server: Inbox, smtp_port: int
) -> None:
    send_enquiry(runtime, provider_id)
    sender = smtp_sender(runtime, smtp_port)
    sender.run_once()
    assert sender.run_once() == 0
    [(recipients, email)] = [(to, m) for to, m in mail_server.messages if "enquiry" in m["Subject"]]
    assert recipients == ["morag@provider.example"]
    text, html = text_of(email), html_of(email)
    assert "Hello Morag," in text and "Heathfield Home Help" in text
    assert "https://cairn.example/provider/inbox" in text
    assert 'href="https://cairn.example/provider/inbox"' in html and '<html lang="en">' in html
    for body in (text, html):
        assert MESSAGE not in body and "Jean" not in body
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Message-ID"].endswith("@test.example>")


def test_an_approval_email_follows_the_decision_in_gaelic_for_a_gaelic_account(
    runtime: Runtime, mail_server: Inbox, smtp_port: int
) -> None:
    account = runtime.app.accounts.register(
        "seonag@provider.example", "Seonag", [Role.PROVIDER], "lighthouse harbour kelpie", "gd"
    ).id
    listed_provider(
        runtime, name="Cobhair Uibhist", email="seonag@provider.example", account_id=account
    )
    assert smtp_sender(runtime, smtp_port).run_once() == 2
    received, approved = (m for _to, m in mail_server.messages)
    for email in (received, approved):
        assert email["Content-Language"] == "gd"
        assert '<html lang="gd">' in html_of(email)
        assert "Cobhair Uibhist" in text_of(email)
        assert "Hello" not in text_of(email)  # the greeting is in Gaelic
    assert received["Subject"] != approved["Subject"]


def test_a_mail_server_that_is_down_delays_the_email_and_loses_none(
    runtime: Runtime, provider_id: UUID, smtp_port: int
) -> None:
    clock = Later()
    sender = smtp_sender(runtime, smtp_port, clock=clock)
    sender.run_once()  # the approval, before the server is up: it fails
    send_enquiry(runtime, provider_id)
    assert sender.run_once() == 0  # nothing listens on the port yet
    [problem, *_rest] = troubled_messages(runtime.read_engine)
    assert problem.state == "pending" and "morag" not in (problem.last_error or "")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert sender.run_once() == 0  # still backing off
        clock.now += timedelta(minutes=5)
        assert sender.run_once() == 2  # the approval and the enquiry
        clock.now += timedelta(hours=7)
        assert sender.run_once() == 0
    finally:
        controller.stop()
    assert len(enquiry_mail(inbox)) == 1
    assert len(inbox.messages) == 2


def test_a_message_that_keeps_failing_waits_on_the_dead_letter_list_and_can_be_tried_again(
    runtime: Runtime, provider_id: UUID, smtp_port: int
) -> None:
    clock = Later()
    sender = smtp_sender(runtime, smtp_port, clock=clock)
    for _attempt in range(MAX_ATTEMPTS):
        sender.run_once()
        clock.now += timedelta(hours=7)
    assert state_counts(runtime.read_engine)["dead"] == 1
    [dead] = troubled_messages(runtime.read_engine)
    assert dead.state == "dead" and dead.kind == "approved"

    assert retry_dead(runtime.read_engine, dead.key, clock())
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert sender.run_once() == 1
    finally:
        controller.stop()
    assert state_counts(runtime.read_engine) == {"pending": 0, "sent": 1, "dead": 0, "dropped": 0}


def test_two_senders_never_both_send(
    runtime: Runtime, provider_id: UUID, mail_server: Inbox, smtp_port: int
) -> None:
    send_enquiry(runtime, provider_id)
    first = smtp_sender(runtime, smtp_port, sender="web-1")
    second = smtp_sender(runtime, smtp_port, sender="web-2")
    assert first.run_once() + second.run_once() == 2  # the approval and the enquiry
    assert first.run_once() + second.run_once() == 0
    assert len(mail_server.messages) == 2


def test_a_rebuild_of_the_read_models_sends_nothing_again(
    runtime: Runtime, provider_id: UUID, mail_server: Inbox, smtp_port: int
) -> None:
    send_enquiry(runtime, provider_id)
    sender = smtp_sender(runtime, smtp_port)
    assert sender.run_once() == 2
    runtime.sql_sink.drop_and_recreate()
    catch_up(runtime)
    assert sender.run_once() == 0
    assert len(mail_server.messages) == 2


def test_nothing_is_sent_to_someone_erased_before_it_went(
    runtime: Runtime, provider_id: UUID, mail_server: Inbox, smtp_port: int
) -> None:
    send_enquiry(runtime, provider_id)
    erase_person(runtime, "morag@provider.example")
    catch_up(runtime)
    assert smtp_sender(runtime, smtp_port).run_once() == 0
    assert mail_server.messages == []
    assert state_counts(runtime.read_engine)["dropped"] == 2


def test_without_a_mail_server_mail_is_kept_locally_for_the_administrator(
    runtime: Runtime, provider_id: UUID
) -> None:
    from cairn.readmodels.mail.local_mail import local_messages

    send_enquiry(runtime, provider_id)
    assert runtime.mail is None
    assert runtime.mail_sender.run_once() == 2
    kept = local_messages(runtime.read_engine)
    assert {m.to_address for m in kept} == {"morag@provider.example"}
    assert any("/provider/inbox" in m.text for m in kept)
