"""Searches that find nobody become anonymous evidence for the CIC."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from projections.unmet_demand import unmet_demand
from tests.directory.conftest import catch_up, listed_provider
from webapp.runtime import Runtime


def signals(runtime: Runtime) -> list[tuple[str, str, str, str]]:
    catch_up(runtime)
    with runtime.read_engine.connect() as conn:
        rows = conn.execute(select(unmet_demand).order_by(unmet_demand.c.id))
        return [(r.district, r.service, r.days, r.times) for r in rows]


def test_an_empty_search_with_an_area_records_only_area_service_and_time(
    runtime: Runtime, client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    client.get("/search?postcode=KA9+1ZZ&service=gardening&day=sat&time=morning&q=my+secret+words")
    assert signals(runtime) == [("KA9", "gardening", "sat", "morning")]
    # Nothing typed freely, no full postcode, reaches the log.
    events = runtime.reader.read(0, 1000)
    text = repr([vars(e.event) for e in events if "Unmet" in type(e.event).__qualname__])
    assert "secret" not in text and "1ZZ" not in text


def test_searches_with_results_or_without_an_area_record_nothing(
    runtime: Runtime, client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["personal-care"])
    client.get("/search?postcode=KA7")
    client.get("/search?service=gardening")
    assert signals(runtime) == []


def test_refining_one_search_counts_once(runtime: Runtime, client: FlaskClient) -> None:
    for _ in range(3):
        client.get("/search?postcode=KA9&service=gardening", headers={"HX-Request": "true"})
    assert len(signals(runtime)) == 1


def test_admins_see_demand_by_district_and_service_beside_coverage(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA9 1AA", services=["personal-care"])
    admin_client.get("/search?postcode=KA9&service=gardening")
    admin_client.get("/search?postcode=KA9&service=gardening&day=mon")
    catch_up(runtime)
    html = admin_client.get("/admin/unmet-demand").get_data(as_text=True)
    assert "KA9" in html and "Gardening" in html
    assert "/learning/reflections/new?signal=" in html
    assert "Listed now" in html


def test_the_page_is_for_admins_only(client: FlaskClient) -> None:
    assert client.get("/admin/unmet-demand").status_code == 302
