"""The whole story in a browser: apply, be reviewed and asked, answer, be approved, edit,
be reviewed again, let insurance lapse, be hidden, renew, be shown, and read it all in the history.
"""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.clock import today
from cairn.domain.directory.provider import Provider
from cairn.readmodels.directory.queries import provider_for_account
from tests.support.checks import record_check, uk
from tests.support.journeys import BUSINESS, STEPS, apply_online, post, start
from tests.support.web import PASSWORD, csrf_token, sign_in


def provider_id_of(runtime: Runtime, email: str) -> UUID:
    provider_id = runtime.app.directory.provider_for_email(email)
    assert provider_id is not None
    return provider_id


def version(runtime: Runtime, provider_id: UUID) -> str:
    return str(runtime.app.load(Provider, provider_id).version)


def act(admin: FlaskClient, runtime: Runtime, provider_id: UUID, action: str, **data: str) -> str:
    """An admin's in-place (htmx) action on the provider page; returns the refreshed panel."""
    page = f"/admin/providers/{provider_id}"
    response = admin.post(
        f"{page}/{action}",
        data={
            "version": version(runtime, provider_id),
            "csrf_token": csrf_token(admin, page),
            **data,
        },
        headers={"HX-Request": "true", "HX-Target": "provider-panel"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="provider-panel"' in html
    return str(html)


def test_a_half_finished_application_is_kept_and_never_in_the_queue(
    app: Flask, admin_client: FlaskClient, runtime: Runtime
) -> None:
    applicant = app.test_client()
    assert start(applicant).status_code == 302
    post(applicant, "/apply/services", STEPS["services"])
    applicant.post("/sign-out", data={"csrf_token": csrf_token(applicant, "/")})

    queue = admin_client.get("/admin/queue").get_data(as_text=True)
    assert "Carrick Care Companions" not in queue
    assert runtime.app.directory.provider_for_email("hello@carrick.example") is None

    sign_in(applicant, "hello@carrick.example")
    dashboard = applicant.get("/provider").get_data(as_text=True)
    assert "Carry on with your application" in dashboard
    assert "/apply/availability" in dashboard
    form = applicant.get("/apply/services").get_data(as_text=True)
    assert 'value="KA7 KA8"' in form and "checked" in form


def test_a_step_with_bad_answers_says_what_is_wrong_and_saves_nothing(
    app: Flask, runtime: Runtime
) -> None:
    applicant = app.test_client()
    start(applicant)
    head = runtime.app.head()
    response = post(
        applicant,
        "/apply/services",
        {"services": ["astrology"], "areas_covered": "KA7 1AA"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#services-0"' in html and 'href="#areas_covered"' in html
    response = post(applicant, "/apply/availability", {"price_per_hour": "£-3"})
    assert response.status_code == 400 and "price" in response.get_data(as_text=True)
    response = post(applicant, "/apply/consent", {})
    assert response.status_code == 400
    assert runtime.app.head() == head


def test_an_application_cannot_be_sent_before_every_step_is_done(
    app: Flask, runtime: Runtime
) -> None:
    applicant = app.test_client()
    start(applicant)
    response = post(applicant, "/apply/check", {})
    assert response.status_code == 400
    assert "tell us the services you offer" in response.get_data(as_text=True)


def test_a_second_application_with_the_same_email_saves_nothing_and_says_nothing(
    app: Flask, runtime: Runtime
) -> None:
    """Refused silently: the answer is the one a new applicant gets (tests/security/
    test_enumeration.py compares them), so it cannot tell anyone the email is known."""
    apply_online(app.test_client())
    before = runtime.app.head()
    password = "another long password"
    data = {**BUSINESS, "email": "HELLO@carrick.example", "password": password, "confirm": password}
    again = post(app.test_client(), "/apply", data)
    assert again.status_code == 302 and again.location.endswith("/apply/started")
    assert "already" not in again.get_data(as_text=True)
    assert runtime.app.head() == before


def test_the_whole_journey_and_its_history(
    app: Flask, admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    applicant = app.test_client()
    assert "Application sent" in apply_online(applicant)
    provider_id = provider_id_of(runtime, "hello@carrick.example")
    now = today(runtime.app.clock)

    queue = admin_client.get("/admin/queue").get_data(as_text=True)
    assert "Carrick Care Companions" in queue and 'cairn-count">1<' in queue

    # Reviewed, and asked for more information.
    assert "Under review" in act(admin_client, runtime, provider_id, "start-review")
    panel = act(admin_client, runtime, provider_id, "request-info", text="Do you drive to Maybole?")
    assert "More information requested" in panel and "Do you drive to Maybole?" in panel
    # Approving now is not offered, and refused if tried.
    panel = act(admin_client, runtime, provider_id, "approve")
    assert "You cannot approve" in panel

    # The applicant answers.
    dashboard = applicant.get("/provider").get_data(as_text=True)
    assert "Do you drive to Maybole?" in dashboard
    response = post(
        applicant,
        "/provider/answer",
        {"version": version(runtime, provider_id), "text": "Yes, I have a car."},
        follow_redirects=True,
    )
    assert "Your answer is with the CIC" in response.get_data(as_text=True)

    # Approval needs checks: say which are missing, then record them.
    panel = act(admin_client, runtime, provider_id, "approve")
    assert "no PVG check" in panel and "no public liability insurance" in panel
    pvg = {"membership_number": "1234 5678 9012 3456", **uk("pvg_checked_on", None)}
    pvg.update({"pvg_checked_on-day": "30", "pvg_checked_on-month": "2"})
    pvg["pvg_checked_on-year"] = "2026"
    status, panel = record_check(admin_client, runtime, provider_id, "pvg", pvg)
    assert status == 400 and "Enter a real date" in panel
    pvg.update(uk("pvg_checked_on", now - timedelta(days=10)))
    assert record_check(admin_client, runtime, provider_id, "pvg", pvg)[0] == 200
    insurance = {"insurer": "Clydesdale Mutual", "policy_number": "PL-1", "cover": "5,000,000"}
    insurance.update(uk("insurance_expires_on", now + timedelta(days=100)))
    assert record_check(admin_client, runtime, provider_id, "insurance", insurance)[0] == 200
    training = {"course": "first-aid", **uk("training_completed_on", now - timedelta(days=3))}
    assert record_check(admin_client, runtime, provider_id, "training", training)[0] == 200
    panel = act(admin_client, runtime, provider_id, "approve")
    assert "is approved and now listed" in panel
    assert "Carrick Care Companions" in admin_client.get("/providers").get_data(as_text=True)

    # The provider edits; the public sees the old listing until the CIC approves.
    listing_page = applicant.get("/provider/listing").get_data(as_text=True)
    assert "Friendly &lt;b&gt;companionship&lt;/b&gt; around Ayr." in listing_page
    response = post(
        applicant,
        "/provider/listing",
        {
            "version": version(runtime, provider_id),
            "name": "Carrick Care Companions",
            "contact_name": "Isla A.",
            "postcode": "KA7 1AA",
            "services": ["companionship"],
            "areas_covered": "KA7 KA8 KA19",
            "days": ["mon"],
            "times": ["evening"],
            "price_per_hour": "20",
            "description": "Companionship around Ayr and Maybole.",
            "languages": "en",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "waiting for review" in html and "Changes waiting for review" in html
    assert "£18.50" in html and "£20.00" in html  # now and proposed, on the dashboard
    listing = runtime.app.load(Provider, provider_id).public_listing()
    assert listing is not None and listing.price_per_hour is not None
    assert str(listing.price_per_hour) == "18.50"
    edits = admin_client.get("/admin/queue?kind=edits").get_data(as_text=True)
    assert "Carrick Care Companions" in edits
    panel = admin_client.get(f"/admin/providers/{provider_id}").get_data(as_text=True)
    assert "Changes waiting for review" in panel and "£18.50" in panel and "£20.00" in panel
    assert "approved and now public" in act(admin_client, runtime, provider_id, "approve-edit")
    listing = runtime.app.load(Provider, provider_id).public_listing()
    assert listing is not None and listing.areas_covered == ("KA7", "KA8", "KA19")

    # Insurance lapses: the sweep hides the listing by an event; a renewal shows it again.
    from cairn.jobs.checks_sweep import sweep_checks

    later = now + timedelta(days=101)
    runtime.sql_runner.catch_up()
    assert sweep_checks(runtime.app, runtime.read_engine, later) == [provider_id]
    runtime.sql_runner.catch_up()
    assert "Carrick Care Companions" not in admin_client.get("/providers").get_data(as_text=True)
    assert "hidden from the public" in applicant.get("/provider").get_data(as_text=True)
    lapsed = admin_client.get("/admin/queue?kind=lapsed").get_data(as_text=True)
    assert "Carrick Care Companions" in lapsed and "Hidden: insurance expired" in lapsed
    insurance.update(uk("insurance_expires_on", now + timedelta(days=465)))
    assert record_check(admin_client, runtime, provider_id, "insurance", insurance)[0] == 200
    # (The renewal is recorded "today", when the old insurance had not yet lapsed: shown.)
    assert runtime.app.load(Provider, provider_id).public_listing() is not None

    # The whole story, in plain language, newest first.
    page = admin_client.get(f"/admin/providers/{provider_id}").get_data(as_text=True)
    story = [
        "Applied to join the directory",
        "Started reviewing the application",
        "Asked for more information",
        "Answered the request for information",
        "Recorded a PVG check",
        "Recorded public liability insurance",
        "Recorded training",
        "Approved the provider",
        "Sent changes to the listing for review",
        "Approved changes to the listing",
        "Hid the listing from the public",
        "Showed the listing again",
    ]
    at = 0
    for step in reversed(story):  # the page lists the newest first
        at = page.index(step, at) + 1
    assert "Ada Admin" in page and "Isla A." in page and "Cairn (automatic)" in page
    assert "<del>£18.50</del> → <ins>£20.00</ins>" in page
    assert "Do you drive to Maybole?" in page and "Yes, I have a car." in page


def test_the_listing_as_it_was_on_a_date(
    admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    done = runtime.app.directory.apply(
        name="Troon Teas",
        contact_name="Pat",
        email="pat@troon.example",
        postcode="KA10 6HT",
        services=["meal-preparation"],
    )
    runtime.wait_for(done.position)
    now = today(runtime.app.clock)
    page = f"/admin/providers/{done.id}"
    html = admin_client.get(f"{page}?as_of={now.isoformat()}").get_data(as_text=True)
    assert "At the end of" in html and "Awaiting review" in html
    html = admin_client.get(f"{page}?as_of={(now - timedelta(days=3)).isoformat()}").get_data(
        as_text=True
    )
    assert "had not applied" in html
    html = admin_client.get(f"{page}?as_of=yesterday").get_data(as_text=True)
    assert "YYYY-MM-DD" in html and "ds_question--error" in html
    # The boxes, as a person types the day: UK order.
    past = now - timedelta(days=3)
    boxes = f"as_of-day={past.day}&as_of-month={past.month}&as_of-year={past.year}"
    html = admin_client.get(f"{page}?{boxes}").get_data(as_text=True)
    assert "had not applied" in html
    html = admin_client.get(f"{page}?as_of-day=31&as_of-month=2&as_of-year={now.year}").get_data(
        as_text=True
    )
    assert "ds_question--error" in html and "At the end of" not in html
    assert re.search(r'name="as_of-day"\s+value="31"', html)  # what was typed stays


def test_two_admins_at_once_the_second_sees_the_new_state(
    admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    done = runtime.app.directory.apply(
        name="Troon Teas",
        contact_name="Pat",
        email="pat@troon.example",
        postcode="KA10 6HT",
        services=["meal-preparation"],
    )
    runtime.wait_for(done.position)
    page = f"/admin/providers/{done.id}"
    token = csrf_token(admin_client, page)
    runtime.wait_for(runtime.app.directory.start_review(done.id, by=admin_id).position)
    response = admin_client.post(
        f"{page}/decline",
        data={"version": "1", "text": "Out of area", "csrf_token": token},
        headers={"HX-Request": "true", "HX-Target": "provider-panel"},
    )
    html = response.get_data(as_text=True)
    assert "changed while you were looking" in html and "Under review" in html
    assert runtime.app.load(Provider, done.id).status == "under-review"


def test_a_provider_confirms_their_listing_and_can_withdraw(
    app: Flask, runtime: Runtime, admin_id: UUID
) -> None:
    from tests.support.providers import approve_with_checks

    applicant = app.test_client()
    apply_online(applicant)
    provider_id = provider_id_of(runtime, "hello@carrick.example")
    runtime.wait_for(approve_with_checks(runtime.app, provider_id, by=admin_id).position)
    response = post(
        applicant,
        "/provider/confirm",
        {"version": version(runtime, provider_id)},
        follow_redirects=True,
    )
    assert "Last confirmed on" in response.get_data(as_text=True)
    response = post(
        applicant,
        "/provider/withdraw",
        {"version": version(runtime, provider_id), "text": "Retiring"},
        follow_redirects=True,
    )
    assert "Withdrawn" in response.get_data(as_text=True)
    assert runtime.app.load(Provider, provider_id).public_listing() is None


def test_the_public_reports_a_problem_and_it_lands_in_the_queue(
    client: FlaskClient, app: Flask, runtime: Runtime, admin_id: UUID
) -> None:
    from tests.support.providers import approve_with_checks

    done = runtime.app.directory.apply(
        name="Troon Teas",
        contact_name="Pat",
        email="pat@troon.example",
        postcode="KA10 6HT",
        services=["meal-preparation"],
    )
    runtime.wait_for(approve_with_checks(runtime.app, done.id, by=admin_id).position)
    path = f"/providers/{done.id}/report"
    form = client.get(path).get_data(as_text=True)
    assert "The contact details are wrong, or nobody replies" in form
    bad = client.post(path, data={"csrf_token": csrf_token(client, path), "email": "x"})
    assert bad.status_code == 400 and "Choose what is wrong" in bad.get_data(as_text=True)
    sent = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "category": "no-longer-operating",
            "details": "<script>alert(1)</script> closed in May",
        },
        headers={"HX-Request": "true"},
    )
    assert sent.status_code == 200 and "The CIC will look into it" in sent.get_data(as_text=True)

    admin = app.test_client()
    sign_in(admin, "admin@cic.example")
    queue = admin.get("/admin/queue?kind=reports").get_data(as_text=True)
    assert "They are no longer operating" in queue
    assert "&lt;script&gt;alert(1)&lt;/script&gt; closed in May" in queue
    assert "<script>alert(1)" not in queue
    report_id = queue.split("/admin/reports/")[1].split("/")[0]
    response = admin.post(
        f"/admin/reports/{report_id}/resolve",
        data={
            "csrf_token": csrf_token(admin, "/admin/queue?kind=reports"),
            "version": "1",
            "text": "Phoned them: still open",
            "back": "queue",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "marked as dealt with" in html and "0 listings have open problem reports" in html
    page = admin.get(f"/admin/providers/{done.id}").get_data(as_text=True)
    assert "A member of the public reported a problem" in page
    assert "Phoned them: still open" in page


def test_an_unlisted_provider_has_no_report_form(client: FlaskClient, runtime: Runtime) -> None:
    done = runtime.app.directory.apply(
        name="Troon Teas",
        contact_name="Pat",
        email="pat@troon.example",
        postcode="KA10 6HT",
        services=["meal-preparation"],
    )
    runtime.wait_for(done.position)
    assert client.get(f"/providers/{done.id}/report").status_code == 404


def test_the_workspace_needs_a_cic_admin(app: Flask, runtime: Runtime) -> None:
    applicant = app.test_client()
    apply_online(applicant)
    for path in ("/admin/queue", "/admin/coverage", "/admin/coverage.csv"):
        assert applicant.get(path).status_code == 403
    account = runtime.app.accounts.account_id_for("hello@carrick.example")
    assert account is not None
    assert provider_for_account(runtime.read_engine, account) is not None
    assert PASSWORD


def test_the_report_form_partial_renders_for_a_public_listing(
    app: Flask, runtime: Runtime, admin_id: UUID
) -> None:
    """Issue 5's profile page includes the partial with a PublicListing and no form."""
    from flask import render_template

    from tests.support.providers import approve_with_checks

    done = runtime.app.directory.apply(
        name="Troon Teas",
        contact_name="Pat",
        email="pat@troon.example",
        postcode="KA10 6HT",
        services=["meal-preparation"],
    )
    approve_with_checks(runtime.app, done.id, by=admin_id)
    listing = runtime.app.load(Provider, done.id).public_listing()
    with app.test_request_context("/"):
        html = render_template("provider/_report_form.html", provider=listing)
    assert f'action="/providers/{done.id}/report"' in html
    assert "They do not cover my area" in html


def test_suspend_reinstate_and_remove_from_the_provider_page(
    admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    from tests.support.providers import approve_with_checks

    done = runtime.app.directory.apply(
        name="Troon Teas",
        contact_name="Pat",
        email="pat@troon.example",
        postcode="KA10 6HT",
        services=["meal-preparation"],
    )
    runtime.wait_for(approve_with_checks(runtime.app, done.id, by=admin_id).position)
    panel = act(admin_client, runtime, done.id, "suspend", text="")
    assert "Give a reason for suspending" in panel and "Approved" in panel
    panel = act(admin_client, runtime, done.id, "suspend", text="A complaint to look into")
    assert "is suspended" in panel and "Reinstate" in panel and "Suspend</button>" not in panel
    panel = act(admin_client, runtime, done.id, "reinstate", text="")
    assert "reinstated and listed again" in panel
    # Without JavaScript: a normal post, then the provider page again with the message.
    page = f"/admin/providers/{done.id}"
    response = admin_client.post(
        f"{page}/remove",
        data={
            "version": version(runtime, done.id),
            "text": "Stopped trading",
            "csrf_token": csrf_token(admin_client, page),
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    html = admin_client.get(page).get_data(as_text=True)
    assert "was removed from the directory" in html and "Stopped trading" in html
    assert "Record a check" not in html


def test_the_queue_filters_by_stage_district_and_name(
    admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    for name, postcode, email in [
        ("Ayr Aid", "KA7 1AA", "a@example.org"),
        ("Troon Teas", "KA10 6HT", "t@example.org"),
    ]:
        runtime.app.directory.apply(
            name=name, contact_name="Pat", email=email, postcode=postcode, services=["gardening"]
        )
    troon = runtime.app.directory.provider_for_email("t@example.org")
    assert troon is not None
    runtime.app.directory.start_review(troon, by=admin_id)
    runtime.sql_runner.catch_up()

    def names(query: str) -> set[str]:
        html = admin_client.get(f"/admin/queue?{query}").get_data(as_text=True)
        return {n for n in ("Ayr Aid", "Troon Teas") if n in html}

    assert names("kind=applications") == {"Ayr Aid", "Troon Teas"}
    assert names("kind=applications&status=under-review") == {"Troon Teas"}
    assert names("kind=applications&district=ka7") == {"Ayr Aid"}
    assert names("kind=applications&q=troon") == {"Troon Teas"}
    assert names("kind=applications&district=not+a+district") == {"Ayr Aid", "Troon Teas"}
    assert names("kind=edits") == set()
    partial = admin_client.get(
        "/admin/queue?kind=applications", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "<html" not in partial and 'id="applications"' in partial
