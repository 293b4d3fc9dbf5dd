"""Nothing public tells a stranger whether an email is known to Cairn.

/apply answers the same for a new email, an account's email and a provider's email;
provider ids are random, so an id cannot be worked out from an email; and the page after a
problem report is one page for every id."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.email_index import provider_id_for
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DuplicateEmail
from tests.support.web import PASSWORD, csrf_token, make_account

BUSINESS = {
    "name": "Probe Care",
    "contact_name": "Pat Probe",
    "phone": "01292 500000",
    "postcode": "KA7 1AA",
}


def neutral(html: str) -> str:
    """A page without what differs on every request anyway (the CSRF token)."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1…", html)


def apply(app: Flask, email: str, n: int, password: str = "a new long password") -> TestResponse:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.61.0.{n}"
    data = {**BUSINESS, "email": email, "password": password, "confirm": password}
    return client.post("/apply", data={**data, "csrf_token": csrf_token(client, "/apply")})


def answer(response: TestResponse) -> tuple[Any, ...]:
    cookies = sorted(c.split("=")[0] for c in response.headers.getlist("Set-Cookie"))
    return response.status_code, response.location, cookies, neutral(response.get_data(True))


@pytest.fixture
def known(runtime: Runtime) -> dict[str, str]:
    """An account's email, and a provider's email (added by the CIC, with no account)."""
    make_account(runtime, "account@probe.example", Role.PROVIDER)
    done = runtime.app.directory.apply(
        name="Listed Co",
        contact_name="Lee Listed",
        email="provider@probe.example",
        postcode="KA7 1AA",
        services=["gardening"],
    )
    runtime.wait_for(done.position)
    return {"account": "account@probe.example", "provider": "PROVIDER@probe.example"}


def test_apply_answers_the_same_for_new_and_known_emails(
    app: Flask, runtime: Runtime, known: dict[str, str]
) -> None:
    before = runtime.app.head()
    answers = {kind: answer(apply(app, email, n)) for n, (kind, email) in enumerate(known.items())}
    assert runtime.app.head() == before  # a known email: nothing saved
    answers["new"] = answer(apply(app, "new@probe.example", 9))
    assert answers["new"][0] == 302 and answers["new"][1].endswith("/apply/started")
    assert answers["account"] == answers["new"] == answers["provider"]
    page = app.test_client().get("/apply/started").get_data(as_text=True)
    assert "already exists" not in page and "Sign in" in page


def test_only_the_new_applicant_can_then_sign_in_with_the_password_they_chose(
    app: Flask, runtime: Runtime, known: dict[str, str]
) -> None:
    apply(app, known["account"], 1)
    apply(app, "new@probe.example", 2)
    runtime.wait_for(runtime.app.head())

    def sign_in(email: str, password: str) -> int:
        client = app.test_client()
        data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
        return client.post("/sign-in", data=data).status_code

    assert sign_in("new@probe.example", "a new long password") == 302
    assert sign_in(known["account"], "a new long password") == 400  # not taken over
    assert sign_in(known["account"], PASSWORD) == 302


def test_a_mistake_earns_the_same_message_for_new_and_known_emails(
    app: Flask, known: dict[str, str]
) -> None:
    """The answers are checked before the email is: a weak password says so for everyone."""
    weak = "password1234"
    answers = []
    for n, email in enumerate([known["account"], known["provider"], "new@probe.example"]):
        status, location, cookies, page = answer(apply(app, email, n, password=weak))
        # The form gives back what was typed; apart from that, every word is the same.
        answers.append((status, location, cookies, page.replace(email, "EMAIL")))
    assert answers[0][0] == 400
    assert answers[0] == answers[1] == answers[2]


def test_new_provider_ids_are_random_and_found_by_email_through_the_claim(
    runtime: Runtime,
) -> None:
    directory = runtime.app.directory
    done = directory.apply(
        name="Random Co",
        contact_name="Ria",
        email="Random@probe.example",
        postcode="KA7 1AA",
        services=["gardening"],
    )
    assert done.id != provider_id_for("random@probe.example")
    assert done.id.version == 4
    assert directory.provider_for_email("random@PROBE.example") == done.id
    with pytest.raises(DuplicateEmail):
        directory.apply(
            name="Again",
            contact_name="Ria",
            email="random@probe.example",
            postcode="KA7 1AA",
            services=["gardening"],
        )
    # The claim's event holds the provider's id, and not the email.
    raw = b"".join(n.state for n in runtime.app.recorder.select_notifications(1, 1000))
    assert b"random@probe.example" not in raw.lower()


def test_two_applications_racing_on_one_email_make_one_provider(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = runtime.app.directory
    fields: dict[str, Any] = dict(
        name="Race Co",
        contact_name="Rae",
        email="race@probe.example",
        postcode="KA7 1AA",
        services=["gardening"],
    )
    directory.apply(**fields)
    # The second saw no provider yet (it checked a moment before the first was saved).
    monkeypatch.setattr(type(directory), "provider_for_email", lambda self, email: None)
    with pytest.raises(DuplicateEmail):
        directory.apply(**fields)


def test_providers_from_before_keep_their_ids_and_their_email(runtime: Runtime) -> None:
    legacy_id = provider_id_for("old@probe.example")
    old = Provider._create(  # as providers were made before ids were random
        Provider.Applied,
        id=legacy_id,
        name="Old Co",
        contact_name="Oli",
        email="old@probe.example",
        postcode="KA7 1AA",
        services=("gardening",),
        account_id=None,
        description="",
        phone=None,
        website=None,
        areas_covered=(),
        availability=(),
        sds_options=(),
        languages=(),
        price_per_hour=None,
        consented_on=None,
    )
    runtime.app.record(old)
    directory = runtime.app.directory
    assert directory.provider_for_email("OLD@probe.example") == legacy_id
    with pytest.raises(DuplicateEmail):
        directory.apply(
            name="Old Again",
            contact_name="Oli",
            email="old@probe.example",
            postcode="KA7 1AA",
            services=["gardening"],
        )


def test_the_report_sent_page_is_the_same_for_every_id(
    app: Flask, runtime: Runtime, known: dict[str, str]
) -> None:
    """Applied, declined, erased or never there: the page tells a stranger nothing."""
    applied = runtime.app.directory.provider_for_email(known["provider"])
    assert applied is not None
    ids: list[UUID] = [applied, provider_id_for("someone@probe.example"), uuid4()]
    pages = []
    for provider_id in ids:
        response = app.test_client().get(f"/providers/{provider_id}/report/sent")
        # The page links back to itself (the language switcher): the id, and nothing else.
        page = neutral(response.get_data(as_text=True)).replace(str(provider_id), "ID")
        pages.append((response.status_code, page))
    assert pages[0][0] == 200
    assert pages[0] == pages[1] == pages[2]
    assert "Listed Co" not in pages[0][1]
