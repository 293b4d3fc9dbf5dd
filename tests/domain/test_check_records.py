"""The checks as records: PVG membership with its number and renewal date, insurance with its
policy, training from the maintained list (or "other"), the standards signed by version, and
evidence accepted by what the file is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from cairn.domain.directory import checks
from cairn.domain.directory.evidence import MAX_EVIDENCE_BYTES, accept_upload
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.training import course_key, course_name
from cairn.domain.errors import DomainError, Invalid

CIC = uuid4()
TODAY = date(2026, 12, 3)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def applied() -> Provider:
    return Provider(
        name="Carrick Care",
        contact_name="Isla",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["personal-care"],
        description="Personal care around Ayr.",
    )


def test_pvg_renewal_falls_five_years_after_the_check_unless_given() -> None:
    provider = applied()
    provider.record_pvg(CIC, date(2025, 4, 1), today=TODAY, membership_number="1234 5678 9012 3456")
    assert provider.pvg_renewal_due == date(2030, 4, 1)
    assert provider.pvg_membership_number == "1234567890123456"
    provider.record_pvg(CIC, date(2025, 4, 1), today=TODAY, renewal_due=date(2029, 1, 31))
    assert provider.pvg_expires_on() == date(2029, 1, 31)


def test_a_leap_day_check_renews_on_the_28th() -> None:
    assert checks.pvg_renewal_due(date(2024, 2, 29)) == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("checked_on", "renewal_due", "words"),
    [
        (date(2026, 12, 4), None, "cannot be in the future"),
        (date(2025, 4, 1), date(2025, 4, 1), "must be after"),
        (date(2025, 4, 1), date(2030, 4, 2), "within five years"),
    ],
)
def test_a_pvg_check_that_cannot_be_is_refused(
    checked_on: date, renewal_due: date | None, words: str
) -> None:
    provider = applied()
    with pytest.raises(DomainError, match=words):
        provider.record_pvg(CIC, checked_on, today=TODAY, renewal_due=renewal_due)
    assert provider.pvg_checked_on is None


@pytest.mark.parametrize("number", ["1234", "1234 5678 9012 345X", "12345678901234567"])
def test_a_membership_number_is_sixteen_digits(number: str) -> None:
    with pytest.raises(Invalid, match="16 digits"):
        checks.normalise_pvg_number(number)


def test_a_pvg_past_its_renewal_date_stops_approval() -> None:
    provider = applied()
    provider.record_pvg(CIC, date(2024, 1, 1), today=TODAY, renewal_due=date(2026, 12, 1))
    provider.record_insurance(CIC, date(2027, 6, 1), today=TODAY)
    assert [str(p) for p in provider.check_problems(TODAY)] == [
        "the PVG membership is past its renewal date"
    ]
    assert provider.renewals_due(TODAY) == ["pvg"]


def test_insurance_keeps_its_policy_and_cover() -> None:
    provider = applied()
    provider.record_insurance(
        CIC,
        date(2027, 6, 1),
        today=TODAY,
        insurer="Clydesdale Mutual",
        policy_number="PL-88231",
        cover=checks.parse_cover("£5,000,000"),
    )
    assert (provider.insurer, provider.insurance_policy_number) == ("Clydesdale Mutual", "PL-88231")
    assert provider.insurance_cover == Decimal("5000000.00")


def test_an_expired_policy_may_be_recorded_and_stops_approval() -> None:
    provider = applied()
    provider.record_insurance(CIC, date(2026, 11, 30), today=TODAY, insurer="Clydesdale Mutual")
    assert provider.insurance_expires_on == date(2026, 11, 30)
    assert "the public liability insurance has expired" in provider.check_problems(TODAY)


@pytest.mark.parametrize("typed", ["cheap", "5m", "-100", "0", "1.234"])
def test_a_cover_amount_must_be_money(typed: str) -> None:
    with pytest.raises(Invalid):
        checks.parse_cover(typed)


def test_training_comes_from_the_list_or_is_named() -> None:
    assert course_key("dementia-friends") == "dementia-friends"
    assert course_key("other", "  Sign   language level 1 ") == "other:Sign language level 1"
    assert course_name("other:Sign language level 1") == "Sign language level 1"
    assert course_name("first-aid") == "First aid"
    # A key recorded before the list: still named in words.
    assert course_name("boat-handling") == "Boat handling"
    with pytest.raises(DomainError, match="Choose a course"):
        course_key("Dementia Friends")
    with pytest.raises(DomainError, match="name of the course"):
        course_key("other", " ")


def test_training_keeps_its_dates_and_refuses_a_future_completion() -> None:
    provider = applied()
    provider.record_training(
        CIC, "first-aid", date(2026, 3, 1), today=TODAY, expires_on=date(2029, 3, 1)
    )
    assert provider.training == {"first-aid": date(2026, 3, 1)}
    assert provider.training_expires == {"first-aid": date(2029, 3, 1)}
    with pytest.raises(DomainError, match="future"):
        provider.record_training(CIC, "food-hygiene", date(2026, 12, 4), today=TODAY)
    with pytest.raises(DomainError, match="after the date it was completed"):
        provider.record_training(
            CIC, "food-hygiene", date(2026, 3, 1), today=TODAY, expires_on=date(2026, 2, 1)
        )
    assert "food-hygiene" not in provider.training


def test_the_application_is_the_signature_on_the_version_read() -> None:
    provider = Provider(
        name="Carrick Care",
        contact_name="Isla",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["personal-care"],
        consented_on=TODAY,
        standards_version=1,
    )
    assert (provider.standards_version, provider.standards_signed_on) == (1, TODAY)
    # A signature on paper, recorded by the CIC: the current version.
    provider.record_standards_signed(CIC, date(2026, 12, 1), today=TODAY)
    assert (provider.standards_version, provider.standards_signed_on) == (1, date(2026, 12, 1))
    assert applied().standards_signed_on is None


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PDF, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
    ],
)
def test_evidence_is_known_by_its_first_bytes(data: bytes, media_type: str) -> None:
    assert accept_upload(data).media_type == media_type


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\0" * 20, "PDF, PNG or JPEG"),
        (b"<html>%PDF-</html>", "PDF, PNG or JPEG"),  # the magic must come first
        (PDF + b"\0" * MAX_EVIDENCE_BYTES, "larger than 5 MB"),
    ],
)
def test_evidence_that_is_not_a_pdf_or_image_or_too_big_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(DomainError, match=words):
        accept_upload(data)
