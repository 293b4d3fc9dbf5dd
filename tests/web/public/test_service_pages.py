"""The pages about the service itself: a search box at home, the privacy notice, the
accessibility statement, feedback into the administrators' queue, and "no longer listed"."""

from __future__ import annotations

import re
from uuid import UUID, uuid4

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.enquiries.feedback import Feedback
from cairn.domain.personal import ERASED
from tests.support.directory import applied_provider, catch_up, listed_provider
from tests.support.web import csrf_token


def test_the_home_page_searches_by_words_and_postcode_or_town(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="/search"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None and 'method="get"' in form.group(0)
    assert 'name="q"' in form.group(1) and 'name="postcode"' in form.group(1)
    assert "Postcode or town" in form.group(1)


def test_the_privacy_notice_says_how_long_enquiries_are_kept(
    runtime: Runtime, client: FlaskClient
) -> None:
    page = client.get("/privacy").get_data(as_text=True)
    days = runtime.settings.enquiry_retention_days
    assert f"We delete it {days} days after you sent it" in page
    assert "language cookie" in page


def test_the_enquiry_consent_links_to_the_privacy_notice(
    runtime: Runtime, client: FlaskClient
) -> None:
    provider_id = listed_provider(runtime, name="Heathfield Home Help")
    page = client.get(f"/providers/{provider_id}").get_data(as_text=True)
    assert re.search(r'aria-describedby="consent-hint[^"]*"', page)
    assert 'id="consent-hint"><a href="/privacy">' in page


def test_the_accessibility_statement_names_what_fails_and_when_it_is_fixed(
    client: FlaskClient,
) -> None:
    page = client.get("/accessibility").get_data(as_text=True)
    assert "partially compliant" in page and "WCAG" in page and "March 2027" in page


def test_every_page_links_to_privacy_accessibility_and_feedback(client: FlaskClient) -> None:
    page = client.get("/search?q=garden").get_data(as_text=True)
    assert 'href="/privacy"' in page and 'href="/accessibility"' in page
    # The Alpha banner's feedback link says where the person was, without the search words.
    assert 'href="/feedback?from=/search"' in page


def send_feedback(client: FlaskClient, **fields: str) -> tuple[int, str, str]:
    data = {"csrf_token": csrf_token(client, "/feedback"), "verdict": "hard", "text": "", **fields}
    response = client.post("/feedback", data=data)
    return response.status_code, response.headers.get("Location", ""), response.get_data(True)


def test_feedback_without_words_is_refused_with_a_linked_message(client: FlaskClient) -> None:
    status, _, page = send_feedback(client, verdict="")
    assert status == 400
    assert "<title>Error:" in page
    assert 'href="#verdict"' in page and 'href="#text"' in page
    assert 'aria-describedby="text-error"' in page


def test_feedback_reaches_the_administrators_who_deal_with_it_and_delete_it(
    runtime: Runtime, client: FlaskClient, admin_client: FlaskClient
) -> None:
    status, location, _ = send_feedback(
        client, text="I could not find anyone in Girvan.", page="/search?q=girvan"
    )
    assert status == 302 and location.startswith("/feedback/sent")
    assert "Thank you" in client.get(location).get_data(as_text=True)

    queue = admin_client.get("/admin/feedback").get_data(as_text=True)
    assert "I could not find anyone in Girvan." in queue and "From the page /search" in queue
    feedback_id = UUID(re.findall(r"/admin/feedback/([0-9a-f-]{36})/dealt-with", queue)[0])

    token = csrf_token(admin_client, "/admin/feedback")
    admin_client.post(f"/admin/feedback/{feedback_id}/dealt-with", data={"csrf_token": token})
    assert "Girvan" not in admin_client.get("/admin/feedback").get_data(as_text=True)
    dealt = admin_client.get("/admin/feedback?show=dealt-with").get_data(as_text=True)
    assert "Girvan" in dealt

    admin_client.post(f"/admin/feedback/{feedback_id}/delete", data={"csrf_token": token})
    catch_up(runtime)
    assert "Girvan" not in admin_client.get("/admin/feedback?show=dealt-with").get_data(True)
    assert runtime.app.load(Feedback, feedback_id).text == ERASED


def test_feedback_is_for_administrators_only(client: FlaskClient) -> None:
    assert client.get("/admin/feedback").status_code == 302  # to sign in


def test_a_suspended_provider_is_no_longer_listed_and_says_so(
    runtime: Runtime, client: FlaskClient, admin_id: UUID
) -> None:
    provider_id = listed_provider(runtime, name="Heathfield Home Help")
    runtime.app.directory.suspend(provider_id, by=admin_id, reason="Insurance lapsed")
    catch_up(runtime)
    response = client.get(f"/providers/{provider_id}")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This provider is no longer listed" in page
    assert "Heathfield" not in page and "Insurance" not in page  # no name, no reason


def test_never_listed_or_unknown_providers_are_not_found(
    runtime: Runtime, client: FlaskClient
) -> None:
    pending = applied_provider(runtime, name="Pending Care").id
    catch_up(runtime)
    assert client.get(f"/providers/{pending}").status_code == 404
    assert client.get(f"/providers/{uuid4()}").status_code == 404
