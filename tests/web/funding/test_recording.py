"""Recording funding on the web, as a CIC administrator: each form saves what it should, and
bad input (a negative amount, an allocation outside the fund's period, a half-filled fund
line) is refused with a message and nothing saved."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.funding.commitment import Commitment
from cairn.domain.funding.fund import Fund
from cairn.domain.funding.tiers import SupportTiers
from cairn.readmodels.funding import queries as fq
from cairn.web import funding_words
from cairn.web.admin.audit_text import what_happened
from tests.support.funding import THIS_YEAR, funding_world
from tests.support.learning import People, days_ago
from tests.support.web import csrf_token, sign_in


@pytest.fixture
def lead(client: FlaskClient, people: People) -> FlaskClient:
    sign_in(client, "admin@cic.example")
    return client


def boxes(name: str, day: date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def post(client: FlaskClient, path: str, prefix: str = "", **fields: object) -> tuple[int, str]:
    token_name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    data = {token_name: csrf_token(client), **fields}
    response = client.post(path, data=data, follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_lead_records_a_three_year_fund_in_uk_dates(lead: FlaskClient, runtime: Runtime) -> None:
    status, html = post(
        lead,
        "/funding/record/funds/new",
        funder="North Lanarkshire ADP",
        name="Test and learn fund",
        restricted="y",
        **boxes("starts_on", date(THIS_YEAR, 4, 1)),
        **boxes("ends_on", date(THIS_YEAR + 3, 3, 31)),
    )
    assert status == 200 and "The fund is recorded" in html
    [fund] = fq.funds(runtime.read_engine)
    assert fund.starts_on == date(THIS_YEAR, 4, 1) and fund.restricted
    assert "Recorded a fund" in text_of(html)  # its history


def test_a_fund_with_a_wrong_date_keeps_what_was_typed_and_saves_nothing(
    lead: FlaskClient, runtime: Runtime
) -> None:
    head = runtime.app.head()
    status, html = post(
        lead,
        "/funding/record/funds/new",
        funder="North Lanarkshire ADP",
        name="Test and learn fund",
        **boxes("starts_on", date(THIS_YEAR, 4, 1)),
        **{"ends_on-day": "31", "ends_on-month": "2", "ends_on-year": "2029"},
    )
    assert status == 400 and "There is a problem" in html
    assert 'value="31"' in html and 'value="North Lanarkshire ADP"' in html
    assert runtime.app.head() == head


def test_an_allocation_outside_the_period_is_refused_with_a_message(
    lead: FlaskClient, runtime: Runtime, people: People
) -> None:
    world = funding_world(runtime, people)
    path = f"/funding/record/funds/{world.small_fund}/allocations"
    head = runtime.app.head()
    # The small fund covers one year; a form opened before a correction may send another.
    status, html = post(
        lead,
        path,
        "allocation",
        **{"allocation-tier": str(world.tier_1), "allocation-year": str(THIS_YEAR + 2)},
        **{"allocation-amount": "1000"},
    )
    later = f"{THIS_YEAR + 2}–{(THIS_YEAR + 3) % 100:02d}"
    assert status == 400 and f"{later} is outside the fund&#39;s period" in html
    assert runtime.app.head() == head
    assert runtime.app.load(Fund, world.small_fund).allocations == {(world.tier_2, THIS_YEAR): 8000}


def test_a_negative_allocation_is_refused_and_a_good_one_saved(
    lead: FlaskClient, runtime: Runtime, people: People
) -> None:
    world = funding_world(runtime, people)
    path = f"/funding/record/funds/{world.fund}/allocations"
    head = runtime.app.head()
    fields = {"allocation-tier": str(world.tier_1), "allocation-year": str(THIS_YEAR + 1)}
    status, html = post(lead, path, "allocation", **fields, **{"allocation-amount": "-500"})
    assert status == 400 and "cannot be negative" in html
    assert runtime.app.head() == head
    status, html = post(lead, path, "allocation", **fields, **{"allocation-amount": "£31,500"})
    assert status == 200 and "The allocation is saved" in html
    assert runtime.app.load(Fund, world.fund).allocations[(world.tier_1, THIS_YEAR + 1)] == 31500
    assert "Corrected an allocation of the fund" in text_of(html)


def test_a_commitment_from_two_funds_and_spend_above_it(
    lead: FlaskClient, runtime: Runtime, people: People
) -> None:
    world = funding_world(runtime, people)
    status, html = post(
        lead,
        "/funding/record/commitments/new",
        experiment=str(world.cycle_2),
        tier=str(world.tier_2),
        months="12",
        fund_1=str(world.fund),
        amount_1="3000",
        fund_2=str(world.small_fund),
        amount_2="1,000.50",
        **boxes("starts_on", days_ago(5)),
    )
    assert status == 200 and "The commitment is recorded" in html
    assert "£4,000.50" in html
    commitment_id = UUID(re.search(r"/funding/record/commitments/([0-9a-f-]{36})/spend\"", html)[1])
    path = f"/funding/record/commitments/{commitment_id}/spend"
    head = runtime.app.head()
    status, html = post(
        lead, path, "spend", **{"spend-amount": "-1"}, **boxes("spend-on", days_ago(1))
    )
    assert status == 400 and "cannot be negative" in html and runtime.app.head() == head
    status, html = post(
        lead, path, "spend", **{"spend-amount": "5000"}, **boxes("spend-on", days_ago(1))
    )
    assert status == 200 and "The spend is recorded" in html
    assert "£999.50 over the commitment" in text_of(html)
    assert runtime.app.load(Commitment, commitment_id).spent == 5000


def test_a_half_filled_fund_line_is_refused(
    lead: FlaskClient, runtime: Runtime, people: People
) -> None:
    world = funding_world(runtime, people)
    head = runtime.app.head()
    status, html = post(
        lead,
        "/funding/record/commitments/new",
        experiment=str(world.cycle_2),
        tier=str(world.tier_2),
        months="12",
        fund_1=str(world.fund),
        amount_1="3000",
        amount_2="1000",
        **boxes("starts_on", days_ago(5)),
    )
    assert status == 400 and "Choose the fund this amount comes from" in html
    assert runtime.app.head() == head


def test_tiers_are_defined_and_a_taken_number_refused(lead: FlaskClient, runtime: Runtime) -> None:
    status, html = post(lead, "/funding/record/tiers", number="1", name="Universal")
    assert status == 200 and "The tier is saved" in html
    head = runtime.app.head()
    status, html = post(lead, "/funding/record/tiers", number="1", name="Another")
    assert status == 400 and "There is already a tier 1" in html
    assert runtime.app.head() == head


def test_only_a_cic_administrator_may_record(client: FlaskClient, people: People) -> None:
    sign_in(client, "ann@team-a.example")
    assert client.get("/funding/record").status_code == 403


def test_every_funding_event_is_told_in_words_in_the_audit_log() -> None:
    for aggregate in (Fund, SupportTiers, Commitment):
        for value in vars(aggregate).values():
            # The machinery's own bases (Fund.Event, Fund.Created) are never recorded.
            if (
                isinstance(value, type)
                and issubclass(value, Aggregate.Event)
                and value.__name__ not in ("Event", "Created")
            ):
                kind = value.__qualname__
                assert what_happened(kind) == str(funding_words.EVENTS[kind])
