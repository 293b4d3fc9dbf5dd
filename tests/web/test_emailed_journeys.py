"""Journeys that go through an inbox, with a real SMTP server on loopback: a forgotten
password, an imported provider's invitation, an application that needs more information,
and the insurance reminder that comes once however often the sweep runs."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.reset import RESET_LASTS
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.importer import import_providers
from cairn.domain.directory.provider import Provider
from cairn.infrastructure.mail import SmtpTransport
from cairn.jobs.checks_sweep import sweep_checks
from tests.support.directory import catch_up
from tests.support.journeys import BUSINESS, apply_online, listing_form, post
from tests.support.mail import Inbox, text_of
from tests.support.providers import approve_with_checks
from tests.support.web import PASSWORD, csrf_token, make_account, sign_in

NEW_PASSWORD = "otter kelp lantern harbour"
SAMPLE = "/work/shared/samples/providers-sample.csv"


@pytest.fixture
def mailed(runtime: Runtime, mail_server: Inbox, smtp_port: int) -> Inbox:
    """The runtime's own sender (the jobs loop's too) sends through the loopback server."""
    runtime.mail_sender.transport = SmtpTransport(
        f"smtp://127.0.0.1:{smtp_port}?starttls=0", "Cairn <cairn@test.example>"
    )
    return mail_server


def deliver(runtime: Runtime) -> None:
    catch_up(runtime)
    runtime.mail_sender.run_once()


def mail_to(inbox: Inbox, address: str) -> list[Any]:
    return [m for to, m in inbox.messages if to == [address]]


def only_link(email: Any) -> str:
    """The path of the one link to act on in an email (the base URL is the test's)."""
    links = re.findall(r"https?://[^/\s]+(/\S+)", text_of(email))
    assert links, text_of(email)
    return str(links[0])


# -- a forgotten password ------------------------------------------------------------------


def test_a_forgotten_password_is_reset_through_the_emailed_link_once(
    client: FlaskClient, runtime: Runtime, mailed: Inbox
) -> None:
    make_account(runtime, "eilidh@team.example", Role.TEAM_MEMBER, name="Eilidh")
    sign_in_page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/account/forgotten-password"' in sign_in_page

    sent = post(client, "/account/forgotten-password", {"email": "Eilidh@Team.example"})
    assert sent.status_code == 302
    unknown = post(client, "/account/forgotten-password", {"email": "nobody@team.example"})
    assert unknown.location == sent.location  # the same answer: nobody learns who has one
    deliver(runtime)
    [email] = mail_to(mailed, "eilidh@team.example")
    assert mail_to(mailed, "nobody@team.example") == []
    link = only_link(email)
    assert link.startswith("/account/new-password/")

    assert client.get(link).status_code == 200
    weak = post(client, link, {"new_password": "short", "confirm_password": "short"})
    assert weak.status_code == 400  # a clear message, and the link still works
    done = post(client, link, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 302 and done.location.endswith("/sign-in")
    sign_in(client, "eilidh@team.example", NEW_PASSWORD)

    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert 'href="/account/forgotten-password"' in again.get_data(as_text=True)


def test_a_reset_link_that_is_old_or_altered_gets_a_clear_page(
    client: FlaskClient, runtime: Runtime, mailed: Inbox
) -> None:
    make_account(runtime, "eilidh@team.example", Role.TEAM_MEMBER, name="Eilidh")
    post(client, "/account/forgotten-password", {"email": "eilidh@team.example"})
    deliver(runtime)
    link = only_link(mail_to(mailed, "eilidh@team.example")[0])
    altered = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert "not right" in client.get(altered).get_data(as_text=True)

    later = datetime.now(tz=UTC) + RESET_LASTS + timedelta(minutes=1)
    runtime.app.clock = lambda: later
    expired = client.get(link)
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)


# -- an imported provider is invited --------------------------------------------------------


def test_an_imported_provider_is_invited_sets_a_password_and_edits_the_listing(
    app: Any, runtime: Runtime, mailed: Inbox
) -> None:
    with open(SAMPLE, encoding="utf-8") as sample:
        plan = import_providers(runtime.app, io.StringIO(sample.read()), today=date(2026, 12, 1))
    assert plan.ok
    catch_up(runtime)
    assert mailed.messages == []  # an import tells nobody anything by itself

    admin = app.test_client()
    make_account(runtime, "admin@cic.example", Role.CIC_ADMIN, name="Ada Admin")
    sign_in(admin, "admin@cic.example")
    page = admin.get("/admin/invitations").get_data(as_text=True)
    assert "Carrick Care Companions" in page
    provider_id = runtime.app.directory.provider_for_email("hello@carrick-care-companions.example")
    assert provider_id is not None
    invited = post(admin, f"/admin/invitations/{provider_id}", {}, follow_redirects=True)
    assert "Invitation sent" in invited.get_data(as_text=True)
    deliver(runtime)
    [email] = mail_to(mailed, "hello@carrick-care-companions.example")
    assert "Carrick Care Companions" in text_of(email)
    link = only_link(email)
    assert link.startswith("/invitation/")

    provider = app.test_client()
    form = provider.get(link).get_data(as_text=True)
    assert "hello@carrick-care-companions.example" in form
    made = post(provider, link, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert made.status_code == 302 and made.location.endswith("/provider")
    dashboard = provider.get("/provider").get_data(as_text=True)
    assert "Carrick Care Companions" in dashboard

    version = runtime.app.load(Provider, provider_id).version
    edited = post(
        provider,
        "/provider/listing",
        {"version": version, **listing_form(name="Carrick Care Companions", price_per_hour="19")},
        follow_redirects=True,
    )
    assert edited.status_code == 200
    catch_up(runtime)
    assert runtime.app.load(Provider, provider_id).pending_edit is not None
    assert runtime.app.load(Provider, provider_id).account_id is not None
    assert provider.get(link).status_code == 410  # used once
    still = admin.get("/admin/invitations").get_data(as_text=True)
    assert "Carrick Care Companions" not in still


def test_inviting_everyone_without_an_account_sends_one_each(
    admin_client: FlaskClient, runtime: Runtime, mailed: Inbox
) -> None:
    with open(SAMPLE, encoding="utf-8") as sample:
        plan = import_providers(runtime.app, io.StringIO(sample.read()), today=date(2026, 12, 1))
    catch_up(runtime)
    response = post(admin_client, "/admin/invitations", {}, follow_redirects=True)
    assert f"{plan.added} invitations sent" in response.get_data(as_text=True)
    deliver(runtime)
    # (The background sweep may also have sent the admin the week's digest.)
    invited = [(to, m) for to, m in mailed.messages if "Look after your listing" in m["Subject"]]
    assert len(invited) == plan.added
    assert len({tuple(to) for to, _m in invited}) == plan.added


# -- an application by email ---------------------------------------------------------------


def test_an_applicant_hears_by_email_when_more_is_needed_and_when_approved(
    client: FlaskClient, runtime: Runtime, mailed: Inbox
) -> None:
    apply_online(client)
    deliver(runtime)
    confirm, received = mail_to(mailed, BUSINESS["email"])
    assert str(confirm["Subject"]) == "Confirm your email address for Cairn"
    assert BUSINESS["name"] in text_of(received)

    # The applicant confirms their address: opening the link changes nothing, the button does.
    link = only_link(confirm)
    assert link.startswith("/account/confirm-email/")
    assert "not confirmed yet" in client.get("/account").get_data(as_text=True)
    assert "Confirm my email address" in client.get(link).get_data(as_text=True)
    assert "not confirmed yet" in client.get("/account").get_data(as_text=True)
    confirmed = post(client, link, {})
    assert "is confirmed as yours" in confirmed.get_data(as_text=True)
    assert "Your email address is confirmed." in client.get("/account").get_data(as_text=True)

    admin = make_account(runtime, "admin@cic.example", Role.CIC_ADMIN, name="Ada Admin")
    provider_id = runtime.app.directory.provider_for_email(BUSINESS["email"])
    assert provider_id is not None
    runtime.app.directory.request_information(
        provider_id, by=admin, question="Which days can you do overnight stays?"
    )
    deliver(runtime)
    asked = mail_to(mailed, BUSINESS["email"])[-1]
    assert "Which days can you do overnight stays?" in text_of(asked)
    assert only_link(asked) == "/provider"

    version = runtime.app.load(Provider, provider_id).version
    answered = post(
        client, "/provider/answer", {"text": "Fridays and Saturdays.", "version": version}
    )
    assert answered.status_code == 302
    approve_with_checks(runtime.app, provider_id, by=admin)
    deliver(runtime)
    subjects = [str(m["Subject"]) for m in mail_to(mailed, BUSINESS["email"])]
    assert subjects[-1] == "Your listing is approved and on the directory"
    assert len(subjects) == 4  # confirm the address, received, more information, approved


# -- renewal reminders ---------------------------------------------------------------------


def test_insurance_running_out_in_30_days_sends_one_reminder_however_often_the_sweep_runs(
    runtime: Runtime, mailed: Inbox
) -> None:
    provider_id = runtime.app.directory.apply(
        name="Ayr Wee Helpers",
        contact_name="Kirsty",
        email="kirsty@helpers.example",
        postcode="KA7 1AA",
        services=["companionship"],
    ).id
    approve_with_checks(runtime.app, provider_id)
    today = runtime.app.clock().date()
    runtime.app.directory.record_insurance(
        provider_id, by=UUID(int=1), expires_on=today + timedelta(days=30)
    )
    deliver(runtime)
    before = len(mailed.messages)
    catch_up(runtime)
    sweep_checks(runtime.app, runtime.read_engine, today)
    sweep_checks(runtime.app, runtime.read_engine, today)
    deliver(runtime)
    reminders = mailed.messages[before:]
    assert len(reminders) == 1
    [(_to, email)] = reminders
    assert "insurance" in str(email["Subject"]).lower()
    assert "30 days" in text_of(email)

    sweep_checks(runtime.app, runtime.read_engine, today + timedelta(days=24))  # 6 days left
    deliver(runtime)
    assert len(mailed.messages) == before + 2
    assert "7-days" not in text_of(mailed.messages[-1][1])  # words, not the stage's name


# -- enquiries both ways --------------------------------------------------------------------


@pytest.fixture
def provider_with_account(runtime: Runtime) -> UUID:
    account = make_account(runtime, "morag@provider.example", Role.PROVIDER, name="Morag")
    provider_id = runtime.app.directory.apply(
        name="Heathfield Home Help",
        contact_name="Morag",
        email="morag@provider.example",
        postcode="KA7 1AA",
        services=["companionship"],
        account_id=account,
        phone="01292 500000",
    ).id
    approve_with_checks(runtime.app, provider_id)
    catch_up(runtime)
    return provider_id


def enquire(client: FlaskClient, provider_id: UUID, **fields: str) -> Any:
    data = {
        "name": "Jean",
        "contact": "",
        "reply_email": "jean@family.example",
        "message": "My mum needs company on Tuesday afternoons.",
        "consent": "y",
        "website": "",
        **fields,
    }
    return client.post(
        f"/providers/{provider_id}/enquiries",
        data={**data, "csrf_token": csrf_token(client, f"/providers/{provider_id}")},
    )


def test_an_enquirer_gets_a_copy_and_the_providers_reply_by_email(
    app: Any, runtime: Runtime, provider_with_account: UUID, mailed: Inbox
) -> None:
    family = app.test_client()
    sent = enquire(family, provider_with_account)
    assert sent.status_code == 302
    page = family.get(sent.location).get_data(as_text=True)
    reference = re.search(r'class="cairn-reference">([0-9A-F]{4}-[0-9A-F]{4})<', page)
    assert reference is not None
    deliver(runtime)
    [copy] = mail_to(mailed, "jean@family.example")
    assert reference.group(1) in str(copy["Subject"]) and reference.group(1) in text_of(copy)
    assert "company on Tuesday" not in text_of(copy)  # never the words of an enquiry

    provider = app.test_client()
    sign_in(provider, "morag@provider.example")
    assert "Enquiries (1 new)" in provider.get("/provider").get_data(as_text=True)
    inbox = provider.get("/provider/inbox").get_data(as_text=True)
    assert "jean@family.example" not in inbox
    [enquiry_path] = re.findall(r'href="(/provider/inbox/[0-9a-f-]{36})"', inbox)
    opened = provider.get(enquiry_path).get_data(as_text=True)
    assert "company on Tuesday afternoons" in opened and reference.group(1) in opened
    assert "jean@family.example" not in opened  # the provider never sees it
    assert "Enquiries (1 new)" not in provider.get("/provider").get_data(as_text=True)

    empty = post(provider, enquiry_path + "/reply", {"reply-text": ""})
    assert empty.status_code == 400 and "Write your reply" in empty.get_data(as_text=True)
    replied = post(
        provider, enquiry_path + "/reply", {"reply-text": "Yes, I can come at 2pm. Morag"}
    )
    assert replied.status_code == 302
    deliver(runtime)
    reply = mail_to(mailed, "jean@family.example")[-1]
    assert "Yes, I can come at 2pm. Morag" in text_of(reply)
    assert "Heathfield Home Help" in str(reply["Subject"])
    assert "01292 500000" in text_of(reply)  # how to answer back: the listing's phone


def test_a_provider_who_cannot_help_says_so_and_the_enquirer_is_told(
    app: Any, runtime: Runtime, provider_with_account: UUID, mailed: Inbox
) -> None:
    enquire(app.test_client(), provider_with_account)
    provider = app.test_client()
    sign_in(provider, "morag@provider.example")
    [enquiry_path] = re.findall(
        r'href="(/provider/inbox/[0-9a-f-]{36})"',
        provider.get("/provider/inbox").get_data(as_text=True),
    )
    declined = post(
        provider,
        enquiry_path + "/decline",
        {"decline-text": "I am full until March. Try Ayr Wee Helpers."},
    )
    assert declined.status_code == 302
    deliver(runtime)
    told = mail_to(mailed, "jean@family.example")[-1]
    assert "Try Ayr Wee Helpers" in text_of(told)
    again = post(provider, enquiry_path + "/decline", {"decline-text": "Again"})
    assert "already said you cannot help" in again.get_data(as_text=True)


def test_an_enquiry_with_only_a_phone_number_cannot_be_replied_to_through_cairn(
    app: Any, runtime: Runtime, provider_with_account: UUID, mailed: Inbox
) -> None:
    nobody = enquire(app.test_client(), provider_with_account, contact="", reply_email="")
    assert nobody.status_code == 400
    assert "Give a way to reach you" in nobody.get_data(as_text=True)
    enquire(app.test_client(), provider_with_account, contact="07700 900123", reply_email="")
    deliver(runtime)
    # Only the provider hears (received, approved, the enquiry): nothing goes to the enquirer.
    assert {tuple(to) for to, _m in mailed.messages} == {("morag@provider.example",)}
    provider = app.test_client()
    sign_in(provider, "morag@provider.example")
    [enquiry_path] = re.findall(
        r'href="(/provider/inbox/[0-9a-f-]{36})"',
        provider.get("/provider/inbox").get_data(as_text=True),
    )
    page = provider.get(enquiry_path).get_data(as_text=True)
    assert 'href="tel:+447700900123"' in page
    assert "Reply through Cairn" not in page


# -- a new email address ----------------------------------------------------------------------


def test_moving_to_a_new_email_address_is_confirmed_from_it_and_told_to_the_old_one(
    client: FlaskClient, runtime: Runtime, mailed: Inbox
) -> None:
    make_account(runtime, "morag@old.example", Role.PROVIDER, name="Morag")
    sign_in(client, "morag@old.example")
    page = client.get("/account").get_data(as_text=True)
    assert "Change your email address" in page

    token = csrf_token(client, "/account")
    wrong = client.post(
        "/account/email",
        data={"new_email": "morag@new.example", "password": "not it", "csrf_token": token},
    )
    assert wrong.status_code == 400
    assert "Your password is not right" in wrong.get_data(as_text=True)
    asked = client.post(
        "/account/email",
        data={"new_email": "morag@new.example", "password": PASSWORD, "csrf_token": token},
    )
    assert asked.status_code == 302
    deliver(runtime)
    [link_email] = mail_to(mailed, "morag@new.example")
    [notice] = mail_to(mailed, "morag@old.example")
    assert "m•••@new.example" in text_of(notice)
    assert "morag@new.example" not in text_of(notice)
    link = only_link(link_email)
    assert link.startswith("/account/change-email/")

    opened = client.get(link)  # a mail scanner opening it changes nothing
    assert opened.status_code == 200
    assert "Use this email address" in opened.get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, "morag@old.example")

    used = post(client, link, {})
    assert used.status_code == 200
    assert "From now on, sign in with morag@new.example" in used.get_data(as_text=True)
    again = post(client, link, {})
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)

    runtime.wait_for(runtime.app.head())
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    old = client.post(
        "/sign-in",
        data={"email": "morag@old.example", "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert old.status_code == 400
    sign_in(client, "Morag@New.example")
    assert "morag@new.example" in client.get("/account").get_data(as_text=True)

    deliver(runtime)
    told = mail_to(mailed, "morag@old.example")
    assert len(told) == 2
    assert "has changed" in told[1]["Subject"]
    assert len(mail_to(mailed, "morag@new.example")) == 1  # only the link


def test_an_address_someone_else_uses_is_refused_at_the_link(
    client: FlaskClient, runtime: Runtime, mailed: Inbox
) -> None:
    make_account(runtime, "morag@old.example", Role.PROVIDER, name="Morag")
    sign_in(client, "morag@old.example")
    client.post(
        "/account/email",
        data={
            "new_email": "colleague@new.example",
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    make_account(runtime, "colleague@new.example", Role.PROVIDER, name="Colleague")
    deliver(runtime)
    [link_email] = mail_to(mailed, "colleague@new.example")
    refused = post(client, only_link(link_email), {})
    assert refused.status_code == 410
    assert "already has an account" in refused.get_data(as_text=True)
    assert "morag@old.example" in client.get("/account").get_data(as_text=True)
