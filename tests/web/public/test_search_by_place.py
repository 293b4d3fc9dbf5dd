"""Searching by postcode, town or council area: distances, the radius, named nearby districts,
and clear messages (and no unmet-demand signal) for places we cannot use."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import listed_provider


def page(client: FlaskClient, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def result_names(html: str) -> list[str]:
    return re.findall(r'class="ds_search-result__link"[^>]*>([^<]+)</a>', html)


@pytest.fixture
def ayrshire(runtime: Runtime) -> None:
    listed_provider(
        runtime, name="Ayr Shopping Help", postcode="KA7 1AA", services=["shopping-errands"]
    )
    listed_provider(
        runtime, name="Prestwick Errands", postcode="KA9 1AA", services=["shopping-errands"]
    )
    listed_provider(runtime, name="Troon Company", postcode="KA10 6AA", services=["companionship"])


def test_the_box_is_labelled_postcode_or_town(client: FlaskClient) -> None:
    assert '<label class="ds_label" for="postcode">Postcode or town</label>' in page(
        client, "/search"
    )


def test_a_postcode_shows_distance_and_town_nearest_first(
    client: FlaskClient, ayrshire: None
) -> None:
    html = page(client, "/search?postcode=KA8+0AA")
    assert result_names(html) == ["Ayr Shopping Help", "Prestwick Errands", "Troon Company"]
    assert "Less than a mile away" not in html
    assert "About 2 miles away: Prestwick (KA9)" in html
    assert "About 6 miles away: Troon (KA10)" in html
    assert "within 10 miles of KA8" in html
    assert '<option value="" selected>Nearest first</option>' in html


def test_a_town_and_its_gaelic_name_search_the_same(client: FlaskClient, ayrshire: None) -> None:
    english = page(client, "/search?postcode=Ayr&within=5")
    gaelic = page(client, "/search?postcode=Inbhir+%C3%80ir&within=5")
    assert (
        result_names(english) == result_names(gaelic) == ["Ayr Shopping Help", "Prestwick Errands"]
    )
    assert "In the area you searched: Ayr (KA7)" in english


def test_an_ambiguous_name_asks_which_with_links(client: FlaskClient, ayrshire: None) -> None:
    html = page(client, "/search?postcode=Stirling")
    assert "More than one place is called “Stirling”. Which one?" in html
    assert 'href="/search?postcode=Stirling%2C+Stirling"' in html
    assert "Stirling council area</a>" in html
    assert result_names(html) == []


def test_nobody_near_offers_named_districts_with_counts_as_links(
    client: FlaskClient, ayrshire: None
) -> None:
    html = page(client, "/search?postcode=KA19&within=5&service=shopping-errands")
    assert "Nearest places with providers" in html
    assert re.search(
        r'<a href="[^"]*postcode=KA7[^"]*">KA7 Ayr</a>, 1 provider, about 7 miles', html
    )
    assert re.search(r">KA9 Prestwick</a>, 1 provider, about 11 miles", html)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("KA99", "We do not know the postcode district KA99"),
        ("XX1 1AA", "We do not know the postcode district XX1"),
        ("Carlisle", "“Carlisle” is not in Scotland"),
        ("CA1 1AA", "“CA1 1AA” is not in Scotland"),
        ("Atlantis", "We could not find a place in Scotland called “Atlantis”"),
        ("Prestwik", "Did you mean:"),
        ("KA7 1A", "is not a postcode we can read"),
    ],
)
def test_a_place_we_cannot_use_gets_a_message_never_every_provider_nor_the_cic_button(
    client: FlaskClient, ayrshire: None, typed: str, message: str
) -> None:
    html = page(client, f"/search?postcode={typed}&service=gardening")
    assert message in html
    assert result_names(html) == []
    assert "/search/could-not-find" not in html  # no unmet demand for a place that is not one


def test_the_attribution_for_the_district_data_is_on_every_page(client: FlaskClient) -> None:
    assert "Contains OS data © Crown copyright and database right" in page(client, "/")


def test_the_gaelic_page_names_the_place_in_gaelic(client: FlaskClient, ayrshire: None) -> None:
    html = page(client, "/search?postcode=Ayr&within=5", **{"Accept-Language": "gd"})
    assert "Còd-puist no baile" in html
    assert "taobh a-staigh 5 mìltean de Inbhir Àir" in html
