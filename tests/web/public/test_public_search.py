"""Finding help: the search page, its filters and facet counts, and provider profiles."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import applied_provider, approve, catch_up, listed_provider
from tests.support.providers import record_current_checks


def page(client: FlaskClient, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def result_names(html: str) -> list[str]:
    return re.findall(r'class="ds_search-result__link"[^>]*>([^<]+)</a>', html)


def count_of(html: str, param: str, value: str) -> int:
    match = re.search(rf'id="count-{param}-{value}"[^>]*>\((\d+)', html)
    assert match, f"no count for {param}={value}"
    return int(match.group(1))


@pytest.fixture
def ayrshire(runtime: Runtime) -> dict[str, object]:
    return {
        "heathfield": listed_provider(
            runtime,
            name="Heathfield Home Help",
            postcode="KA7 3PQ",
            areas_covered=["KA8"],
            services=["personal-care", "domestic-help"],
            description="Help with washing, dressing and getting up in the morning.",
            availability=["mon-morning", "tue-morning"],
            sds_options=["1", "2"],
            languages=["en"],
            price_per_hour=Decimal("19.00"),
        ),
        "gardens": listed_provider(
            runtime,
            name="Prestwick Garden Friends",
            postcode="KA9 1LB",
            services=["gardening"],
            description="Lawns, hedges and growing vegetables.",
            availability=["sat-afternoon"],
            sds_options=["3"],
            languages=["en"],
            price_per_hour=Decimal("14.00"),
        ),
        "gaelic": listed_provider(
            runtime,
            name="Alloway Companions",
            postcode="KA7 4RD",
            services=["companionship"],
            description="A cup of tea and a blether, walks and outings.",
            availability=["mon-evening"],
            sds_options=["1"],
            languages=["en", "gd"],
            price_per_hour=None,
        ),
    }


def test_the_search_page_lists_every_visible_provider_by_default(
    client: FlaskClient, ayrshire: dict[str, object]
) -> None:
    html = page(client, "/search")
    assert sorted(result_names(html)) == [
        "Alloway Companions",
        "Heathfield Home Help",
        "Prestwick Garden Friends",
    ]
    assert "3 providers found" in html
    assert 'id="results-count" data-announce' in html  # read out after each htmx update
    assert '<button type="submit" class="ds_button">Search</button>' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=washing", ["Heathfield Home Help"]),
        ("q=wash", ["Heathfield Home Help"]),  # stemmed
        ("q=gardning", ["Prestwick Garden Friends"]),  # a typo still finds it
        ("q=cleaning", ["Heathfield Home Help"]),  # through the service type's description
        # KA9 is 3.6 miles from KA7: within the default 10 miles.
        (
            "postcode=KA7+1AA",
            ["Alloway Companions", "Heathfield Home Help", "Prestwick Garden Friends"],
        ),
        ("postcode=KA10&within=5", ["Prestwick Garden Friends"]),  # KA9 4 miles, KA8 5.6
        ("service=gardening", ["Prestwick Garden Friends"]),
        (
            "service=gardening&service=companionship",
            ["Alloway Companions", "Prestwick Garden Friends"],
        ),
        ("day=mon", ["Alloway Companions", "Heathfield Home Help"]),
        ("day=mon&time=evening", ["Alloway Companions"]),
        ("sds=3", ["Prestwick Garden Friends"]),
        ("language=gd", ["Alloway Companions"]),
    ],
)
def test_each_filter_narrows_the_results(
    client: FlaskClient, ayrshire: dict[str, object], query: str, expected: list[str]
) -> None:
    assert sorted(result_names(page(client, f"/search?{query}"))) == expected


def test_sorting_by_name_and_by_price(client: FlaskClient, ayrshire: dict[str, object]) -> None:
    assert result_names(page(client, "/search?sort=name")) == [
        "Alloway Companions",
        "Heathfield Home Help",
        "Prestwick Garden Friends",
    ]
    # Cheapest first; a provider with no price comes last.
    assert result_names(page(client, "/search?sort=price")) == [
        "Prestwick Garden Friends",
        "Heathfield Home Help",
        "Alloway Companions",
    ]


def test_relevance_puts_a_name_match_above_a_passing_mention(
    runtime: Runtime, client: FlaskClient
) -> None:
    listed_provider(runtime, name="Dog Walkers of Ayr", services=["pet-care"], description="Walks.")
    listed_provider(
        runtime,
        name="Ayr Home Help",
        services=["domestic-help"],
        description="Cleaning, and we can also take the dog out if asked.",
    )
    assert result_names(page(client, "/search?q=dog"))[0] == "Dog Walkers of Ayr"


def test_facet_counts_say_how_many_each_choice_would_give(
    client: FlaskClient, ayrshire: dict[str, object]
) -> None:
    html = page(client, "/search?postcode=KA10&within=20")
    assert count_of(html, "service", "personal-care") == 1
    assert count_of(html, "service", "gardening") == 1
    assert count_of(html, "day", "mon") == 2
    assert count_of(html, "language", "gd") == 1
    html = page(client, "/search?postcode=KA10&within=5")  # only KA9, 4 miles away
    assert count_of(html, "service", "personal-care") == 0
    assert count_of(html, "day", "sat") == 1
    # With one service ticked, another's count is what ticking it too gives: any of them.
    html = page(client, "/search?service=companionship")
    assert count_of(html, "service", "companionship") == 1
    assert count_of(html, "service", "gardening") == 2
    assert sorted(
        result_names(page(client, "/search?service=companionship&service=gardening"))
    ) == [
        "Alloway Companions",
        "Prestwick Garden Friends",
    ]
    # All of them: a second service narrows instead.
    html = page(client, "/search?service=companionship&service_match=all")
    assert count_of(html, "service", "gardening") == 0
    assert count_of(html, "day", "sat") == 0


def test_an_htmx_request_gets_only_the_results_and_out_of_band_counts(
    client: FlaskClient, ayrshire: dict[str, object]
) -> None:
    html = page(client, "/search?q=garden", **{"HX-Request": "true"})
    assert "<html" not in html
    assert result_names(html) == ["Prestwick Garden Friends"]
    assert 'hx-swap-oob="true"' in html
    assert 'id="search-form"' not in html


def test_pagination_walks_through_every_result(runtime: Runtime, client: FlaskClient) -> None:
    for n in range(23):
        applied = applied_provider(runtime, name=f"Helper {n:02d}")
        approve(runtime, applied.id)
    catch_up(runtime)
    first = page(client, "/search?sort=name")
    second = page(client, "/search?sort=name&page=2")
    assert len(result_names(first)) == 20
    assert result_names(second) == ["Helper 20", "Helper 21", "Helper 22"]
    assert "Page 2 of 2" in second
    assert 'rel="next"' in first and 'href="/search?sort=name&amp;page=2"' in first


@pytest.mark.parametrize(
    "query",
    [
        "q=%22",
        "q=(",
        "q=AND+OR",
        "q=" + "x" * 5000,
        "q=title:%5Bfoo+TO%5D",
        "postcode=NOT+A+POSTCODE",
        "service=plumbing",
        "day=funday&time=teatime&sds=9&language=zz",
        "page=-1",
        "page=99999999999999999999",
        "page=abc&sort=random",
        "per_page=10000",
    ],
)
def test_bad_input_never_fails(
    client: FlaskClient, ayrshire: dict[str, object], query: str
) -> None:
    response = client.get(f"/search?{query}")
    assert response.status_code == 200


def test_a_nul_in_the_query_is_refused_with_the_sites_error_page(
    client: FlaskClient, ayrshire: dict[str, object]
) -> None:
    # No link or form sends a NUL; PostgreSQL text cannot hold one (webapp/security.py).
    response = client.get("/search?postcode=%00")
    assert response.status_code == 400
    assert "<h1" in response.get_data(as_text=True)


def test_bad_input_gets_a_helpful_message(client: FlaskClient, ayrshire: dict[str, object]) -> None:
    html = page(client, "/search?postcode=NOTAPOSTCODE&service=plumbing")
    assert "We could not find a place in Scotland called “NOTAPOSTCODE”" in html
    assert "We do not list a service called “plumbing”" in html
    assert result_names(html) == []  # a place we cannot find is never every provider


def test_an_empty_search_suggests_what_to_drop(
    client: FlaskClient, ayrshire: dict[str, object]
) -> None:
    html = page(client, "/search?postcode=KA10&within=5&service=personal-care")
    assert "No providers found" in html
    assert "search all of Scotland, not just near KA10" in html
    assert "remove “Personal care”" in html


def test_the_nav_links_to_search_and_the_old_list_still_works(client: FlaskClient) -> None:
    assert 'href="/search"' in page(client, "/")
    assert client.get("/providers").status_code == 200


def test_a_profile_shows_what_where_when_price_and_checks(
    runtime: Runtime, client: FlaskClient, ayrshire: dict[str, object]
) -> None:
    html = page(client, f"/providers/{ayrshire['heathfield']}")
    for text in (
        "Heathfield Home Help",
        "Personal care, Help at home",
        "Based in KA7. Covers KA7, KA8.",
        "Monday, Tuesday: Mornings",
        "£19.00 an hour",
        "Option 1: a direct payment",
        "English",
        "PVG",
        "Insurance",
        "Last confirmed",
        "directory-print.css",
        "Send Heathfield Home Help a message",
    ):
        assert text in html, text


@pytest.mark.parametrize("state", ["pending", "declined", "unknown"])
def test_a_profile_of_a_provider_not_listed_is_not_found(
    runtime: Runtime, client: FlaskClient, state: str
) -> None:
    import uuid

    if state == "unknown":
        provider_id = uuid.uuid4()
    else:
        provider_id = applied_provider(runtime, name=f"Hidden {state}").id
        if state == "declined":
            runtime.app.directory.decline(provider_id, by=uuid.uuid4(), reason="No")
        catch_up(runtime)
    assert client.get(f"/providers/{provider_id}").status_code == 404
    assert client.get("/search?q=hidden").get_data(as_text=True).count("Hidden") == 0


def test_an_approval_shows_in_search_straight_after_the_command(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    applied = applied_provider(runtime, name="Brand New Help")
    runtime.wait_for(record_current_checks(runtime.app, applied.id).position)
    html = admin_client.get(f"/admin/providers/{applied.id}").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert version and token
    response = admin_client.post(
        f"/admin/providers/{applied.id}/approve",
        data={"version": version.group(1), "csrf_token": token.group(1)},
    )
    assert response.status_code == 302
    # No catch-up here: the approval waited for the index (read-your-writes).
    assert "Brand New Help" in result_names(page(admin_client, "/search?q=brand"))


def test_the_services_filter_offers_any_of_or_all_of(
    client: FlaskClient, ayrshire: dict[str, object]
) -> None:
    html = page(client, "/search?service=companionship")
    assert re.search(r'id="service-match-any"[^>]*checked', html)
    html = page(client, "/search?service=companionship&service=gardening&service_match=all")
    assert re.search(r'id="service-match-all"[^>]*checked', html)
    assert "0 providers found" in html or "No providers found" in html
    # The choice is kept in every link the page makes (here: dropping one service).
    assert "service_match=all" in html


def test_days_and_times_say_what_they_mean_together(
    client: FlaskClient, ayrshire: dict[str, object]
) -> None:
    html = page(client, "/search")
    assert "With a time of day, we show who can come at that time on these days" in html
    assert sorted(result_names(page(client, "/search?day=tue&time=evening"))) == []
    assert sorted(result_names(page(client, "/search?day=mon&time=morning"))) == [
        "Heathfield Home Help"
    ]


def test_the_chosen_filters_are_shown_in_the_filters_order(
    client: FlaskClient, ayrshire: dict[str, object]
) -> None:
    html = page(client, "/search?time=evening&day=mon&service=companionship")
    titles = re.findall(r'class="ds_facet__group-title">([^<]+)</dt>', html)
    assert titles == ["What help do you need?", "Which days?", "What time of day?"]
