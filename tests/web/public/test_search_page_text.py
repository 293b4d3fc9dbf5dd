"""The search page's words, looked up once per page: still in the reader's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from flask_babel import force_locale

from cairn.bootstrap.runtime import Runtime
from cairn.web.directory_labels import Labels, availability_labels
from cairn.web.i18n import PageText, gettext, service_labels
from tests.support.directory import listed_provider


@pytest.fixture
def two_listings(runtime: Runtime) -> None:
    listed_provider(
        runtime,
        name="Prestwick Garden Friends",
        postcode="KA9 1LB",
        services=["gardening"],
        availability=["sat-afternoon"],
        price_per_hour=Decimal("14.00"),
    )
    listed_provider(
        runtime,
        name="Alloway Companions",
        postcode="KA7 4RD",
        services=["companionship"],
        availability=["mon-evening"],
        price_per_hour=None,
    )


def partial(client: FlaskClient, language: str) -> str:
    response = client.get(
        "/search?service=gardening", headers={"HX-Request": "true", "Accept-Language": language}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_results_partial_speaks_english(client: FlaskClient, two_listings: None) -> None:
    html = partial(client, "en")
    assert '<dt class="ds_metadata__key">Areas</dt>' in html
    assert '<dd class="ds_metadata__value">Saturday: Afternoons</dd>' in html
    assert '<dd class="ds_metadata__value">£14.00 an hour</dd>' in html
    assert '<p class="ds_search-result__summary">Gardening</p>' in html
    assert (
        'id="count-service-gardening" hx-swap-oob="true">(1<span class="visually-hidden">'
        " provider</span>)</span>" in html
    )
    assert "> providers</span>" in html  # a count of 0


def test_the_results_partial_speaks_gaelic(client: FlaskClient, two_listings: None) -> None:
    html = partial(client, "gd")
    assert '<dt class="ds_metadata__key">Sgìrean</dt>' in html
    assert '<dt class="ds_metadata__key">Cuin</dt>' in html
    assert '<dd class="ds_metadata__value">Disathairne: Feasgaran</dd>' in html
    assert '<dd class="ds_metadata__value">£14.00 san uair</dd>' in html
    assert '<p class="ds_search-result__summary">Gàirnealaireachd</p>' in html
    assert '(1<span class="visually-hidden"> solaraiche</span>)' in html
    # English words must not leak into a Gaelic page through the per-page caches.
    assert "an hour" not in html and ">Areas<" not in html and "Saturday" not in html


def test_a_listing_without_a_price_says_ask_the_provider(
    client: FlaskClient, two_listings: None
) -> None:
    response = client.get("/search?service=companionship", headers={"HX-Request": "true"})
    assert "Ask the provider" in response.get_data(as_text=True)
    response = client.get(
        "/search?service=companionship", headers={"HX-Request": "true", "Accept-Language": "gd"}
    )
    assert "Faighnich dhen t-solaraiche" in response.get_data(as_text=True)


def test_the_remembered_catalogue_follows_a_change_of_locale(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert gettext("Price") == "Price"
        assert Labels()("days", "mon") == "Monday"
        with force_locale("gd"):
            assert gettext("Price") == "Prìs"
            assert Labels()("days", "mon") == "Diluain"
            assert availability_labels(["sat-afternoon"]) == "Disathairne: Feasgaran"
        assert gettext("Price") == "Price"
        assert Labels()("days", "mon") == "Monday"


def test_page_text_gives_what_the_template_functions_give(app: Flask) -> None:
    for language in ("en", "gd"):
        with app.test_request_context(headers={"Accept-Language": language}):
            text = PageText()
            # The translation is trusted, the value put into it escaped: as _() in a template.
            assert text.gettext("£%(price)s an hour", price="<b>") == render_template_string(
                "{{ _('£%(price)s an hour', price=p) }}", p="<b>"
            )
            for count in (0, 1, 2, 5):
                assert text.ngettext("provider", "providers", count) == render_template_string(
                    "{{ ngettext('provider', 'providers', n) }}", n=count
                )


def test_labels_name_services_as_service_labels_does(app: Flask) -> None:
    for language in ("en", "gd"):
        with app.test_request_context(headers={"Accept-Language": language}):
            keys = ["personal-care", "no-such-service", "", "gardening"]
            assert Labels().services(keys) == service_labels(keys)
            assert "no-such-service" in Labels().services(keys)


def test_the_filter_headings_follow_each_readers_language(
    client: FlaskClient, two_listings: None
) -> None:
    # The headings are remembered per language: one reader's must not become another's.
    for _ in range(2):
        english = client.get("/search", headers={"Accept-Language": "en"})
        gaelic = client.get("/search", headers={"Accept-Language": "gd"})
        assert "What help do you need?" in english.get_data(as_text=True)
        assert "Dè an cuideachadh a tha a dhìth oirbh?" in gaelic.get_data(as_text=True)
        assert "What help do you need?" not in gaelic.get_data(as_text=True)


def test_problem_categories_are_named_in_the_readers_language(app: Flask) -> None:
    from cairn.web.provider.routes import provider_vocabulary

    with app.test_request_context(headers={"Accept-Language": "gd"}):
        labels = provider_vocabulary()["category_labels"]
        assert "Chan eil iad ag obair tuilleadh" in labels.values()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        labels = provider_vocabulary()["category_labels"]
        assert "They are no longer operating" in labels.values()
