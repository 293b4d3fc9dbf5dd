"""The admin page records each check as a record: PVG membership, insurance, training and the
standards agreement, with UK date boxes and evidence files; a mistake says what is wrong,
keeps the typing and saves nothing; evidence is for the CIC's eyes only."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today
from cairn.domain.directory.checks import years_after
from cairn.domain.directory.evidence import MAX_EVIDENCE_BYTES
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.readmodels.directory.queries import providers_by_status
from tests.support.checks import PDF, record_check, uk
from tests.support.journeys import apply_online, post
from tests.support.web import make_account, sign_in

CIC = UUID(int=1)


@pytest.fixture
def provider_id(runtime: Runtime) -> UUID:
    done = runtime.app.directory.apply(
        name="Carrick Care",
        contact_name="Isla Carrick",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["personal-care"],
    )
    runtime.wait_for(done.position)
    return done.id


def now(runtime: Runtime) -> date:
    return today(runtime.app.clock)


def version(runtime: Runtime, provider_id: UUID) -> int:
    return runtime.app.load(Provider, provider_id).version


def pvg(runtime: Runtime, **changes: object) -> dict[str, object]:
    return {
        "membership_number": "1234 5678 9012 3456",
        **uk("pvg_checked_on", now(runtime) - timedelta(days=10)),
        **changes,
    }


def insurance(runtime: Runtime, **changes: object) -> dict[str, object]:
    return {
        "insurer": "Clydesdale Mutual",
        "policy_number": "PL-88231",
        "cover": "£5,000,000",
        **uk("insurance_expires_on", now(runtime) + timedelta(days=300)),
        **changes,
    }


def test_every_check_is_recorded_with_its_details_and_shown_in_words(
    admin_client: FlaskClient, runtime: Runtime, provider_id: UUID
) -> None:
    day = now(runtime) - timedelta(days=10)
    status, panel = record_check(admin_client, runtime, provider_id, "pvg", pvg(runtime))
    assert status == 200 and "The PVG check for Carrick Care is recorded." in panel
    status, panel = record_check(
        admin_client, runtime, provider_id, "insurance", insurance(runtime)
    )
    assert status == 200
    training = {"course": "dementia-friends", **uk("training_completed_on", day)}
    training.update(uk("training_expires_on", years_after(day, 3)))
    status, panel = record_check(admin_client, runtime, provider_id, "training", training)
    assert status == 200
    named = {"course": "other", "other_name": "British Sign Language level 1"}
    named.update(uk("training_completed_on", day))
    record_check(admin_client, runtime, provider_id, "training", named)
    signed = uk("standards_signed_on", day)
    status, panel = record_check(admin_client, runtime, provider_id, "standards", signed)
    assert status == 200

    page = admin_client.get(f"/admin/providers/{provider_id}").get_data(as_text=True)
    assert "Membership 1234567890123456" in page
    renewal = years_after(day, 5)
    assert f"Renewal due {renewal.day} {renewal:%B} {renewal.year}" in page
    assert "Clydesdale Mutual, policy PL-88231" in page and "Cover of £5,000,000" in page
    assert "Dementia Friends" in page and "British Sign Language level 1" in page
    assert "dementia-friends" not in page.replace('value="dementia-friends"', "")
    assert "Signed version 1 on" in page
    provider = runtime.app.load(Provider, provider_id)
    assert provider.check_problems(now(runtime)) == []


@pytest.mark.parametrize("htmx", [True, False])
def test_a_check_date_in_the_future_is_refused_with_the_typing_kept(
    admin_client: FlaskClient, runtime: Runtime, provider_id: UUID, htmx: bool
) -> None:
    before = version(runtime, provider_id)
    ahead = now(runtime) + timedelta(days=3)
    status, page = record_check(
        admin_client,
        runtime,
        provider_id,
        "pvg",
        pvg(runtime, **uk("pvg_checked_on", ahead)),
        htmx=htmx,
    )
    assert status == 400
    assert "The PVG check date cannot be in the future" in page
    assert 'name="pvg_checked_on-year"' in page and f'value="{ahead.year}"' in page
    assert 'value="1234567890123456"' in page  # the number as read, kept
    assert ("<html" in page) is not htmx  # without JavaScript: the whole page again
    if not htmx:
        assert "<title>Error: Carrick Care" in page
    assert version(runtime, provider_id) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cover": "cheap"}, "Enter the cover in pounds, like 5,000,000"),
        ({"cover": "0"}, "Enter a cover amount more than £0"),
        ({"insurer": ""}, "Enter the name of the insurer"),
    ],
)
def test_insurance_that_is_not_right_is_refused(
    admin_client: FlaskClient,
    runtime: Runtime,
    provider_id: UUID,
    changes: dict[str, str],
    message: str,
) -> None:
    before = version(runtime, provider_id)
    data = insurance(runtime, **changes)
    status, page = record_check(admin_client, runtime, provider_id, "insurance", data)
    assert status == 400 and message in page
    assert version(runtime, provider_id) == before


def test_an_expired_policy_is_recorded_with_a_warning(
    admin_client: FlaskClient, runtime: Runtime, provider_id: UUID
) -> None:
    lapsed = now(runtime) - timedelta(days=2)
    data = insurance(runtime, **uk("insurance_expires_on", lapsed))
    status, panel = record_check(admin_client, runtime, provider_id, "insurance", data)
    assert status == 200
    assert "This policy ran out on" in panel and "ds_warning-text" in panel
    assert runtime.app.load(Provider, provider_id).insurance_expires_on == lapsed


def test_without_javascript_a_recorded_check_returns_to_the_page_with_its_warning(
    admin_client: FlaskClient, runtime: Runtime, provider_id: UUID
) -> None:
    lapsed = now(runtime) - timedelta(days=2)
    data = insurance(runtime, **uk("insurance_expires_on", lapsed))
    status, _page = record_check(admin_client, runtime, provider_id, "insurance", data, htmx=False)
    assert status == 302
    page = admin_client.get(f"/admin/providers/{provider_id}").get_data(as_text=True)
    assert "The insurance for Carrick Care is recorded." in page and "This policy ran out" in page


def test_training_must_come_from_the_list_or_be_named(
    admin_client: FlaskClient, runtime: Runtime, provider_id: UUID
) -> None:
    day = uk("training_completed_on", now(runtime) - timedelta(days=1))
    status, page = record_check(
        admin_client, runtime, provider_id, "training", {"course": "Dementia Friends", **day}
    )
    assert status == 400 and "Not a valid choice" in page
    status, page = record_check(
        admin_client, runtime, provider_id, "training", {"course": "other", **day}
    )
    assert status == 400 and "Enter the name of the course" in page


def test_a_course_recorded_before_the_list_is_still_shown_by_name(
    admin_client: FlaskClient, runtime: Runtime, provider_id: UUID
) -> None:
    # Older events hold any key the old form took, with no date.
    provider = runtime.app.load(Provider, provider_id)
    provider.record_training(CIC, "medication", None, today=now(runtime))
    provider.record_training(CIC, "boat-handling", None, today=now(runtime))
    runtime.wait_for(runtime.app.record(provider))
    page = admin_client.get(f"/admin/providers/{provider_id}").get_data(as_text=True)
    assert "<strong>Medication</strong>" in page and "<strong>Boat handling</strong>" in page


def upload(data: bytes, name: str = "certificate.pdf") -> tuple[BytesIO, str, str]:
    return (BytesIO(data), name, "application/pdf")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a" + b"\0" * 64, "The file must be a PDF, PNG or JPEG."),
        (b"MZ\x90\0 not really a pdf", "The file must be a PDF, PNG or JPEG."),
        (PDF + b"\0" * MAX_EVIDENCE_BYTES, "The file is larger than 5 MB. Choose a smaller file."),
    ],
)
def test_a_file_that_is_not_a_pdf_or_image_or_too_large_is_refused(
    admin_client: FlaskClient, runtime: Runtime, provider_id: UUID, data: bytes, message: str
) -> None:
    before = version(runtime, provider_id)
    status, page = record_check(
        admin_client,
        runtime,
        provider_id,
        "pvg",
        pvg(runtime, pvg_evidence=upload(data)),  # named .pdf, said to be a PDF: not believed
    )
    assert status == 400 and message in page
    assert version(runtime, provider_id) == before
    assert runtime.files.count() == 0


def test_a_file_far_too_large_gets_the_error_page_and_nothing_is_saved(
    admin_client: FlaskClient, runtime: Runtime, provider_id: UUID
) -> None:
    before = version(runtime, provider_id)
    status, page = record_check(
        admin_client,
        runtime,
        provider_id,
        "pvg",
        pvg(runtime, pvg_evidence=upload(PDF + b"\0" * (13 * 1024 * 1024))),
        htmx=False,
    )
    assert status == 413 and "Files must be 5 MB or smaller" in page
    assert version(runtime, provider_id) == before


def test_evidence_is_downloaded_by_the_cic_only_never_cached(
    app: Flask, admin_client: FlaskClient, runtime: Runtime, provider_id: UUID
) -> None:
    status, panel = record_check(
        admin_client, runtime, provider_id, "pvg", pvg(runtime, pvg_evidence=upload(PDF))
    )
    assert status == 200 and "Download PVG certificate (PDF" in panel
    (file_id, _check, _course) = runtime.app.load(Provider, provider_id).evidence[0]
    address = f"/admin/providers/{provider_id}/evidence/{file_id}"
    assert address in panel

    response = admin_client.get(address)
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"

    # Not another provider's file, and not for anyone but the CIC.
    assert admin_client.get(f"/admin/providers/{UUID(int=5)}/evidence/{file_id}").status_code in (
        404,
    )
    stranger = app.test_client()
    assert stranger.get(address).status_code == 302  # to sign in
    make_account(runtime, "someone@carrick.example", Role.PROVIDER)
    sign_in(stranger, "someone@carrick.example")
    assert stranger.get(address).status_code == 403


def test_the_admin_sees_the_version_the_applicant_signed(
    app: Flask, admin_client: FlaskClient, runtime: Runtime
) -> None:
    applicant = app.test_client()
    apply_online(applicant, send=False)
    consent = applicant.get("/apply/consent").get_data(as_text=True)
    assert "Version 1, 1 December 2026" in consent  # the standards, read where they are signed
    assert "agree to follow version 1 of the CIC" in consent
    post(applicant, "/apply/check", {})
    page = providers_by_status(runtime.read_engine, Status.APPLIED, 1)
    provider_id = page.items[0].id
    panel = admin_client.get(f"/admin/providers/{provider_id}").get_data(as_text=True)
    assert "Not signed yet" not in panel
    assert "Signed version 1 on" in panel
    assert 'href="/standards"' in panel


def test_the_standards_page_says_its_version_and_date(client: FlaskClient) -> None:
    page = client.get("/standards").get_data(as_text=True)
    assert "Version 1, 1 December 2026" in page
    gaelic = client.get("/standards", headers={"Accept-Language": "gd"})
    assert gaelic.status_code == 200
