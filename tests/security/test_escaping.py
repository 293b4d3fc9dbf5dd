"""User text is shown as text: hostile markup comes back escaped on every page that shows it."""

from __future__ import annotations

from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.lifecycle import Status
from cairn.readmodels.directory.queries import providers_by_status
from tests.support.providers import record_current_checks
from tests.support.web import csrf_token

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "{{ 7*7 }} {% raw %}",
    "</textarea><b>bold</b>",
]


def raw_markup_absent(html: str, hostile: str) -> bool:
    """The markup must not appear as markup; escaped, it appears as text."""
    return hostile not in html or hostile.startswith("{{")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markup_in_an_application_is_escaped_everywhere_it_is_shown(
    admin_client: FlaskClient, runtime: Runtime, hostile: str
) -> None:
    # The applicant's text arrives through the domain (the multi-step form is tested elsewhere);
    # what matters here is every page that shows it back.
    done = runtime.app.directory.apply(
        name=f"Care {hostile}"[:120],
        contact_name=f"Pat {hostile}"[:120],
        email="hostile@cairn.example",
        postcode="KA7 1AA",
        services=["gardening"],
    )
    runtime.wait_for(record_current_checks(runtime.app, done.id).position)
    provider_id = UUID(str(providers_by_status(runtime.read_engine, Status.APPLIED, 1).items[0].id))
    assert provider_id == done.id

    pages = [
        admin_client.get("/admin/applications").get_data(as_text=True),
        admin_client.get(f"/admin/providers/{provider_id}").get_data(as_text=True),
    ]
    token = csrf_token(admin_client, f"/admin/providers/{provider_id}")
    approved = admin_client.post(
        f"/admin/providers/{provider_id}/approve",
        data={"version": "3", "csrf_token": token},
        follow_redirects=True,
    )
    approved_html = approved.get_data(as_text=True)
    assert "approved" in approved_html.lower()
    pages.append(approved_html)  # the flash message names the provider
    runtime.wait_for(runtime.app.head())
    pages.append(admin_client.get("/providers").get_data(as_text=True))
    pages.append(admin_client.get(f"/providers/{provider_id}").get_data(as_text=True))
    pages.append(admin_client.get("/search?q=Care").get_data(as_text=True))
    for html in pages:
        assert raw_markup_absent(html, hostile)
        assert "&lt;" in html or "<" not in hostile
        assert "49" not in html.split("Care", 1)[-1][:40]  # no template evaluation


def test_hostile_text_echoed_back_in_a_refused_form_is_escaped(client: FlaskClient) -> None:
    hostile = HOSTILE[1]
    response = client.post(
        "/apply",
        data={"name": hostile, "email": hostile, "csrf_token": csrf_token(client, "/apply")},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert hostile not in html
    assert "&#34;&gt;&lt;img" in html or "&quot;&gt;&lt;img" in html
