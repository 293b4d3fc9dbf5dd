"""Changes waiting for review are visible, and a second edit amends them instead of silently
dropping the first: the dashboard says what waits (now and proposed), the edit form opens on
it, and the CIC's review and history show the amended change."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.provider import Provider
from tests.support.directory import approve, catch_up
from tests.support.journeys import BUSINESS, apply_online, listing_form, post
from tests.support.web import sign_in

PASSWORD_OF_ADMIN = "correct-horse-battery"


def approved_applicant(client: FlaskClient, runtime: Runtime) -> UUID:
    apply_online(client)
    provider_id = runtime.app.directory.provider_for_email(BUSINESS["email"])
    assert provider_id is not None
    approve(runtime, provider_id)
    catch_up(runtime)
    return provider_id


def edit(client: FlaskClient, runtime: Runtime, provider_id: UUID, **changes: Any) -> str:
    version = runtime.app.load(Provider, provider_id).version
    response = post(
        client,
        "/provider/listing",
        {"version": version, **listing_form(**changes)},
        follow_redirects=True,
    )
    catch_up(runtime)
    return str(response.get_data(as_text=True))


def field_value(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert found is not None, f"no {name} field"
    return found.group(1)


def test_the_dashboard_shows_what_waits_for_review_now_and_proposed(
    client: FlaskClient, runtime: Runtime
) -> None:
    provider_id = approved_applicant(client, runtime)
    edit(client, runtime, provider_id, price_per_hour="20")
    dashboard = client.get("/provider").get_data(as_text=True)
    assert "Changes waiting for review" in dashboard
    row = re.search(r"<th scope=\"row\">Price per hour</th>(.*?)</tr>", dashboard, re.S)
    assert row is not None
    assert "£18.50" in row.group(1) and "£20.00" in row.group(1)
    # Languages in words, not codes.
    assert "English, Scottish Gaelic" in dashboard


def test_a_second_edit_amends_the_first_and_drops_nothing(
    client: FlaskClient, runtime: Runtime
) -> None:
    provider_id = approved_applicant(client, runtime)
    edit(client, runtime, provider_id, price_per_hour="20")

    # The form opens on what waits, not on the live listing.
    form_page = client.get("/provider/listing").get_data(as_text=True)
    assert field_value(form_page, "price_per_hour") == "20.00"
    assert "This form shows your listing with these changes" in form_page

    # A second edit from that form: the price change stays, the phone change joins it.
    page = edit(client, runtime, provider_id, price_per_hour="20.00", phone="01292 600000")
    assert "Your changes waiting for review are updated" in page
    provider = runtime.app.load(Provider, provider_id)
    assert provider.pending_edit is not None
    assert set(provider.pending_edit) == {"price_per_hour", "phone"}
    assert str(provider.price_per_hour) == "18.50"  # the public still sees the live listing

    # The CIC sees the amended change, and the history says it replaced the first.
    runtime.app.accounts.register(
        "reviewer@cic.example", "Rhona", [Role.CIC_ADMIN], PASSWORD_OF_ADMIN
    )
    catch_up(runtime)
    reviewer = client.application.test_client()
    sign_in(reviewer, "reviewer@cic.example", PASSWORD_OF_ADMIN)
    panel = reviewer.get(f"/admin/providers/{provider_id}").get_data(as_text=True)
    assert "01292 600000" in panel and "£20.00" in panel
    assert "Changed the changes waiting for review" in panel


def test_sending_the_same_changes_again_says_they_already_wait(
    client: FlaskClient, runtime: Runtime
) -> None:
    provider_id = approved_applicant(client, runtime)
    edit(client, runtime, provider_id, price_per_hour="20")
    before = runtime.app.load(Provider, provider_id).version
    page = edit(client, runtime, provider_id, price_per_hour="20")
    assert "These are the changes already waiting for review" in page
    assert runtime.app.load(Provider, provider_id).version == before  # nothing recorded
