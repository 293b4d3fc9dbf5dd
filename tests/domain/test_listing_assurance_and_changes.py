"""What a public listing says of itself: `assured_on`, the last time the CIC approved or checked
the provider or the provider confirmed the listing; and `updated_at`, the instant what the
public sees last changed, which nothing the public does not see moves."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from cairn.domain.directory.checks import IMPORT_ACTOR
from cairn.domain.directory.listing import LISTING_SOURCES, PublicListing, public_listing_of
from cairn.domain.directory.provider import Provider

CIC = uuid4()


def applied() -> Provider:
    return Provider(
        name="Carrick Care",
        contact_name="Isla",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["personal-care"],
        description="Personal care around Ayr.",
    )


def with_checks(provider: Provider, on: date, by: object = CIC) -> Provider:
    provider.record_pvg(by, date(2026, 1, 1), today=on)  # type: ignore[arg-type]
    provider.record_insurance(by, date(2027, 6, 1), today=on)  # type: ignore[arg-type]
    return provider


def listing(provider: Provider) -> PublicListing:
    shown = provider.public_listing()
    assert shown is not None
    return shown


# -- assured_on --------------------------------------------------------------------------------


def test_the_approval_assures_a_listing_checked_before_it() -> None:
    provider = with_checks(applied(), on=date(2026, 2, 1))
    provider.approve(CIC, today=date(2026, 2, 10))
    assert listing(provider).assured_on == date(2026, 2, 10)


def test_a_check_recorded_after_approval_assures_it_again() -> None:
    provider = with_checks(applied(), on=date(2026, 2, 1))
    provider.approve(CIC, today=date(2026, 2, 10))
    provider.record_training(CIC, "first-aid", date(2026, 3, 1), today=date(2026, 3, 5))
    assert listing(provider).assured_on == date(2026, 3, 5)


def test_the_providers_six_monthly_confirmation_assures_it() -> None:
    provider = with_checks(applied(), on=date(2026, 2, 1))
    provider.approve(CIC, today=date(2026, 2, 10))
    provider.confirm_listing(CIC, today=date(2026, 8, 10))
    assert listing(provider).assured_on == date(2026, 8, 10)


def test_the_most_recent_assurance_wins_whatever_came_last() -> None:
    provider = with_checks(applied(), on=date(2026, 2, 1))
    provider.approve(CIC, today=date(2026, 2, 10))
    provider.confirm_listing(CIC, today=date(2026, 8, 10))
    # A check whose recording day is earlier (an old certificate entered) does not go back.
    provider.record_standards_signed(CIC, date(2026, 1, 5), today=date(2026, 8, 1))
    assert listing(provider).assured_on == date(2026, 8, 10)


def test_an_imported_approval_assures_on_its_own_day_not_the_import_day() -> None:
    """The spreadsheet's checks were made elsewhere; the approval day it gives stands."""
    provider = with_checks(applied(), on=date(2026, 12, 1), by=IMPORT_ACTOR)
    provider.approve(IMPORT_ACTOR, today=date(2026, 12, 1), on=date(2025, 9, 14))
    assert listing(provider).assured_on == date(2025, 9, 14)


# -- updated_at: the last public change -------------------------------------------------------


def approved() -> Provider:
    provider = with_checks(applied(), on=date(2026, 2, 1))
    provider.approve(CIC, today=date(2026, 2, 10))
    return provider


def test_approval_is_the_first_public_change() -> None:
    provider = approved()
    assert listing(provider).updated_at == provider.modified_on


def test_what_the_public_does_not_see_leaves_the_instant_alone() -> None:
    provider = approved()
    listed_at = listing(provider).updated_at
    provider.link_account(uuid4())
    provider.propose_edit(CIC, {"description": "Personal care and company around Ayr."})
    provider.reject_edit(CIC, "Say more about the company you offer.")
    assert provider.modified_on > listed_at
    assert listing(provider).updated_at == listed_at


def test_an_approved_edit_intake_a_check_and_a_confirmation_each_change_it() -> None:
    provider = approved()
    changes = [
        lambda: provider.propose_edit(CIC, {"description": "Care and company around Ayr."}),
        lambda: provider.approve_edit(CIC),
        lambda: provider.set_intake(CIC, "waiting-list", None, today=date(2026, 3, 1)),
        lambda: provider.record_training(CIC, "first-aid", None, today=date(2026, 3, 2)),
        lambda: provider.confirm_listing(CIC, today=date(2026, 8, 10)),
    ]
    seen = [listing(provider).updated_at]
    for change in changes:
        change()
        seen.append(listing(provider).updated_at)
    proposed = seen[1]
    assert proposed == seen[0]  # waiting for review: the public sees the old listing
    assert seen[2:] == sorted(set(seen[2:])) and seen[2] > proposed
    assert seen[-1] == provider.modified_on


def test_a_listing_shown_again_is_a_change() -> None:
    provider = approved()
    listed_at = listing(provider).updated_at
    provider.suspend(CIC, "Complaint to look into.")
    assert provider.public_listing() is None
    provider.reinstate(CIC, today=date(2026, 3, 1))
    assert listing(provider).updated_at > listed_at


def test_the_state_compared_on_each_event_is_everything_the_listing_is_made_from() -> None:
    """`public_state` stands in for the listing when each event is applied: if the listing
    came to read another attribute, a change to it would go unnoticed."""
    provider = approved()
    read: set[str] = set()

    class Recording:
        def __getattr__(self, name: str) -> object:
            read.add(name)
            return getattr(provider, name)

    public_listing_of(Recording())  # type: ignore[arg-type]
    assert read - {"id", "listing_changed_at", "modified_on"} == set(LISTING_SOURCES)
