"""English and Gaelic: choosing, remembering, and showing everything in the chosen language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date, format_decimal

from cairn.domain.directory.lifecycle import STATUS_LABELS, Status
from cairn.domain.text import _, joined
from cairn.web.i18n import LANGUAGE_COOKIE, money, service_labels, translate
from tests.support.journeys import start
from tests.support.web import csrf_token


def page(client: FlaskClient, path: str = "/", **headers: str) -> str:
    return client.get(path, headers=headers).get_data(as_text=True)


def switch(client: FlaskClient, lang: str, next_path: str) -> str:
    response = client.post(
        "/language", data={"lang": lang, "next": next_path, "csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 302
    return response.headers["Location"]


def test_first_visit_follows_the_browsers_language(client: FlaskClient) -> None:
    html = page(client, "/", **{"Accept-Language": "gd-GB,gd;q=0.9,en;q=0.5"})
    assert '<html lang="gd"' in html
    assert "Lorg cùram is taic ionadail" in html


def test_english_when_the_browser_asks_for_neither_language(client: FlaskClient) -> None:
    html = page(client, "/", **{"Accept-Language": "fr-FR"})
    assert '<html lang="en"' in html and "Find local care and support" in html


def test_switching_language_returns_to_the_same_page_with_its_query(client: FlaskClient) -> None:
    location = switch(client, "gd", "/providers?page=2")
    assert location == "/providers?page=2"
    # The choice beats the browser's own setting from now on.
    assert '<html lang="gd"' in page(client, "/providers", **{"Accept-Language": "en"})


def test_the_choice_is_remembered_in_a_long_lived_cookie(client: FlaskClient, app: Flask) -> None:
    client.post(
        "/language", data={"lang": "gd", "next": "/", "csrf_token": csrf_token(client, "/")}
    )
    cookie = client.get_cookie(LANGUAGE_COOKIE)
    assert cookie is not None and cookie.value == "gd"
    assert cookie.expires is not None  # survives closing the browser
    # A new session (signed out, browser restarted) still gets Gaelic from the cookie.
    fresh = app.test_client()
    fresh.set_cookie(LANGUAGE_COOKIE, "gd")
    assert '<html lang="gd"' in page(fresh, "/", **{"Accept-Language": "en"})


def test_switching_never_sends_you_to_another_site(client: FlaskClient) -> None:
    assert switch(client, "gd", "https://evil.example/") == "/"
    assert switch(client, "gd", "//evil.example/") == "/"


def test_an_unknown_language_changes_nothing(client: FlaskClient) -> None:
    switch(client, "fr", "/")
    assert client.get_cookie(LANGUAGE_COOKIE) is None
    assert '<html lang="en"' in page(client, "/", **{"Accept-Language": "en"})


def test_the_switcher_offers_the_other_language_named_in_itself(client: FlaskClient) -> None:
    html = page(client, "/providers?page=1", **{"Accept-Language": "en"})
    assert 'lang="gd">Gàidhlig</button>' in html
    assert 'name="next" value="/providers?page=1"' in html


def test_form_errors_from_the_domain_are_shown_in_gaelic(client: FlaskClient) -> None:
    switch(client, "gd", "/apply")
    data = {
        "name": "Carrick Care",
        "contact_name": "Isla",
        "email": "not-an-email",
        "postcode": "nowhere",
        "services": ["companionship"],
        "csrf_token": csrf_token(client, "/apply"),
    }
    html = client.post("/apply", data=data).get_data(as_text=True)
    assert "Cuiribh a-steach còd-puist sa chruth cheart, mar KA7 1AA" in html
    assert "Cuiribh a-steach seòladh puist-d sa chruth cheart" in html
    assert "Tha duilgheadas ann" in html


def test_service_types_are_named_in_gaelic_but_keep_their_keys(client: FlaskClient) -> None:
    assert start(client).status_code == 302  # services are chosen after the first step
    switch(client, "gd", "/apply/services")
    html = page(client, "/apply/services")
    assert "Cùram pearsanta" in html
    assert 'value="personal-care"' in html


def test_a_filled_in_domain_message_is_translated_before_its_values_go_in(app: Flask) -> None:
    message = _("{value} is not a postcode district. Enter districts like KA7 or EH1").format(
        value="ZZ9"
    )
    with app.test_request_context(), force_locale("gd"):
        assert translate(message) == (
            "Chan e sgìre còd-puist a th' ann an ZZ9. Cuiribh a-steach sgìrean mar KA7 no EH1"
        )
    with app.test_request_context(), force_locale("en"):
        assert translate(message) == str(message)


def test_values_that_are_messages_themselves_are_translated_too(app: Flask) -> None:
    message = _("Status: {status}").format(status=STATUS_LABELS[Status.APPROVED])
    with app.test_request_context(), force_locale("gd"):
        assert translate(message) == "Status: Aontaichte"  # the template is not in the catalogue


def test_a_list_of_messages_and_a_lower_case_status_are_translated_too(app: Flask) -> None:
    message = _("Status: {status}; {all}").format(
        status=STATUS_LABELS[Status.DECLINED].lower(),
        all=joined(", ", [STATUS_LABELS[Status.APPROVED], "KA7"]),
    )
    assert message == "Status: declined; Approved, KA7"
    with app.test_request_context(), force_locale("gd"):
        assert translate(message) == "Status: air a dhiùltadh; Aontaichte, KA7"


def test_dates_numbers_and_money_follow_the_language(app: Flask) -> None:
    with app.test_request_context(), force_locale("gd"):
        assert format_date(date(2026, 3, 11), "long") == "11mh dhen Mhàrt 2026"
        assert format_decimal(12345) == "12,345"
        assert money(Decimal("18.5")) == "£18.50"
        assert service_labels("personal-care;gardening") == "Cùram pearsanta, Gàirnealaireachd"
    with app.test_request_context(), force_locale("en"):
        assert "March" in format_date(date(2026, 3, 11), "long")
