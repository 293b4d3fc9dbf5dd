""" "This is my listing" from a public profile: with the listing's own address an invitation
goes to it at once; with another address the CIC checks, then invites the claimant or
tells them why not. Everything goes through a real SMTP server on loopback."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.account import Account
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.provider import Provider
from cairn.infrastructure.mail import SmtpTransport
from tests.support.directory import catch_up, listed_provider
from tests.support.journeys import post
from tests.support.mail import Inbox, text_of
from tests.support.web import make_account, sign_in

PASSWORD = "otter kelp lantern harbour"


@pytest.fixture
def mailed(runtime: Runtime, mail_server: Inbox, smtp_port: int) -> Inbox:
    runtime.mail_sender.transport = SmtpTransport(
        f"smtp://127.0.0.1:{smtp_port}?starttls=0", "Cairn <cairn@test.example>"
    )
    return mail_server


@pytest.fixture
def provider_id(runtime: Runtime, mailed: Inbox) -> UUID:
    """An imported-style listing: approved, with nobody to sign in for it."""
    listed = listed_provider(
        runtime, name="Girvan Good Neighbours", email="hello@girvan.example", contact_name="Isla"
    )
    deliver(runtime, mailed, "hello@girvan.example")  # its approval
    mailed.messages.clear()
    return listed


def deliver(runtime: Runtime, inbox: Inbox, to: str) -> list[Any]:
    catch_up(runtime)
    runtime.mail_sender.run_once()
    return [m for address, m in inbox.messages if address == [to]]


def invitation_link(email: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/invitation/\S+)", text_of(email))
    assert found, text_of(email)
    return found.group(1)


def claim(client: FlaskClient, provider_id: UUID, **fields: str) -> Any:
    return post(
        client,
        f"/providers/{provider_id}/claim",
        {"name": "Isla", "email": "hello@girvan.example", "note": "", **fields},
    )


def test_a_claim_with_the_listings_own_address_invites_that_address(
    client: FlaskClient, runtime: Runtime, provider_id: UUID, mailed: Inbox
) -> None:
    profile = client.get(f"/providers/{provider_id}").get_data(as_text=True)
    assert f'href="/providers/{provider_id}/claim"' in profile
    sent = claim(client, provider_id, email="Hello@Girvan.example")
    assert "We have emailed a link to the listing" in sent.get_data(as_text=True)
    [invited] = deliver(runtime, mailed, "hello@girvan.example")
    link = invitation_link(invited)
    made = post(client, link, {"new_password": PASSWORD, "confirm_password": PASSWORD})
    assert made.status_code == 302
    account_id = runtime.app.load(Provider, provider_id).account_id
    assert account_id is not None
    assert runtime.app.load(Account, account_id).email == "hello@girvan.example"


def test_a_claim_from_another_address_waits_for_the_cic_then_invites_the_claimant(
    app: Any, runtime: Runtime, provider_id: UUID, mailed: Inbox
) -> None:
    public = app.test_client()
    sent = claim(
        public, provider_id, name="Morag", email="morag@family.example", note="I run it with Isla"
    )
    assert "the CIC will check first" in sent.get_data(as_text=True)
    [received] = deliver(runtime, mailed, "morag@family.example")
    assert "Girvan Good Neighbours" in str(received["Subject"])
    assert deliver(runtime, mailed, "hello@girvan.example") == []

    make_account(runtime, "admin@cic.example", Role.CIC_ADMIN, name="Ada")
    admin = app.test_client()
    sign_in(admin, "admin@cic.example")
    page = admin.get("/admin/claims").get_data(as_text=True)
    assert "morag@family.example" in page and "I run it with Isla" in page
    [action] = re.findall(r'action="(/admin/claims/[0-9a-f-]+/approve)"', page)
    approved = post(admin, action, {}, follow_redirects=True)
    assert "an invitation is on its way" in approved.get_data(as_text=True)
    invited = deliver(runtime, mailed, "morag@family.example")[-1]
    link = invitation_link(invited)
    form = public.get(link).get_data(as_text=True)
    assert "morag@family.example" in form
    post(public, link, {"new_password": PASSWORD, "confirm_password": PASSWORD})
    account_id = runtime.app.load(Provider, provider_id).account_id
    assert account_id is not None
    assert runtime.app.load(Account, account_id).email == "morag@family.example"
    assert "No requests wait" in admin.get("/admin/claims").get_data(as_text=True)


def test_a_declined_claim_is_told_why(
    app: Any, runtime: Runtime, provider_id: UUID, mailed: Inbox
) -> None:
    claim(app.test_client(), provider_id, name="Sam", email="sam@elsewhere.example")
    make_account(runtime, "admin@cic.example", Role.CIC_ADMIN, name="Ada")
    admin = app.test_client()
    sign_in(admin, "admin@cic.example")
    page = admin.get("/admin/claims").get_data(as_text=True)
    [action] = re.findall(r'action="(/admin/claims/[0-9a-f-]+/decline)"', page)
    empty = post(admin, action, {"reason": ""}, follow_redirects=True)
    assert "Say why" in empty.get_data(as_text=True)
    post(admin, action, {"reason": "Isla says she does not know you."})
    told = deliver(runtime, mailed, "sam@elsewhere.example")[-1]
    assert "Isla says she does not know you." in text_of(told)
    assert runtime.app.load(Provider, provider_id).account_id is None


def test_a_listing_someone_already_looks_after_cannot_be_claimed(
    client: FlaskClient, runtime: Runtime
) -> None:
    owner = make_account(runtime, "fiona@alloway.example", Role.PROVIDER, name="Fiona")
    provider = listed_provider(runtime, email="fiona@alloway.example", account_id=owner)
    refused = claim(client, provider, email="fiona@alloway.example")
    assert refused.status_code == 400
    assert "Someone already looks after this listing" in refused.get_data(as_text=True)
