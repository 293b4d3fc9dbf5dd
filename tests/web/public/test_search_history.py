"""Every search is an address the browser can keep: fragments are marked as such (Vary, never
stored), htmx learns the address of each state, and a profile's "Back to search" goes back to
the search the person came from."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import listed_provider

HTMX = {"HX-Request": "true", "HX-Target": "search-results"}


@pytest.fixture
def gardener(runtime: Runtime) -> str:
    return str(
        listed_provider(
            runtime,
            name="Troon Garden Friends",
            postcode="KA10 6AA",
            services=["gardening"],
            description="Lawns and hedges.",
            availability=["sat-afternoon"],
        )
    )


def _vary(response: object) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("Vary", "").split(",")}  # type: ignore[attr-defined]


def test_the_full_page_and_the_fragment_say_they_differ_by_htmx(client: FlaskClient) -> None:
    page = client.get("/search?q=garden")
    fragment = client.get("/search?q=garden", headers=HTMX)
    assert "<html" in page.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    for response in (page, fragment):
        assert "hx-request" in _vary(response)


def test_a_fragment_is_never_stored_but_the_page_may_be(client: FlaskClient) -> None:
    fragment = client.get("/search?q=garden", headers=HTMX)
    assert "no-store" in fragment.headers.get("Cache-Control", "")
    page = client.get("/search?q=garden")
    assert "no-store" not in page.headers.get("Cache-Control", "")


def test_htmx_is_told_the_tidy_address_of_the_search(client: FlaskClient) -> None:
    response = client.get(
        "/search?q=garden&postcode=&sort=relevance&service=gardening&page=2", headers=HTMX
    )
    pushed = response.headers["HX-Push-Url"]
    assert urlsplit(pushed).path == "/search"
    assert parse_qs(urlsplit(pushed).query) == {
        "q": ["garden"],
        "service": ["gardening"],
        "page": ["2"],
    }


@pytest.mark.parametrize(
    "headers",
    [
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
        {"HX-Request": "true", "HX-Target": "main-content"},
        {"HX-Request": "true", "HX-Boosted": "true"},
    ],
    ids=["history-restore", "another-region", "boosted"],
)
def test_htmx_asking_for_more_than_the_results_gets_the_whole_page(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.get("/search?q=garden", headers=headers)
    body = response.get_data(as_text=True)
    assert "<html" in body and 'id="search-form"' in body
    assert "no-store" in response.headers.get("Cache-Control", "")


def _profile_links(body: str) -> list[str]:
    return [
        html_lib.unescape(href)
        for href in re.findall(r'class="ds_search-result__link" href="([^"]+)"', body)
    ]


def _back_links(body: str) -> list[str]:
    return [
        html_lib.unescape(href)
        for href in re.findall(r'<a class="ds_back-link" href="([^"]+)"', body)
        + re.findall(r'<p class="cairn-back"><a href="([^"]+)"', body)
    ]


def test_back_to_search_returns_to_the_search_the_profile_was_opened_from(
    client: FlaskClient, gardener: str
) -> None:
    body = client.get("/search?q=lawns&postcode=KA10&service=gardening&sort=name").get_data(
        as_text=True
    )
    (link,) = _profile_links(body)
    assert link.startswith(f"/providers/{gardener}?from=")

    profile = client.get(link).get_data(as_text=True)
    backs = _back_links(profile)
    assert len(backs) == 2 and len(set(backs)) == 1
    back = urlsplit(backs[0])
    assert back.path == "/search"
    assert parse_qs(back.query) == {
        "q": ["lawns"],
        "postcode": ["KA10"],
        "service": ["gardening"],
        "sort": ["name"],
    }
    # The form on the page it leads to is filled in again.
    search_again = client.get(backs[0]).get_data(as_text=True)
    assert 'name="q" value="lawns"' in search_again
    assert re.search(r'value="gardening"[^>]* checked', search_again)


def test_the_enquiry_form_carries_the_search_on(client: FlaskClient, gardener: str) -> None:
    profile = client.get(f"/providers/{gardener}?from=q%3Dlawns").get_data(as_text=True)
    action = re.search(r'action="(/providers/[^"]+/enquiries[^"]*)"', profile)
    assert action and "from=q%3Dlawns" in html_lib.unescape(action.group(1))


@pytest.mark.parametrize(
    "from_value",
    [
        "https://evil.example/search?q=x",
        "//evil.example",
        "javascript:alert(1)",
        "q=" + "x" * 5000,
    ],
)
def test_back_to_search_never_leads_off_the_site(
    client: FlaskClient, gardener: str, from_value: str
) -> None:
    profile = client.get(f"/providers/{gardener}", query_string={"from": from_value})
    assert profile.status_code == 200
    for back in _back_links(profile.get_data(as_text=True)):
        parts = urlsplit(back)
        assert parts.scheme == "" and parts.netloc == "" and parts.path == "/search"
        assert "evil" not in back and "javascript" not in back


def test_a_profile_opened_directly_goes_back_to_a_new_search(
    client: FlaskClient, gardener: str
) -> None:
    backs = _back_links(client.get(f"/providers/{gardener}").get_data(as_text=True))
    assert backs == ["/search", "/search"]


def _tags(body: str) -> dict[str, str]:
    """The chosen filters' tags: each remove link's words -> where it goes."""
    return dict(
        (html_lib.unescape(label), html_lib.unescape(href))
        for href, label in re.findall(
            r'class="ds_facet__button" href="([^"]+)"'
            r'.*?<span class="visually-hidden">([^<]+)</span>',
            body,
            flags=re.S,
        )
    )


def test_chosen_filters_are_tags_that_drop_themselves(client: FlaskClient, gardener: str) -> None:
    tags = _tags(client.get("/search?service=gardening&day=sat").get_data(as_text=True))
    assert len(tags) == 2
    drops = [parse_qs(urlsplit(href).query) for href in tags.values()]
    assert {"service": ["gardening"]} in drops and {"day": ["sat"]} in drops
    assert all(urlsplit(href).path == "/search" for href in tags.values())


def test_leaving_out_the_full_providers_is_a_tag_too(client: FlaskClient, gardener: str) -> None:
    body = client.get("/search?q=lawn&service=gardening&open=1").get_data(as_text=True)
    # Worded as the checkbox is, under its question.
    label = re.search(r'<label class="ds_checkbox__label" for="f-open">([^<]+)</label>', body)
    assert label and label.group(1) == "Leave out providers who are full"
    assert re.search(
        r'class="ds_facet__group-title">Taking on new people\?</dt>\s*'
        r'<dd class="ds_facet-wrapper"><span class="ds_facet">Leave out providers who are full\s',
        body,
    )
    drop = _tags(body)["Remove the “Leave out providers who are full” filter"]
    assert urlsplit(drop).path == "/search"
    assert parse_qs(urlsplit(drop).query) == {"q": ["lawn"], "service": ["gardening"]}
    clear = re.search(r'class="ds_facets__clear-button[^"]*" href="([^"]+)"', body)
    assert clear and parse_qs(urlsplit(html_lib.unescape(clear.group(1))).query) == {"q": ["lawn"]}

    alone = _tags(client.get("/search?open=1").get_data(as_text=True))
    assert alone == {"Remove the “Leave out providers who are full” filter": "/search"}
    assert _tags(client.get("/search?service=gardening").get_data(as_text=True)).keys() == {
        "Remove the “Gardening” filter"
    }


def test_a_search_with_a_problem_says_error_in_its_title(client: FlaskClient) -> None:
    body = client.get("/search?service=flying").get_data(as_text=True)
    title = re.search(r"<title>([^<]+)</title>", body)
    assert title and title.group(1).startswith("Error: ")
    clean = client.get("/search?service=gardening").get_data(as_text=True)
    assert "<title>Error" not in clean


def test_an_error_page_says_error_and_takes_the_whole_page_from_htmx(client: FlaskClient) -> None:
    missing = "/providers/00000000-0000-4000-8000-000000000000"
    plain = client.get(missing)
    assert plain.status_code == 404
    assert re.search(r"<title>Error: Page not found", plain.get_data(as_text=True))
    assert "HX-Retarget" not in plain.headers

    from_htmx = client.get(missing, headers={"HX-Request": "true"})
    assert from_htmx.status_code == 404
    assert from_htmx.headers["HX-Retarget"] == "body"
    assert "no-store" in from_htmx.headers.get("Cache-Control", "")
    assert "hx-request" in _vary(from_htmx)
