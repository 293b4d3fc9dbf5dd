"""Applying online as a browser would: every step of the form, in a client of its own."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.support.web import PASSWORD, csrf_token

BUSINESS = {
    "name": "Carrick Care Companions",
    "contact_name": "Isla A.",
    "email": "hello@carrick.example",
    "phone": "01292 500000",
    "postcode": "ka71aa",
}
STEPS: dict[str, dict[str, Any]] = {
    "services": {"services": ["companionship", "respite"], "areas_covered": "KA7 ka8"},
    "availability": {
        "slots": ["mon-morning", "tue-morning"],
        "price_per_hour": "18.5",
        "sds_options": ["1", "2"],
    },
    "about": {
        "description": "Friendly <b>companionship</b> around Ayr.",
        "languages": "en gd",
        "website": "https://carrick.example",
    },
    "consent": {"consent": "y"},
}


def post(client: FlaskClient, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)}, **kwargs)


def start(client: FlaskClient, **business: str) -> Any:
    """The first step, then signing in with the new password as the applicant is asked to
    (the first step answers the same for every email, so it cannot sign anyone in)."""
    data = {**BUSINESS, **business, "password": PASSWORD, "confirm": PASSWORD}
    response = post(client, "/apply", data)
    if response.status_code == 302 and response.location.endswith("/apply/started"):
        signed_in = post(client, "/sign-in", {"email": data["email"], "password": PASSWORD})
        assert signed_in.status_code == 302, signed_in.get_data(as_text=True)
    return response


def apply_online(client: FlaskClient, send: bool = True, **business: str) -> str:
    """The whole application; returns the last page's HTML."""
    response = start(client, **business)
    assert response.status_code == 302, response.get_data(as_text=True)
    for step, data in STEPS.items():
        response = post(client, f"/apply/{step}", data)
        assert response.status_code == 302, response.get_data(as_text=True)
    if not send:
        return str(client.get("/apply/check").get_data(as_text=True))
    response = post(client, "/apply/check", {}, follow_redirects=True)
    return str(response.get_data(as_text=True))


def listing_form(**changes: Any) -> dict[str, Any]:
    """The edit form as the applicant sent it at first, with some details changed."""
    return {
        "name": BUSINESS["name"],
        "contact_name": BUSINESS["contact_name"],
        "phone": BUSINESS["phone"],
        "postcode": "KA7 1AA",
        "services": STEPS["services"]["services"],
        "areas_covered": "KA7 KA8",
        "slots": STEPS["availability"]["slots"],
        "price_per_hour": "18.50",
        "sds_options": STEPS["availability"]["sds_options"],
        "description": STEPS["about"]["description"],
        "description_language": "en",
        "languages": "en gd",
        "website": "https://carrick.example",
        **changes,
    }
