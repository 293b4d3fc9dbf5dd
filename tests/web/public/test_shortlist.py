"""A shortlist without signing in: save from a profile, see it, share it as a link that opens
the same providers, email it to yourself; never more than it should hold."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from uuid import UUID, uuid4

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.infrastructure.mail import SmtpTransport
from cairn.readmodels.database import metadata
from tests.support.directory import catch_up, listed_provider
from tests.support.mail import Inbox
from tests.support.web import csrf_token


@pytest.fixture
def two(runtime: Runtime) -> tuple[UUID, UUID]:
    first = listed_provider(runtime, name="Heathfield Home Help", phone="01292 000111")
    second = listed_provider(runtime, name="Troon Helpers")
    return first, second


def save(client: FlaskClient, provider_id: UUID, back: str = "") -> str:
    token = csrf_token(client, f"/providers/{provider_id}")
    response = client.post(
        f"/shortlist/{provider_id}/add", data={"csrf_token": token, "next": back}
    )
    assert response.status_code == 302
    return response.headers["Location"]


def test_saving_from_a_profile_goes_back_there_and_fills_the_shortlist(
    client: FlaskClient, two: tuple[UUID, UUID]
) -> None:
    first, second = two
    assert save(client, first, f"/providers/{first}") == f"/providers/{first}"
    profile = client.get(f"/providers/{first}").get_data(as_text=True)
    assert "Remove from shortlist" in profile and "Your shortlist (1)" in profile
    save(client, second, "https://elsewhere.example/")  # never sent off-site
    page = client.get("/shortlist").get_data(as_text=True)
    assert page.index("Heathfield Home Help") < page.index("Troon Helpers")
    assert 'href="tel:01292000111"' in page


def test_the_shared_link_opens_the_same_shortlist_in_another_browser(
    app: object, client: FlaskClient, two: tuple[UUID, UUID]
) -> None:
    for provider_id in two:
        save(client, provider_id)
    page = client.get("/shortlist").get_data(as_text=True)
    link = re.search(r'id="share-link" value="([^"]+)"', page)
    assert link is not None
    path = link.group(1).split("://", 1)[1].split("/", 1)[1]

    stranger = client.application.test_client()
    shared = stranger.get("/" + path.replace("&amp;", "&")).get_data(as_text=True)
    assert "Heathfield Home Help" in shared and "Troon Helpers" in shared
    assert "Save these to my shortlist" in shared
    assert "Nothing is saved yet" in stranger.get("/shortlist").get_data(as_text=True)

    token = csrf_token(stranger, "/shortlist")
    form = {"csrf_token": token, "provider": [str(i) for i in two]}
    assert stranger.post("/shortlist/keep", data=form).status_code == 302
    assert "Troon Helpers" in stranger.get("/shortlist").get_data(as_text=True)


def test_a_suspended_provider_leaves_the_shortlist_with_a_note(
    runtime: Runtime, client: FlaskClient, two: tuple[UUID, UUID], admin_id: UUID
) -> None:
    first, second = two
    save(client, first)
    save(client, second)
    runtime.app.directory.suspend(first, by=admin_id, reason="Checks lapsed")
    catch_up(runtime)
    page = client.get("/shortlist").get_data(as_text=True)
    assert "Heathfield" not in page and "Troon Helpers" in page
    assert "1 provider you saved is no longer listed" in page


def test_unknown_providers_cannot_be_saved_and_odd_links_show_nothing(
    client: FlaskClient,
) -> None:
    token = csrf_token(client, "/shortlist")
    response = client.post(f"/shortlist/{uuid4()}/add", data={"csrf_token": token})
    assert response.status_code == 404
    shared = client.get("/shortlist/shared?ids=not-a-uuid,,%00")
    assert shared.status_code in (200, 400)


def test_removing_takes_it_off(client: FlaskClient, two: tuple[UUID, UUID]) -> None:
    first, _ = two
    save(client, first)
    token = csrf_token(client, "/shortlist")
    client.post(f"/shortlist/{first}/remove", data={"csrf_token": token})
    assert "Nothing is saved yet" in client.get("/shortlist").get_data(as_text=True)


def test_without_a_mail_server_there_is_no_email_form(
    client: FlaskClient, two: tuple[UUID, UUID]
) -> None:
    save(client, two[0])
    assert "Email me this shortlist" not in client.get("/shortlist").get_data(as_text=True)


def test_the_shortlist_is_emailed_once_and_the_address_is_not_kept(
    runtime: Runtime,
    client: FlaskClient,
    two: tuple[UUID, UUID],
    mail_server: Inbox,
    smtp_port: int,
) -> None:
    runtime.mail = SmtpTransport(
        f"smtp://127.0.0.1:{smtp_port}?starttls=0", "Cairn <cairn@test.example>"
    )
    for provider_id in two:
        save(client, provider_id)
    token = csrf_token(client, "/shortlist")
    bad = client.post("/shortlist/email", data={"csrf_token": token, "email": "not an email"})
    assert bad.status_code == 400 and "<title>Error:" in bad.get_data(as_text=True)
    assert mail_server.messages == []

    sent = client.post("/shortlist/email", data={"csrf_token": token, "email": "Jean@Example.org"})
    assert sent.status_code == 302
    [(to, received)] = mail_server.messages
    message = message_from_bytes(received.as_bytes(), policy=policy.default)
    assert to == ["Jean@example.org"]  # the domain part lower-cased, as typed otherwise
    text = message.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    assert "Heathfield Home Help" in text and "/shortlist/shared?ids=" in text
    assert "Troon Helpers" in message.get_body(("html",)).get_content()  # type: ignore[attr-defined]
    with runtime.read_engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(table.select()).fetchall()
            assert "jean@example.org" not in str(rows).lower(), table.name
