"""A provider's life told as stories on an in-memory app: construct the app, do what people
do, then ask it. The same rules run on both stores through the runtime in
test_provider_lifecycle.py; here they read as the story they belong to."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from cairn.domain.app import CairnApp
from cairn.domain.clock import today
from cairn.domain.directory.provider import HIDDEN_FOR_INSURANCE, Provider, Status
from cairn.domain.errors import InvalidTransition, StaleState
from tests.support.providers import record_current_checks

ADMIN = uuid4()
ISLA = uuid4()


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def isla_applies(app: CairnApp) -> UUID:
    return app.directory.apply(
        name="Carrick Care",
        contact_name="Isla",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["personal-care"],
        account_id=ISLA,
        description="Personal care around Ayr.",
        areas_covered=["KA8"],
        price_per_hour=Decimal("18.50"),
    ).id


def days_from_now(app: CairnApp, n: int) -> date:
    return today(app.clock) + timedelta(days=n)


def test_an_application_is_reviewed_questioned_answered_checked_and_listed(
    app: CairnApp,
) -> None:
    provider_id = isla_applies(app)
    assert app.load(Provider, provider_id).public_listing() is None

    app.directory.start_review(provider_id, by=ADMIN)
    app.directory.request_information(provider_id, by=ADMIN, question="Which days?")
    app.directory.provide_information(provider_id, by=ISLA, answer="Weekdays")
    with pytest.raises(InvalidTransition, match="no PVG check"):
        app.directory.approve(provider_id, by=ADMIN)
    record_current_checks(app, provider_id, by=ADMIN)
    app.directory.approve(provider_id, by=ADMIN)

    provider = app.load(Provider, provider_id)
    assert provider.status == Status.APPROVED
    assert provider.answer == "Weekdays" and provider.decided_by == ADMIN
    listing = provider.public_listing()
    assert listing is not None
    assert listing.name == "Carrick Care" and listing.district == "KA7"
    assert listing.areas_covered == ("KA7", "KA8")


def test_a_listed_provider_edits_is_suspended_reinstated_and_withdraws(app: CairnApp) -> None:
    provider_id = isla_applies(app)
    record_current_checks(app, provider_id, by=ADMIN)
    app.directory.approve(provider_id, by=ADMIN)

    # An edit waits for the CIC; the public sees the old words until it is approved.
    app.directory.edit_listing(provider_id, by=ISLA, changes={"description": "Evenings too"})
    listing = app.load(Provider, provider_id).public_listing()
    assert listing is not None and listing.description == "Personal care around Ayr."
    app.directory.approve_edit(provider_id, by=ADMIN)
    listing = app.load(Provider, provider_id).public_listing()
    assert listing is not None and listing.description == "Evenings too"

    # A complaint suspends the listing; it comes back only with checks still current.
    app.directory.suspend(provider_id, by=ADMIN, reason="Complaint being looked into")
    assert app.load(Provider, provider_id).public_listing() is None
    app.directory.reinstate(provider_id, by=ADMIN, note="Complaint not upheld")
    assert app.load(Provider, provider_id).public_listing() is not None

    # Isla retires: the listing goes, and nothing more can be decided about it.
    app.directory.withdraw(provider_id, by=ISLA, reason="Retiring")
    provider = app.load(Provider, provider_id)
    assert provider.status == Status.WITHDRAWN and provider.public_listing() is None
    with pytest.raises(InvalidTransition, match="You cannot"):
        app.directory.suspend(provider_id, by=ADMIN, reason="Again")


def test_lapsed_insurance_hides_a_listing_until_it_is_renewed(app: CairnApp) -> None:
    provider_id = isla_applies(app)
    record_current_checks(app, provider_id, by=ADMIN)
    app.directory.approve(provider_id, by=ADMIN)

    next_year_and_more = days_from_now(app, 400)
    assert app.directory.hide_expired_listings(next_year_and_more, [provider_id]) == [provider_id]
    provider = app.load(Provider, provider_id)
    assert provider.hidden_reason == HIDDEN_FOR_INSURANCE and provider.public_listing() is None

    app.directory.record_insurance(provider_id, by=ADMIN, expires_on=days_from_now(app, 730))
    provider = app.load(Provider, provider_id)
    assert provider.hidden_reason is None and provider.public_listing() is not None
    events = [type(e).__qualname__ for e in app.repository.event_store.get(provider_id)]
    # Both happened as events, so every read model and the history can tell.
    assert "Provider.ListingHidden" in events and events[-1] == "Provider.ListingShown"


def test_two_admins_decide_at_once_and_the_second_is_told(app: CairnApp) -> None:
    provider_id = isla_applies(app)
    seen = app.load(Provider, provider_id).version
    app.directory.start_review(provider_id, by=ADMIN, expected_version=seen)
    with pytest.raises(StaleState, match="changed while you were looking"):
        app.directory.decline(provider_id, by=ADMIN, reason="Duplicate", expected_version=seen)
    assert app.load(Provider, provider_id).status == Status.UNDER_REVIEW


def test_the_public_reports_a_problem_once_and_the_cic_deals_with_it_once(
    app: CairnApp,
) -> None:
    provider_id = isla_applies(app)
    record_current_checks(app, provider_id, by=ADMIN)
    app.directory.approve(provider_id, by=ADMIN)

    report = app.directory.report_problem(
        provider_id, category="no-longer-operating", details="Closed in May", reporter_email=None
    )
    app.directory.resolve_report(report.id, by=ADMIN, note="Phoned: still open")
    with pytest.raises(InvalidTransition, match="already been dealt with"):
        app.directory.resolve_report(report.id, by=ADMIN, note="Again")


def test_a_description_keeps_its_language_through_edits_and_older_ones_are_english(
    app: CairnApp,
) -> None:
    older = isla_applies(app)  # applied before the language was asked
    assert app.load(Provider, older).description_language == "en"

    gaelic = app.directory.apply(
        name="Cùram Chille",
        contact_name="Màiri",
        email="mairi@cille.example",
        postcode="PA20 9AA",
        services=["companionship"],
        account_id=uuid4(),
        description="Companas do sheann daoine.",
        description_language="gd",
    ).id
    assert app.load(Provider, gaelic).description_language == "gd"
    app.directory.update_application(
        gaelic, by=uuid4(), changes={"description": "Companionship.", "description_language": "en"}
    )
    provider = app.load(Provider, gaelic)
    assert (provider.description, provider.description_language) == ("Companionship.", "en")
