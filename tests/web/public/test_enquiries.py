"""Enquiries: sent from a profile, private to the provider (the email that tells the
provider is tested with the outbox, tests/jobs/test_mail_outbox.py)."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.enquiries.enquiry import Enquiry
from cairn.readmodels.enquiries.enquiries import enquiries
from tests.support.directory import applied_provider, catch_up, listed_provider
from tests.support.journeys import post
from tests.support.web import csrf_token, make_account, sign_in

MESSAGE = "My mum needs help getting up on Tuesday mornings."
GAELIC_MESSAGE = "Tha feum aig mo mhàthair air cuideachadh sa mhadainn Dimàirt."


def enquiry_form(client: FlaskClient, provider_id: UUID, **changes: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf_token(client, f"/providers/{provider_id}"),
        "name": "Jean",
        "contact": "07700 900123",
        "message": MESSAGE,
        "consent": "y",
        "website": "",
    }
    data.update(changes)
    return data


def stored_enquiries(runtime: Runtime) -> list[Any]:
    catch_up(runtime)
    with runtime.read_engine.connect() as conn:
        return list(conn.execute(enquiries.select()))


@pytest.fixture
def provider_account(runtime: Runtime) -> UUID:
    return make_account(runtime, "morag@provider.example", Role.PROVIDER, name="Morag")


@pytest.fixture
def provider_id(runtime: Runtime, provider_account: UUID) -> UUID:
    return listed_provider(
        runtime,
        name="Heathfield Home Help",
        email="morag@provider.example",
        account_id=provider_account,
    )


def test_an_enquiry_reaches_the_provider_inbox_and_never_a_public_page(
    runtime: Runtime, client: FlaskClient, provider_id: UUID
) -> None:
    response = client.post(
        f"/providers/{provider_id}/enquiries", data=enquiry_form(client, provider_id)
    )
    assert response.status_code == 302
    assert "Message sent" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(stored_enquiries(runtime)) == 1
    for public in (
        f"/providers/{provider_id}",
        "/search",
        "/search?q=tuesday",
        "/api/oruk/services",
    ):
        assert MESSAGE not in client.get(public).get_data(as_text=True)

    sign_in(client, "morag@provider.example")
    inbox = client.get("/provider/inbox").get_data(as_text=True)
    assert "From Jean" in inbox and "New" in inbox
    enquiry_id = stored_enquiries(runtime)[0].id
    opened = client.get(f"/provider/inbox/{enquiry_id}").get_data(as_text=True)
    assert MESSAGE in opened
    assert '<a href="tel:+447700900123">07700 900123</a>' in opened  # one press to ring back
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', opened)
    assert token
    response = client.post(
        f"/provider/inbox/{enquiry_id}/answered", data={"csrf_token": token.group(1)}
    )
    assert response.status_code == 302
    assert "Answered" in client.get("/provider/inbox").get_data(as_text=True)


def test_another_provider_cannot_see_or_answer_it(
    runtime: Runtime, client: FlaskClient, provider_id: UUID
) -> None:
    client.post(f"/providers/{provider_id}/enquiries", data=enquiry_form(client, provider_id))
    enquiry_id = stored_enquiries(runtime)[0].id
    make_account(runtime, "other@provider.example", Role.PROVIDER)
    sign_in(client, "other@provider.example")
    inbox = client.get("/provider/inbox").get_data(as_text=True)
    assert MESSAGE not in inbox and "From Jean" not in inbox
    assert client.get(f"/provider/inbox/{enquiry_id}").status_code == 404
    token = csrf_token(client, "/search")
    client.post(f"/provider/inbox/{enquiry_id}/answered", data={"csrf_token": token})
    assert stored_enquiries(runtime)[0].answered_at is None


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": ""}, "Enter your name"),
        ({"contact": "", "reply_email": ""}, "Give a way to reach you"),
        ({"reply_email": "not an email"}, "Enter an email address in the right format"),
        ({"message": ""}, "Enter your message"),
        ({"message": "x" * 2001}, "2,000 characters or fewer"),
        ({"consent": ""}, "Tick the box to agree"),
        ({"message_language": "xx"}, "Not a valid choice"),
    ],
)
def test_a_form_with_problems_says_what_to_fix_and_sends_nothing(
    runtime: Runtime, client: FlaskClient, provider_id: UUID, changes: dict[str, str], error: str
) -> None:
    response = client.post(
        f"/providers/{provider_id}/enquiries", data=enquiry_form(client, provider_id, **changes)
    )
    assert response.status_code == 400
    assert error in response.get_data(as_text=True)
    assert stored_enquiries(runtime) == []


def test_a_robot_filling_the_honeypot_is_thanked_and_ignored(
    runtime: Runtime, client: FlaskClient, provider_id: UUID
) -> None:
    data = enquiry_form(client, provider_id, website="http://spam.example")
    response = client.post(f"/providers/{provider_id}/enquiries", data=data)
    assert response.status_code == 302
    assert stored_enquiries(runtime) == []


def test_many_enquiries_from_one_address_are_slowed(
    runtime: Runtime, client: FlaskClient, provider_id: UUID
) -> None:
    statuses = [
        client.post(
            f"/providers/{provider_id}/enquiries", data=enquiry_form(client, provider_id)
        ).status_code
        for _ in range(7)
    ]
    assert statuses == [302] * 5 + [429] * 2
    assert len(stored_enquiries(runtime)) == 5


def test_no_enquiry_to_a_provider_that_is_not_listed(runtime: Runtime, client: FlaskClient) -> None:
    pending = applied_provider(runtime, name="Not Yet")
    catch_up(runtime)
    token = csrf_token(client, "/search")
    response = client.post(
        f"/providers/{pending.id}/enquiries",
        data={"csrf_token": token, "name": "J", "contact": "x", "message": "m", "consent": "y"},
    )
    assert response.status_code == 404


def in_gaelic(client: FlaskClient) -> None:
    post(client, "/language", {"lang": "gd", "next": "/"})


def chosen_message_language(page: str) -> str | None:
    select = re.search(r'<select[^>]*id="message_language".*?</select>', page, re.S)
    assert select is not None
    chosen = re.search(
        r'<option selected value="([a-z]{2})"|<option value="([a-z]{2})" selected', select.group(0)
    )
    return None if chosen is None else (chosen.group(1) or chosen.group(2))


def test_the_message_language_question_starts_on_the_language_of_the_pages(
    client: FlaskClient, provider_id: UUID
) -> None:
    profile = f"/providers/{provider_id}"
    assert chosen_message_language(client.get(profile).get_data(as_text=True)) == "en"
    in_gaelic(client)
    assert chosen_message_language(client.get(profile).get_data(as_text=True)) == "gd"


def test_a_message_written_in_gaelic_from_the_english_pages_is_marked_gaelic_for_the_provider(
    runtime: Runtime, client: FlaskClient, provider_id: UUID
) -> None:
    data = enquiry_form(client, provider_id, message=GAELIC_MESSAGE, message_language="gd")
    assert client.post(f"/providers/{provider_id}/enquiries", data=data).status_code == 302
    (row,) = stored_enquiries(runtime)
    assert runtime.app.load(Enquiry, row.id).language == "en"  # their emails stay in English

    sign_in(client, "morag@provider.example")
    page = client.get(f"/provider/inbox/{row.id}").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert f'<div class="cairn-enquiry-message" lang="gd"><p>{GAELIC_MESSAGE}</p></div>' in page


def test_an_enquiry_from_before_the_question_reads_as_written_in_its_senders_language(
    runtime: Runtime,
    app: Flask,
    client: FlaskClient,
    provider_id: UUID,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stored as releases before the question stored it: without `message_language`."""
    mapper = runtime.app.mapper
    write = mapper.to_stored_event

    def as_before(event: Any) -> Any:
        if isinstance(event, Enquiry.Received):
            older = object.__new__(type(event))
            state = {k: v for k, v in vars(event).items() if k != "message_language"}
            object.__setattr__(older, "__dict__", state)
            event = older
        return write(event)

    enquirer = app.test_client()
    in_gaelic(enquirer)
    data = enquiry_form(enquirer, provider_id, message=GAELIC_MESSAGE)
    with monkeypatch.context() as before_the_question:
        before_the_question.setattr(mapper, "to_stored_event", as_before)
        sent = enquirer.post(f"/providers/{provider_id}/enquiries", data=data)
    assert sent.status_code == 302
    (row,) = stored_enquiries(runtime)
    (stored,) = runtime.app.recorder.select_events(row.id)
    assert b'"provider_id"' in stored.state and b'"message_language"' not in stored.state
    assert row.message_language == "gd"
    assert runtime.app.load(Enquiry, row.id).language == "gd"  # the old event still folds

    sign_in(client, "morag@provider.example")
    page = client.get(f"/provider/inbox/{row.id}").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert f'<div class="cairn-enquiry-message" lang="gd"><p>{GAELIC_MESSAGE}</p></div>' in page
