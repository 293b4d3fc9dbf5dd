"""A check's uploaded evidence is sealed under the provider's own key: erasing the provider
leaves the stored bytes in place but no longer readable, by Cairn or by anyone holding the
files database."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.clock import today
from cairn.domain.directory.evidence import accept_upload
from cairn.domain.directory.provider import Provider
from cairn.domain.sealed_files import Unreadable, unseal
from cairn.operations.data_rights import erase_person

EMAIL = "isla@carrick.example"
CIC = uuid4()
CERTIFICATE = b"%PDF-1.7\nPVG scheme record for Isla Carrick, membership 1234567890123456\n"


def provider_with_a_certificate(runtime: Runtime) -> tuple[UUID, UUID]:
    app = runtime.app
    provider_id = app.directory.apply(
        name="Carrick Care",
        contact_name="Isla Carrick",
        email=EMAIL,
        postcode="KA7 1AA",
        services=["personal-care"],
    ).id
    app.directory.record_pvg(
        provider_id,
        by=CIC,
        checked_on=today(app.clock) - timedelta(days=30),
        membership_number="1234567890123456",
        evidence=accept_upload(CERTIFICATE),
    )
    (file_id, check, _course) = app.load(Provider, provider_id).evidence[0]
    assert check == "pvg"
    return provider_id, file_id


def test_the_stored_bytes_are_sealed_and_open_for_the_cic(runtime: Runtime) -> None:
    provider_id, file_id = provider_with_a_certificate(runtime)
    stored = runtime.files.get(file_id)
    assert stored is not None
    assert CERTIFICATE not in stored.sealed and b"Isla" not in stored.sealed
    data, media_type = runtime.app.directory.evidence_file(provider_id, file_id)
    assert (data, media_type) == (CERTIFICATE, "application/pdf")


def test_erasing_the_provider_shreds_their_uploads(runtime: Runtime) -> None:
    provider_id, file_id = provider_with_a_certificate(runtime)
    before = runtime.files.get(file_id)
    assert before is not None

    erase_person(runtime, EMAIL)

    after = runtime.files.get(file_id)
    assert after is not None and after.sealed == before.sealed  # the bytes stay, unreadable
    with pytest.raises(Unreadable):
        unseal(runtime.keys, after)
    with pytest.raises(Unreadable):
        runtime.app.directory.evidence_file(provider_id, file_id)


def test_a_refused_check_keeps_no_file(runtime: Runtime) -> None:
    app = runtime.app
    provider_id = app.directory.apply(
        name="Carrick Care",
        contact_name="Isla Carrick",
        email=EMAIL,
        postcode="KA7 1AA",
        services=["personal-care"],
    ).id
    with pytest.raises(Exception, match="future"):
        app.directory.record_pvg(
            provider_id,
            by=CIC,
            checked_on=today(app.clock) + timedelta(days=1),
            evidence=accept_upload(CERTIFICATE),
        )
    assert runtime.files.count() == 0
