"""Every step of a provider's journey, and the rules on each, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.app import CairnApp
from cairn.domain.clock import today
from cairn.domain.directory.checks import HIDDEN_FOR_INSURANCE
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError, DuplicateEmail, InvalidTransition, StaleState
from tests.support.providers import approve_with_checks, record_current_checks

ADMIN = uuid.uuid4()
OWNER = uuid.uuid4()


@pytest.fixture
def app(runtime: Runtime) -> CairnApp:
    return runtime.app


def apply(app: CairnApp, email: str = "isla@carrick.example") -> uuid.UUID:
    return app.directory.apply(
        name="Carrick Care",
        contact_name="Isla",
        email=email,
        postcode="KA7 1AA",
        services=["personal-care"],
        account_id=OWNER,
        description="Personal care around Ayr.",
        areas_covered=["KA8"],
        price_per_hour=Decimal("18.50"),
    ).id


def load(app: CairnApp, provider_id: uuid.UUID) -> Provider:
    return app.load(Provider, provider_id)


def approved(app: CairnApp) -> uuid.UUID:
    provider_id = apply(app)
    approve_with_checks(app, provider_id, by=ADMIN)
    return provider_id


def days(n: int, app: CairnApp) -> date:
    return today(app.clock) + timedelta(days=n)


# -- the application ---------------------------------------------------------------------------


def test_review_and_a_request_for_information_go_back_and_forth(app: CairnApp) -> None:
    provider_id = apply(app)
    app.directory.start_review(provider_id, by=ADMIN)
    assert load(app, provider_id).status == Status.UNDER_REVIEW
    app.directory.request_information(provider_id, by=ADMIN, question="Which days?")
    provider = load(app, provider_id)
    assert provider.status == Status.INFO_REQUESTED and provider.question == "Which days?"
    with pytest.raises(InvalidTransition, match="cannot approve"):
        app.directory.approve(provider_id, by=ADMIN)
    app.directory.provide_information(provider_id, by=OWNER, answer="Weekdays")
    provider = load(app, provider_id)
    assert provider.status == Status.UNDER_REVIEW and provider.answer == "Weekdays"
    app.directory.request_information(provider_id, by=ADMIN, question="Evenings too?")
    assert load(app, provider_id).status == Status.INFO_REQUESTED


def test_a_question_and_an_answer_must_say_something(app: CairnApp) -> None:
    provider_id = apply(app)
    with pytest.raises(InvalidTransition, match="what information"):
        app.directory.request_information(provider_id, by=ADMIN, question="  ")
    with pytest.raises(InvalidTransition, match="cannot answer"):
        app.directory.provide_information(provider_id, by=OWNER, answer="Unasked")
    app.directory.request_information(provider_id, by=ADMIN, question="Which days?")
    with pytest.raises(InvalidTransition, match="Write your answer"):
        app.directory.provide_information(provider_id, by=OWNER, answer="")


def test_review_can_only_start_on_a_new_application(app: CairnApp) -> None:
    provider_id = apply(app)
    app.directory.start_review(provider_id, by=ADMIN)
    with pytest.raises(InvalidTransition, match="it is under review"):
        app.directory.start_review(provider_id, by=ADMIN)


def test_the_same_email_cannot_apply_twice(app: CairnApp) -> None:
    apply(app)
    with pytest.raises(DuplicateEmail, match="already in the directory"):
        apply(app, email="ISLA@carrick.example")


def test_an_applicant_changes_their_application_directly(app: CairnApp) -> None:
    provider_id = apply(app)
    app.directory.edit_listing(provider_id, by=OWNER, changes={"description": "Now with gardens"})
    provider = load(app, provider_id)
    assert provider.description == "Now with gardens" and provider.pending_edit is None


# -- approval needs current checks -------------------------------------------------------------


def test_approval_without_checks_names_what_is_missing(app: CairnApp) -> None:
    provider_id = apply(app)
    with pytest.raises(InvalidTransition) as refused:
        app.directory.approve(provider_id, by=ADMIN)
    assert "no PVG check" in refused.value.message
    assert "no public liability insurance" in refused.value.message
    assert load(app, provider_id).status == Status.APPLIED


def test_approval_with_expired_insurance_or_an_old_pvg_is_refused(app: CairnApp) -> None:
    provider_id = apply(app)
    app.directory.record_pvg(provider_id, by=ADMIN, checked_on=days(-6 * 365, app))
    app.directory.record_insurance(provider_id, by=ADMIN, expires_on=days(-1, app))
    with pytest.raises(InvalidTransition) as refused:
        app.directory.approve(provider_id, by=ADMIN)
    assert "past its renewal date" in refused.value.message
    assert "insurance has expired" in refused.value.message
    record_current_checks(app, provider_id)
    app.directory.approve(provider_id, by=ADMIN)
    provider = load(app, provider_id)
    assert provider.status == Status.APPROVED and provider.approved_on == today(app.clock)


def test_a_pvg_check_cannot_be_dated_in_the_future(app: CairnApp) -> None:
    provider_id = apply(app)
    with pytest.raises(DomainError, match="future"):
        app.directory.record_pvg(provider_id, by=ADMIN, checked_on=days(1, app))


def test_training_and_the_standards_agreement_are_recorded_and_shown(app: CairnApp) -> None:
    provider_id = approved(app)
    app.directory.record_training(
        provider_id, by=ADMIN, course="first-aid", completed_on=days(-10, app)
    )
    app.directory.record_standards_signed(provider_id, by=ADMIN, signed_on=days(-5, app))
    provider = load(app, provider_id)
    assert provider.standards_signed_on == days(-5, app)
    listing = provider.public_listing()
    assert listing is not None
    assert [(t.course, t.completed_on) for t in listing.training] == [("first-aid", days(-10, app))]
    assert listing.pvg_checked_on == days(-30, app)
    assert listing.insurance_expires_on == days(365, app)
    assert listing.assured_on == today(app.clock)


def test_checks_due_within_30_days_are_renewals(app: CairnApp) -> None:
    provider_id = approved(app)
    assert load(app, provider_id).renewals_due(today(app.clock)) == []
    app.directory.record_insurance(provider_id, by=ADMIN, expires_on=days(20, app))
    assert load(app, provider_id).renewals_due(today(app.clock)) == ["insurance"]


# -- decisions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["decline", "suspend", "remove"])
def test_decline_suspend_and_remove_need_a_reason(app: CairnApp, action: str) -> None:
    provider_id = apply(app) if action == "decline" else approved(app)
    command = getattr(app.directory, action)
    with pytest.raises(InvalidTransition, match="Give a reason"):
        command(provider_id, by=ADMIN, reason=" ")
    command(provider_id, by=ADMIN, reason="Complaint upheld")
    provider = load(app, provider_id)
    assert provider.reason == "Complaint upheld" and provider.decided_by == ADMIN
    assert provider.public_listing() is None


def test_suspended_providers_are_reinstated_only_with_current_checks(app: CairnApp) -> None:
    provider_id = approved(app)
    app.directory.suspend(provider_id, by=ADMIN, reason="Complaint being looked into")
    assert load(app, provider_id).public_listing() is None
    app.directory.record_insurance(provider_id, by=ADMIN, expires_on=days(-1, app))
    with pytest.raises(InvalidTransition, match="cannot reinstate"):
        app.directory.reinstate(provider_id, by=ADMIN)
    app.directory.record_insurance(provider_id, by=ADMIN, expires_on=days(200, app))
    app.directory.reinstate(provider_id, by=ADMIN, note="Complaint not upheld")
    assert load(app, provider_id).public_listing() is not None


@pytest.mark.parametrize("first", ["approved", "suspended"])
@pytest.mark.parametrize("leave", ["withdraw", "remove"])
def test_approved_or_suspended_providers_can_withdraw_or_be_removed(
    app: CairnApp, first: str, leave: str
) -> None:
    provider_id = approved(app)
    if first == "suspended":
        app.directory.suspend(provider_id, by=ADMIN, reason="Checking a complaint")
    if leave == "withdraw":
        app.directory.withdraw(provider_id, by=OWNER, reason="Retiring")
        assert load(app, provider_id).status == Status.WITHDRAWN
    else:
        app.directory.remove(provider_id, by=ADMIN, reason="Standards not met")
        assert load(app, provider_id).status == Status.REMOVED
    assert load(app, provider_id).public_listing() is None
    with pytest.raises(InvalidTransition):
        app.directory.suspend(provider_id, by=ADMIN, reason="Again")


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ("applied", "suspend"),
        ("applied", "reinstate"),
        ("applied", "remove"),
        ("approved", "approve"),
        ("approved", "decline"),
        ("approved", "start_review"),
        ("approved", "reinstate"),
        ("declined", "approve"),
        ("declined", "withdraw"),
        ("declined", "start_review"),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_message(
    app: CairnApp, setup: str, action: str
) -> None:
    provider_id = apply(app)
    if setup == "approved":
        approve_with_checks(app, provider_id, by=ADMIN)
    if setup == "declined":
        app.directory.decline(provider_id, by=ADMIN, reason="Out of area")
    before = load(app, provider_id).version
    kwargs = {"reason": "Because"} if action in ("suspend", "decline", "remove") else {}
    with pytest.raises(InvalidTransition, match="You cannot"):
        getattr(app.directory, action)(provider_id, by=ADMIN, **kwargs)
    assert load(app, provider_id).version == before


def test_two_admins_at_once_the_second_is_told_and_nothing_is_lost(app: CairnApp) -> None:
    provider_id = apply(app)
    app.directory.start_review(provider_id, by=ADMIN, expected_version=1)
    with pytest.raises(StaleState, match="changed while you were looking"):
        app.directory.decline(provider_id, by=ADMIN, reason="Duplicate", expected_version=1)
    assert load(app, provider_id).status == Status.UNDER_REVIEW


# -- listings stay true ------------------------------------------------------------------------


def test_an_approved_providers_edit_waits_for_review_then_goes_live(app: CairnApp) -> None:
    provider_id = approved(app)
    app.directory.edit_listing(
        provider_id, by=OWNER, changes={"description": "Now evenings too", "price_per_hour": None}
    )
    provider = load(app, provider_id)
    listing = provider.public_listing()
    assert listing is not None and listing.description == "Personal care around Ayr."
    assert provider.pending_edit == {"description": "Now evenings too", "price_per_hour": None}
    app.directory.approve_edit(provider_id, by=ADMIN)
    listing = load(app, provider_id).public_listing()
    assert listing is not None
    assert listing.description == "Now evenings too" and listing.price_per_hour is None


def test_a_rejected_edit_leaves_the_listing_and_needs_a_reason(app: CairnApp) -> None:
    provider_id = approved(app)
    with pytest.raises(DomainError, match="Nothing has changed"):
        app.directory.propose_edit(provider_id, by=OWNER, changes={"name": "Carrick Care"})
    app.directory.propose_edit(provider_id, by=OWNER, changes={"areas_covered": ["KA9"]})
    assert load(app, provider_id).pending_edit == {"areas_covered": ["KA7", "KA9"]}
    with pytest.raises(InvalidTransition, match="Give a reason"):
        app.directory.reject_edit(provider_id, by=ADMIN, reason="")
    app.directory.reject_edit(provider_id, by=ADMIN, reason="We do not cover KA9 yet")
    provider = load(app, provider_id)
    assert provider.pending_edit is None and provider.areas_covered == ("KA7", "KA8")
    with pytest.raises(InvalidTransition, match="no change waiting"):
        app.directory.approve_edit(provider_id, by=ADMIN)


def test_a_second_edit_amends_what_waits_and_says_so(app: CairnApp) -> None:
    provider_id = approved(app)
    app.directory.edit_listing(provider_id, by=OWNER, changes={"description": "Now evenings"})
    # Sent from the form as it opens (on what waits), with one more change.
    app.directory.edit_listing(
        provider_id, by=OWNER, changes={"description": "Now evenings", "phone": "01292 600000"}
    )
    provider = load(app, provider_id)
    assert provider.pending_edit == {"description": "Now evenings", "phone": "01292 600000"}
    proposals = [
        e for e in app.events.get(provider_id) if isinstance(e, Provider.ListingEditProposed)
    ]
    assert [e.amends for e in proposals] == [False, True]
    with pytest.raises(DomainError, match="already waiting for review"):
        app.directory.edit_listing(
            provider_id, by=OWNER, changes={"description": "Now evenings", "phone": "01292 600000"}
        )


def test_confirming_a_listing_is_due_every_six_months(app: CairnApp) -> None:
    provider_id = approved(app)
    now = today(app.clock)
    assert not load(app, provider_id).confirmation_due(now)
    assert load(app, provider_id).confirmation_due(now + timedelta(days=183))
    app.directory.confirm_listing(provider_id, by=OWNER)
    listing = load(app, provider_id).public_listing()
    assert listing is not None and listing.last_confirmed_on == now


def test_expired_insurance_hides_the_listing_by_an_event_until_renewed(app: CairnApp) -> None:
    provider_id = approved(app)
    other = apply(app, email="other@example.org")
    future = days(400, app)
    hidden = app.directory.hide_expired_listings(future, [provider_id, other])
    assert hidden == [provider_id]
    provider = load(app, provider_id)
    assert provider.hidden_reason == HIDDEN_FOR_INSURANCE and provider.public_listing() is None
    events = list(app.repository.event_store.get(provider_id))
    assert type(events[-1]).__qualname__ == "Provider.ListingHidden"
    # A second sweep changes nothing.
    assert app.directory.hide_expired_listings(future, [provider_id]) == []
    app.directory.record_insurance(provider_id, by=ADMIN, expires_on=days(730, app))
    provider = load(app, provider_id)
    assert provider.hidden_reason is None and provider.public_listing() is not None
    events = list(app.repository.event_store.get(provider_id))
    assert type(events[-1]).__qualname__ == "Provider.ListingShown"


def test_recording_insurance_that_has_already_lapsed_hides_at_once(app: CairnApp) -> None:
    provider_id = approved(app)
    app.directory.record_insurance(provider_id, by=ADMIN, expires_on=days(-2, app))
    assert load(app, provider_id).public_listing() is None


# -- time travel -------------------------------------------------------------------------------


def test_the_listing_as_it_was_on_a_date(app: CairnApp) -> None:
    provider_id = approved(app)
    now = today(app.clock)
    assert app.directory.provider_on(provider_id, now - timedelta(days=1)) is None
    then = app.directory.provider_on(provider_id, now)
    assert then is not None and then.status == Status.APPROVED
    version = app.directory.version_on(provider_id, now)
    assert version == load(app, provider_id).version


# -- problem reports ---------------------------------------------------------------------------


def test_the_public_reports_a_problem_and_the_cic_resolves_it(app: CairnApp) -> None:
    provider_id = approved(app)
    with pytest.raises(DomainError, match="Choose what is wrong"):
        app.directory.report_problem(provider_id, category="rude", details="", reporter_email=None)
    with pytest.raises(DomainError, match="email"):
        app.directory.report_problem(
            provider_id, category="no-longer-operating", details="", reporter_email="nope"
        )
    done = app.directory.report_problem(
        provider_id,
        category="no-longer-operating",
        details="<b>Closed</b> in May",
        reporter_email=None,
    )
    with pytest.raises(InvalidTransition, match="Say what was done"):
        app.directory.resolve_report(done.id, by=ADMIN, note="")
    app.directory.resolve_report(done.id, by=ADMIN, note="Phoned: still open")
    with pytest.raises(InvalidTransition, match="already been dealt with"):
        app.directory.resolve_report(done.id, by=ADMIN, note="Again")


def test_an_unlisted_provider_cannot_be_reported(app: CairnApp) -> None:
    provider_id = apply(app)
    with pytest.raises(DomainError, match="not listed"):
        app.directory.report_problem(
            provider_id, category="information-unclear", details="", reporter_email=None
        )
