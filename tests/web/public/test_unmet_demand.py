"""Searches that find nobody become anonymous evidence for the CIC, when the searcher says so.

Looking never writes: only the "tell the CIC I could not find help" button (a POST with a
CSRF token, so no other site can press it for a visitor) records a signal."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from cairn.bootstrap.runtime import Runtime
from cairn.domain.clock import today
from cairn.domain.enquiries.demand import UnmetDemandSignal
from cairn.domain.errors import DomainError
from cairn.readmodels.enquiries.unmet_demand import unmet_demand
from tests.support.directory import catch_up, listed_provider


def signals(runtime: Runtime) -> list[tuple[str, str, str, str]]:
    catch_up(runtime)
    with runtime.read_engine.connect() as conn:
        rows = conn.execute(select(unmet_demand).order_by(unmet_demand.c.id))
        return [(r.district, r.service, r.days, r.times) for r in rows]


def recorded_events(runtime: Runtime) -> list[dict[str, object]]:
    return [
        vars(e.event)
        for e in runtime.reader.read(0, 1000)
        if isinstance(e.event, UnmetDemandSignal.Recorded)
    ]


def button_form(html: str) -> list[tuple[str, str]] | None:
    """The fields of the "could not find help" form on a results page, or None."""
    match = re.search(r'<form method="post" action="/search/could-not-find".*?</form>', html, re.S)
    if match is None:
        return None
    return [
        (unescape(name), unescape(value))
        for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', match.group(0))
    ]


def tell(client: FlaskClient, query: str, **headers: str) -> int:
    """Search, then press the button as a browser would (its hidden fields and token)."""
    html = client.get("/search?" + query).get_data(as_text=True)
    fields = button_form(html)
    assert fields is not None, "no button on " + query
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post("/search/could-not-find", data=data, headers=headers).status_code


def test_looking_at_an_empty_search_records_nothing(runtime: Runtime, client: FlaskClient) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    before = runtime.app.head()
    for _ in range(3):
        client.get("/search?postcode=KA9+1ZZ&service=gardening")
        client.get("/search?postcode=KA9&service=gardening", headers={"HX-Request": "true"})
    assert runtime.app.head() == before
    assert signals(runtime) == []


def test_the_button_records_only_area_service_and_time(
    runtime: Runtime, client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    query = "postcode=KA9+1ZZ&service=gardening&day=sat&time=morning&q=my+secret+words"
    assert tell(client, query) == 302
    assert signals(runtime) == [("KA9", "gardening", ["sat"], ["morning"])]
    # Nothing typed freely, no full postcode, reaches the log.
    events = runtime.reader.read(0, 1000)
    text = repr([vars(e.event) for e in events if "Unmet" in type(e.event).__qualname__])
    assert "secret" not in text and "1ZZ" not in text


def test_the_button_works_in_place_with_htmx(runtime: Runtime, client: FlaskClient) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    html = client.get("/search?postcode=KA9&service=gardening").get_data(as_text=True)
    fields = dict(button_form(html) or [])
    response = client.post("/search/could-not-find", data=fields, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="could-not-find"' in page and "<html" not in page
    assert len(signals(runtime)) == 1


def test_no_button_and_no_signal_for_searches_with_results_or_without_an_area(
    runtime: Runtime, client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    assert button_form(client.get("/search?postcode=KA7").get_data(as_text=True)) is None
    assert button_form(client.get("/search?service=gardening").get_data(as_text=True)) is None
    # Posting a search that does find someone, by hand, records nothing either.
    token_page = client.get("/search?postcode=KA9&service=gardening").get_data(as_text=True)
    token = dict(button_form(token_page) or [])["csrf_token"]
    client.post("/search/could-not-find", data={"postcode": "KA7", "csrf_token": token})
    assert signals(runtime) == []


def test_without_a_token_nothing_is_recorded(runtime: Runtime, client: FlaskClient) -> None:
    """Another site cannot press the button for a visitor."""
    response = client.post("/search/could-not-find", data={"postcode": "KA9"})
    assert response.status_code == 400
    assert signals(runtime) == []


def test_one_need_counts_once_per_session(runtime: Runtime, client: FlaskClient) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    for _ in range(3):
        tell(client, "postcode=KA9&service=gardening")
    assert len(signals(runtime)) == 1


def test_typing_a_postcode_then_ticking_boxes_records_one_need(
    runtime: Runtime, client: FlaskClient
) -> None:
    """The live search's requests, keystroke by keystroke, never record; pressing the button
    again after each tick is still the one person's one need in that district."""
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    live = {"HX-Request": "true"}
    for typed in ("K", "KA", "KA1", "KA19"):
        client.get(f"/search?postcode={typed}&service=gardening", headers=live)
    assert signals(runtime) == []
    assert tell(client, "postcode=KA19&service=gardening") == 302
    client.get("/search?postcode=KA19&service=gardening&service=shopping-errands", headers=live)
    tell(client, "postcode=KA19&service=gardening&service=shopping-errands")
    tell(client, "postcode=KA19&service=gardening&service=shopping-errands&day=mon")
    assert signals(runtime) == [("KA19", "gardening", [], [])]


def test_a_district_the_geo_data_does_not_know_records_nothing(
    runtime: Runtime, client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    token = dict(button_form(client.get("/search?postcode=KA9&service=gardening").text) or [])
    for typed in ("KA99", "KA1 9", "ZZ9"):
        client.post(
            "/search/could-not-find",
            data={"postcode": typed, "service": "gardening", "csrf_token": token["csrf_token"]},
        )
    assert signals(runtime) == []
    with pytest.raises(DomainError, match="KA99"):
        runtime.app.enquiries.record_unmet_demand(district="KA99", services=["gardening"])


def test_the_words_are_kept_only_as_the_services_they_mean(
    runtime: Runtime, client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    assert tell(client, "postcode=KA9&q=hoovering+for+my+mum+Mrs+Smith+at+12+Main+St") == 302
    assert signals(runtime) == [("KA9", "domestic-help", [], [])]
    (event,) = recorded_events(runtime)
    assert event["word_services"] == ["domestic-help"]
    assert "Smith" not in repr(event) and "hoovering" not in repr(event)


def test_the_hour_of_the_search_is_kept(runtime: Runtime, client: FlaskClient) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    tell(client, "postcode=KA9&service=gardening&day=sat&time=evening")
    catch_up(runtime)
    with runtime.read_engine.connect() as conn:
        row = conn.execute(select(unmet_demand)).one()
    (event,) = recorded_events(runtime)
    stamp = event["timestamp"]
    assert isinstance(stamp, datetime)
    assert row.recorded_at.replace(tzinfo=UTC) == stamp.replace(minute=0, second=0, microsecond=0)
    assert (row.days, row.times) == (["sat"], ["evening"])


def test_signals_are_bounded_per_address(runtime: Runtime, app: Flask) -> None:
    """New sessions do not get round the bound: it is per address, in the shared store."""
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    for n in range(8):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10.9.9.9"
        tell(client, f"postcode=KA{10 + n}&service=gardening")
    # The form's own limit (5 a minute per address) stops the rest.
    assert len(signals(runtime)) == 5


def test_admins_see_demand_by_district_and_service_beside_coverage(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA9 1AA", services=["personal-care"])
    tell(admin_client, "postcode=KA9&service=gardening")
    tell(admin_client, "postcode=KA9&service=gardening&day=mon")
    catch_up(runtime)
    html = admin_client.get("/admin/unmet-demand").get_data(as_text=True)
    assert "KA9" in html and "Gardening" in html
    assert "/learning/reflections/new?signal=" in html
    assert "Listed now" in html


def test_the_admin_page_shows_searches_by_month_as_a_table_and_a_chart(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    runtime.app.enquiries.record_unmet_demand(district="KA9", services=["gardening", "transport"])
    runtime.app.enquiries.record_unmet_demand(district="KA26")
    # A signal from before districts were checked against the geo data is not counted.
    runtime.app.record(UnmetDemandSignal(district="ZZ9", services=(), days=(), times=()))
    catch_up(runtime)
    html = admin_client.get("/admin/unmet-demand?months=3").get_data(as_text=True)
    this_month = today(runtime.app.clock).strftime("%Y-%m")
    trend = re.search(r'<caption id="trend-caption">.*?</table>', html, re.S)
    assert trend is not None
    by_month = r'<th scope="row">([0-9-]+)</th><td>(\d+)</td><td>(\d+)</td>'
    rows = re.findall(by_month, trend.group(0))
    assert rows[-1] == (this_month, "2", "2")  # two searches, two districts: each once
    assert len(rows) >= 3 and all(r[1] == "0" for r in rows[:-1])
    assert '<svg class="cairn-chart" role="img"' in html and '<title id="trend-title">' in html
    assert "ZZ9" not in html


def test_the_page_is_for_admins_only(client: FlaskClient) -> None:
    assert client.get("/admin/unmet-demand").status_code == 302
