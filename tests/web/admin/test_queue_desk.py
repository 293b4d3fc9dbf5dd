"""A queue that runs a desk: how long each item has waited, who has taken it, notes only
administrators see, reports grouped by listing, a confirm page before a decision, renewals due
soon apart from lapsed ones, and counts in the navigation. Every form works without JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from tests.support.providers import CHECKER, approve_with_checks, record_current_checks
from tests.support.web import csrf_token, make_account, sign_in


def apply(runtime: Runtime, name: str, email: str, postcode: str = "KA7 1AA") -> UUID:
    done = runtime.app.directory.apply(
        name=name, contact_name="Pat", email=email, postcode=postcode, services=["gardening"]
    )
    runtime.wait_for(done.position)
    return done.id


def post(client: FlaskClient, path: str, **form: str) -> str:
    """A plain form POST, as a browser without JavaScript sends it; the page it lands on."""
    token = csrf_token(client, "/admin/queue")
    response = client.post(path, data={"csrf_token": token, **form}, follow_redirects=True)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def settle(runtime: Runtime) -> None:
    runtime.wait_for(runtime.app.head())


def row_of(html: str, name: str) -> str:
    """The table row that names this provider."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S):
        if name in row:
            return str(row)
    raise AssertionError(f"no row for {name}")


def test_an_item_shows_its_days_waiting_and_can_be_taken_and_given_back(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    provider_id = apply(runtime, "Rowan Gardens", "rowan@example.com")
    queue = admin_client.get("/admin/queue?kind=applications").get_data(as_text=True)
    assert "0 days" in row_of(queue, "Rowan Gardens")  # it came in today

    landed = post(
        admin_client, f"/admin/providers/{provider_id}/assign?kind=applications", back="queue"
    )
    assert "Rowan Gardens is assigned to you." in landed
    assert f'id="unassign-{provider_id}"' in row_of(landed, "Rowan Gardens")

    page = admin_client.get(f"/admin/providers/{provider_id}").get_data(as_text=True)
    assert "Assigned to Ada Admin (administrator)" in page

    landed = post(
        admin_client, f"/admin/providers/{provider_id}/unassign?kind=applications", back="queue"
    )
    assert "Nobody is assigned to Rowan Gardens now." in landed
    assert f'id="assign-{provider_id}"' in row_of(landed, "Rowan Gardens")


def test_assigned_to_me_shows_only_my_items(
    admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    mine = apply(runtime, "Mine Care", "mine@example.com")
    apply(runtime, "Theirs Care", "theirs@example.com")
    other = make_account(runtime, "bea@cic.example", Role.CIC_ADMIN, name="Bea Admin")
    post(admin_client, f"/admin/providers/{mine}/assign", back="queue")
    theirs_id = apply(runtime, "Bea's Care", "bea-care@example.com")
    settle(runtime)
    runtime.wait_for(runtime.app.directory.assign(theirs_id, by=other, assignee=other).position)

    everything = admin_client.get("/admin/queue?kind=applications").get_data(as_text=True)
    assert "Bea Admin" in row_of(everything, "Bea&#39;s Care")
    only_mine = admin_client.get("/admin/queue?kind=applications&assigned=me").get_data(
        as_text=True
    )
    assert "Mine Care" in only_mine
    assert "Theirs Care" not in only_mine and "Bea&#39;s Care" not in only_mine
    assert 'name="assigned" value="me" checked' in only_mine


def test_internal_notes_are_for_administrators_and_never_reach_the_provider(
    client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    account = make_account(runtime, "isla@carrick.example", Role.PROVIDER, name="Isla")
    done = runtime.app.directory.apply(
        name="Carrick Care",
        contact_name="Isla",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["gardening"],
        account_id=account,
    )
    runtime.wait_for(done.position)
    sign_in(client, "admin@cic.example")

    page = post(client, f"/admin/providers/{done.id}/notes", note="Phoned Isla: PVG form sent.")
    assert "Your note is saved. Only administrators see it." in page
    assert "Phoned Isla: PVG form sent." in page
    assert "Ada Admin" in page

    refused = post(client, f"/admin/providers/{done.id}/notes", note="   ")
    assert "Write the note first." in refused

    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/admin/queue")})
    sign_in(client, "isla@carrick.example")
    for path in ("/provider", "/provider/listing"):
        seen = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert "Carrick Care" in seen  # Isla's own pages, signed in
        assert "Phoned Isla" not in seen


def test_two_reports_about_one_listing_are_one_row(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    provider_id = apply(runtime, "Heather Help", "heather@example.com")
    settle(runtime)
    runtime.wait_for(approve_with_checks(runtime.app, provider_id).position)
    for details in ("Phone is dead.", "Nobody answered my email."):
        done = runtime.app.directory.report_problem(
            provider_id, category="contact-details-wrong", details=details, reporter_email=None
        )
    runtime.wait_for(done.position)

    queue = admin_client.get("/admin/queue?kind=reports").get_data(as_text=True)
    row = row_of(queue, "Heather Help")
    assert "2 reports" in row
    assert "Phone is dead." in row and "Nobody answered my email." in row
    assert queue.count("Heather Help") == 1 + queue.count('visually-hidden"> Heather Help')
    assert "1 listing has open problem reports." in queue


def test_approval_goes_through_a_confirm_page_showing_the_checks(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    provider_id = apply(runtime, "Willow Care", "willow@example.com")
    queue = admin_client.get("/admin/queue?kind=applications").get_data(as_text=True)
    confirm_url = f"/admin/providers/{provider_id}/confirm/approve"
    # The list has a link to the confirm page, no one-click approval.
    assert f'href="{confirm_url}"' in queue
    assert f'action="/admin/providers/{provider_id}/approve"' not in queue

    page = admin_client.get(confirm_url).get_data(as_text=True)
    assert "Approve Willow Care?" in page
    assert "there is no PVG check on record" in page
    assert 'id="confirm-approve"' not in page  # nothing to press until the checks are there

    settle(runtime)
    runtime.wait_for(record_current_checks(runtime.app, provider_id).position)
    page = admin_client.get(confirm_url).get_data(as_text=True)
    assert "is listed publicly" in page and 'id="confirm-approve"' in page
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    token = csrf_token(admin_client, confirm_url)
    response = admin_client.post(
        confirm_url, data={"csrf_token": token, "version": version.group(1)}
    )
    assert response.status_code == 302 and response.location.endswith(
        "/admin/queue?kind=applications"
    )
    settle(runtime)
    assert runtime.app.load(Provider, provider_id).status == Status.APPROVED
    landed = admin_client.get(response.location).get_data(as_text=True)
    assert "Willow Care is approved and now listed." in landed


def test_declining_on_the_confirm_page_needs_a_reason_and_keeps_what_was_typed(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    provider_id = apply(runtime, "Aspen Aid", "aspen@example.com")
    confirm_url = f"/admin/providers/{provider_id}/confirm/decline"
    page = admin_client.get(confirm_url).get_data(as_text=True)
    assert "Decline Aspen Aid?" in page and "The applicant will see this reason." in page
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    token = csrf_token(admin_client, confirm_url)

    refused = admin_client.post(
        confirm_url, data={"csrf_token": token, "version": version.group(1), "text": "  "}
    )
    assert refused.status_code == 400
    settle(runtime)
    assert runtime.app.load(Provider, provider_id).status == Status.APPLIED

    stale = admin_client.post(
        confirm_url, data={"csrf_token": token, "version": "0", "text": "Outside our area"}
    )
    assert stale.status_code == 400
    assert "Outside our area" in stale.get_data(as_text=True)  # kept for another try

    done = admin_client.post(
        confirm_url,
        data={"csrf_token": token, "version": version.group(1), "text": "Outside our area"},
    )
    assert done.status_code == 302
    settle(runtime)
    assert runtime.app.load(Provider, provider_id).status == Status.DECLINED


def test_a_decision_the_provider_is_past_is_not_offered(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    provider_id = apply(runtime, "Elm Errands", "elm@example.com")
    settle(runtime)
    runtime.wait_for(approve_with_checks(runtime.app, provider_id).position)
    page = admin_client.get(f"/admin/providers/{provider_id}/confirm/approve").get_data(
        as_text=True
    )
    assert 'id="not-allowed"' in page and 'id="confirm-approve"' not in page
    assert admin_client.get(f"/admin/providers/{provider_id}/confirm/suspend").status_code == 404


def test_renewals_due_soon_and_lapsed_are_apart_and_lapsed_never_says_due(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    now = today(runtime.app.clock)
    soon = apply(runtime, "Soon Services", "soon@example.com")
    gone = apply(runtime, "Gone Garden", "gone@example.com")
    settle(runtime)
    for provider_id in (soon, gone):
        approve_with_checks(runtime.app, provider_id)
    runtime.app.directory.record_insurance(soon, by=CHECKER, expires_on=now + timedelta(days=10))
    done = runtime.app.directory.record_insurance(
        gone, by=CHECKER, expires_on=now - timedelta(days=4)
    )
    runtime.wait_for(done.position)

    due = admin_client.get("/admin/queue?kind=renewals").get_data(as_text=True)
    assert "Due soon" in row_of(due, "Soon Services")
    assert "Gone Garden" not in due
    lapsed = admin_client.get("/admin/queue?kind=lapsed").get_data(as_text=True)
    row = row_of(lapsed, "Gone Garden")
    assert "Lapsed" in row and "Due" not in row
    assert "4 days" in row  # waiting since the day it ran out
    assert "Soon Services" not in lapsed

    # Each kind's count in the tabs, and everything waiting in the site navigation.
    assert re.search(r"Renewals due soon <span class=\"cairn-count\">1</span>", lapsed)
    assert re.search(r"Lapsed checks <span class=\"cairn-count\">1</span>", lapsed)
    assert "Review queue (2)" in lapsed


def test_what_the_sweep_hid_is_named_in_the_history_and_the_audit_log(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    from cairn.jobs.checks_sweep import sweep_checks

    provider_id = apply(runtime, "Lapsing Lanes", "lanes@example.com")
    settle(runtime)
    runtime.wait_for(approve_with_checks(runtime.app, provider_id).position)
    runtime.sql_runner.catch_up()
    later = today(runtime.app.clock) + timedelta(days=400)  # past the year's insurance
    assert sweep_checks(runtime.app, runtime.read_engine, later) == [provider_id]
    runtime.sql_runner.catch_up()

    page = admin_client.get(f"/admin/providers/{provider_id}").get_data(as_text=True)
    history = page[page.index("cairn-history") :]
    assert "Hid the listing from the public: the insurance has expired" in history
    assert f'Hidden on: <span class="cairn-pre">{later.isoformat()}</span>' in history
    assert "Cairn (automatic)" in history

    audit = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "Lapsing Lanes" in row_of(audit, "Hid the listing from the public")
