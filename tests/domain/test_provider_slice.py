"""A provider applies, and the CIC approves or declines it."""

from __future__ import annotations

import uuid

import pytest

from cairn.domain.app import CairnApp
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import InvalidTransition, StaleState
from tests.support.providers import approve_with_checks, record_current_checks

ADMIN = uuid.uuid4()


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def apply(app: CairnApp) -> uuid.UUID:
    return app.directory.apply(
        name="Carrick Care",
        contact_name="Isla",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["personal-care"],
    ).id


def test_an_application_awaits_review(app: CairnApp) -> None:
    provider = app.load(Provider, apply(app))
    assert provider.status == Status.APPLIED
    assert provider.services == ("personal-care",)


def test_approval_records_who_decided(app: CairnApp) -> None:
    provider_id = apply(app)
    record_current_checks(app, provider_id)
    app.directory.approve(provider_id, by=ADMIN, expected_version=3)
    provider = app.load(Provider, provider_id)
    assert provider.status == Status.APPROVED
    assert provider.decided_by == ADMIN


def test_a_decline_needs_a_reason(app: CairnApp) -> None:
    provider_id = apply(app)
    with pytest.raises(InvalidTransition, match="reason"):
        app.directory.decline(provider_id, by=ADMIN, reason="  ")
    app.directory.decline(provider_id, by=ADMIN, reason="Outside our area")
    assert app.load(Provider, provider_id).status == Status.DECLINED


def test_an_approve_on_a_version_someone_else_changed_is_refused(app: CairnApp) -> None:
    provider_id = apply(app)
    app.directory.decline(provider_id, by=ADMIN, reason="Outside our area", expected_version=1)
    with pytest.raises(StaleState, match="changed while you were looking"):
        app.directory.approve(provider_id, by=ADMIN, expected_version=1)
    assert app.load(Provider, provider_id).status == Status.DECLINED


def test_a_declined_application_cannot_then_be_approved(app: CairnApp) -> None:
    provider_id = apply(app)
    app.directory.decline(provider_id, by=ADMIN, reason="Outside our area")
    with pytest.raises(InvalidTransition, match="is declined"):
        app.directory.approve(provider_id, by=ADMIN)


def test_only_an_approved_provider_has_a_public_listing_with_its_own_district_covered(
    app: CairnApp,
) -> None:
    from decimal import Decimal

    done = app.directory.apply(
        name="Carrick Care",
        contact_name="Isla",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["personal-care"],
        areas_covered=["KA8", "KA7"],
        availability=["mon-morning"],
        price_per_hour=Decimal("18.50"),
        languages=["en", "gd"],
    )
    assert app.load(Provider, done.id).public_listing() is None
    approve_with_checks(app, done.id, by=ADMIN)
    listing = app.load(Provider, done.id).public_listing()
    assert listing is not None
    assert listing.areas_covered == ("KA7", "KA8")
    assert listing.price_per_hour == Decimal("18.50")
    assert listing.languages == ("en", "gd")
