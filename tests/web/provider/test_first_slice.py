"""The first vertical slice: apply, review, approve, listed."""

from __future__ import annotations

import re
from uuid import UUID

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.lifecycle import Status
from cairn.readmodels.directory.queries import providers_by_status
from tests.support.journeys import apply_online, post
from tests.support.providers import approve_with_checks, record_current_checks
from tests.support.web import csrf_token, make_account, sign_in


def send_application(client: FlaskClient) -> str:
    """Apply online in a browser of the applicant's own (the admin stays signed in here)."""
    return apply_online(client.application.test_client())


def pending_id(runtime: Runtime, with_checks: bool = True) -> UUID:
    """The waiting application; by default with the checks approval needs (version 3)."""
    page = providers_by_status(runtime.read_engine, Status.APPLIED, 1)
    assert page.items, "no pending application"
    provider_id = UUID(str(page.items[0].id))
    if with_checks and page.items[0].version == 1:
        runtime.wait_for(record_current_checks(runtime.app, provider_id).position)
    return provider_id


def test_an_application_appears_in_the_admin_list_and_once_approved_on_providers(
    client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    assert "Application sent" in send_application(client)
    assert "Carrick Care Companions" not in client.get("/providers").get_data(as_text=True)

    sign_in(client, "admin@cic.example")
    listing = client.get("/admin/applications").get_data(as_text=True)
    assert "Carrick Care Companions" in listing and "KA7" in listing
    provider_id = pending_id(runtime)

    response = client.post(
        f"/admin/providers/{provider_id}/approve",
        data={"version": "3", "csrf_token": csrf_token(client, "/admin/applications")},
    )
    assert response.status_code == 302
    # Read-your-writes: the very next page already shows the change.
    public = client.get("/providers").get_data(as_text=True)
    assert "Carrick Care Companions" in public
    assert "Companionship, Respite for carers" in public
    assert "Carrick Care Companions" not in client.get("/admin/applications").get_data(as_text=True)


def test_an_htmx_approval_returns_only_the_refreshed_list(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    send_application(admin_client)
    provider_id = pending_id(runtime)
    token = csrf_token(admin_client, "/admin/applications")
    response = admin_client.post(
        f"/admin/providers/{provider_id}/approve",
        data={"version": "3", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and 'id="applications"' in html
    assert "is approved and now listed" in html
    partial = admin_client.get("/admin/applications", headers={"HX-Request": "true"})
    assert "<html" not in partial.get_data(as_text=True)


def test_an_approve_after_another_admin_declined_is_refused_and_nothing_is_lost(
    admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    send_application(admin_client)
    provider_id = pending_id(runtime)
    token = csrf_token(admin_client, "/admin/applications")
    runtime.wait_for(
        runtime.app.directory.decline(provider_id, by=admin_id, reason="Duplicate").position
    )
    response = admin_client.post(
        f"/admin/providers/{provider_id}/approve",
        data={"version": "3", "csrf_token": token},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "changed while you were looking" in html
    assert "Declined" in html and "Duplicate" in html
    assert "Carrick" not in admin_client.get("/providers").get_data(as_text=True)


def test_a_form_with_bad_fields_shows_a_summary_and_keeps_what_was_typed(
    client: FlaskClient, runtime: Runtime
) -> None:
    data = {"name": "Carrick Care Companions", "contact_name": "Isla", "email": "not-an-email"}
    response = post(client, "/apply", {**data, "postcode": "XYZ"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert 'href="#email"' in html and 'href="#postcode"' in html
    assert 'value="Carrick Care Companions"' in html
    assert 'value="not-an-email"' in html
    assert runtime.app.head() == 0


def test_the_providers_list_is_paginated(
    client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    for n in range(25):
        done = runtime.app.directory.apply(
            name=f"Provider {n:02d}",
            contact_name="Pat",
            email=f"p{n}@cairn.example",
            postcode="EH6 6QW",
            services=["gardening"],
        )
        approve_with_checks(runtime.app, done.id, by=admin_id)
    # The app's own runners are running too: wait for them rather than race them.
    assert runtime.wait_for(runtime.app.head())
    first = client.get("/providers").get_data(as_text=True)
    second = client.get("/providers?page=2").get_data(as_text=True)
    assert "Provider 00" in first and "Provider 19" in first and "Provider 20" not in first
    assert "Provider 20" in second and "Provider 24" in second
    assert 'href="/providers?page=2"' in first
    assert client.get("/providers?page=-1").status_code == 200
    assert client.get("/providers?page=banana").status_code == 200
    assert "Provider 24" in client.get("/providers?page=999").get_data(as_text=True)


def test_admin_pages_need_a_signed_in_cic_admin(client: FlaskClient, runtime: Runtime) -> None:
    response = client.get("/admin/applications")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    make_account(runtime, "provider@cairn.example")
    sign_in(client, "provider@cairn.example")
    assert client.get("/admin/applications").status_code == 403


def test_a_wrong_password_says_so_without_revealing_whether_the_email_exists(
    client: FlaskClient, admin_id: UUID
) -> None:
    known = client.post(
        "/sign-in",
        data={
            "email": "admin@cic.example",
            "password": "wrong-password!",
            "csrf_token": csrf_token(client),
        },
    )
    unknown = client.post(
        "/sign-in",
        data={
            "email": "nobody@cic.example",
            "password": "wrong-password!",
            "csrf_token": csrf_token(client),
        },
    )
    assert known.status_code == unknown.status_code == 400
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(known.get_data(as_text=True)) == strip(unknown.get_data(as_text=True)).replace(
        "nobody@cic.example", "admin@cic.example"
    )


def test_state_changing_requests_without_a_csrf_token_are_refused(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    send_application(admin_client)
    provider_id = pending_id(runtime)
    response = admin_client.post(f"/admin/providers/{provider_id}/approve", data={"version": "1"})
    assert response.status_code == 400
    assert pending_id(runtime) == provider_id


def test_sign_out_ends_the_session(admin_client: FlaskClient) -> None:
    admin_client.post("/sign-out", data={"csrf_token": csrf_token(admin_client, "/")})
    assert admin_client.get("/admin/applications").status_code == 302
