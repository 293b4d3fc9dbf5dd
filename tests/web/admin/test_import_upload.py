"""Import in the browser: upload, a dry-run preview, then apply all or nothing. Plain form
posts throughout, as a browser without JavaScript sends them. Bad uploads save nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.provider import Provider
from tests.support.web import csrf_token

HEADER = (
    "name,contact_name,email,postcode,areas_covered,services,description,"
    "pvg_checked_on,insurance_expires_on,training,approved_on\n"
)


def row(name: str, email: str, services: str = "personal-care", description: str = "Care") -> str:
    return f"{name},Pat,{email},KA7 1AA,KA8,{services},{description},,,first-aid,\n"


def upload(client: FlaskClient, data: bytes, filename: str = "providers.csv") -> tuple[int, str]:
    token = csrf_token(client, "/admin/import")
    response = client.post(
        "/admin/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_data(as_text=True)


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


def apply_form(html: str) -> dict[str, str]:
    return {name: hidden(html, name) for name in ("token", "key", "fingerprint", "filename")}


def apply(client: FlaskClient, form: dict[str, str]) -> tuple[int, str, str | None]:
    token = csrf_token(client, "/admin/import")
    response = client.post("/admin/import/apply", data={"csrf_token": token, **form})
    return response.status_code, response.get_data(as_text=True), response.location


def stash_files(runtime: Runtime) -> list[Path]:
    folder = runtime.settings.data_dir / "import-stash"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_file_is_previewed_new_changed_and_unchanged_then_applied(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    status, first_html = upload(
        admin_client, (HEADER + row("Birch Care", "birch@example.org")).encode()
    )
    assert status == 200
    assert apply(admin_client, apply_form(first_html))[0] == 302

    text = (
        HEADER
        + row("Birch Care", "birch@example.org", description="Care and company")
        + row("Rowan Help", "rowan@example.org")
    )
    status, html = upload(admin_client, text.encode())
    assert status == 200
    assert "1 new provider" in html and "1 changed provider" in html
    assert "Rowan Help" in html
    # The change, field by field: what the directory has now and what the file says.
    assert "<del>Care</del>" in html and "<ins>Care and company</ins>" in html
    assert "updates the application" in html
    # The upload waits encrypted: nothing readable on disk.
    [stored] = stash_files(runtime)
    assert b"rowan@example.org" not in stored.read_bytes()
    before = runtime.app.head()
    assert runtime.app.directory.provider_for_email("rowan@example.org") is None

    status, _, location = apply(admin_client, apply_form(html))
    assert status == 302 and location is not None and location.endswith("/admin/import")
    assert runtime.app.head() > before
    assert stash_files(runtime) == []  # applied: the stash is gone
    rowan = runtime.app.directory.provider_for_email("rowan@example.org")
    birch = runtime.app.directory.provider_for_email("birch@example.org")
    assert rowan is not None and birch is not None
    assert runtime.app.load(Provider, birch).description == "Care and company"
    landed = admin_client.get(location).get_data(as_text=True)
    assert "1 new, 1 changed (waiting for review), 0 unchanged." in landed

    # The same upload cannot be applied twice.
    status, html, _ = apply(admin_client, apply_form(html))
    assert status == 400 and "no longer kept" in html


def test_bad_rows_are_named_with_their_value_and_nothing_can_be_applied(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    start = runtime.app.head()
    text = (
        HEADER
        + row("Cheap Care", "cheap@example.org", services="cheap")
        + row("Fine Care", "fine@example.org")
    )
    status, html = upload(admin_client, text.encode())
    assert status == 400
    bad = re.search(r'<table[^>]*id="bad-rows".*?</table>', html, flags=re.S)
    assert bad is not None
    assert "Cheap Care" in bad.group(0) and "<code>cheap</code>" in bad.group(0)
    assert "services" in bad.group(0)
    assert 'id="apply-import"' not in html
    assert stash_files(runtime) == [] and runtime.app.head() == start


def test_the_preview_and_the_apply_must_agree(admin_client: FlaskClient, runtime: Runtime) -> None:
    status, html = upload(admin_client, (HEADER + row("Elm Aid", "elm@example.org")).encode())
    form = apply_form(html)
    # Someone applies online with that email before "apply": the file would now change them.
    runtime.wait_for(
        runtime.app.directory.apply(
            name="Elm Aid",
            contact_name="Pat",
            email="elm@example.org",
            postcode="KA7 1AA",
            services=["gardening"],
        ).position
    )
    head = runtime.app.head()
    status, html, _ = apply(admin_client, form)
    assert status == 200 and "The directory has changed since your preview" in html
    assert runtime.app.head() == head
    assert "1 changed provider" in html


def test_a_wrong_key_opens_nothing(admin_client: FlaskClient, runtime: Runtime) -> None:
    start = runtime.app.head()
    status, html = upload(admin_client, (HEADER + row("Ash Aid", "ash@example.org")).encode())
    form = {**apply_form(html), "key": "A" * 44}
    status, html, _ = apply(admin_client, form)
    assert status == 400 and "no longer kept" in html and runtime.app.head() == start


def test_bad_uploads_get_a_clear_message_and_save_nothing(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    start = runtime.app.head()
    cases = [
        (b"PK\x03\x04rest-of-a-zip", "providers.xlsx", "spreadsheet workbook, not a CSV file"),
        (b"%PDF-1.7 ...", "providers.csv", "This is a PDF"),
        (HEADER.encode() + b"a" * (1024 * 1024), "big.csv", "larger than 1 MB"),
        ("name\nCaf\xe9\n".encode("latin-1"), "old.csv", "must be saved as CSV UTF-8"),
        (b"", "empty.csv", "The file is empty"),
        (HEADER.encode(), "providers.docx", "name ends in .csv"),
    ]
    for data, filename, message in cases:
        status, html = upload(admin_client, data, filename)
        assert status == 400, filename
        assert message in html, filename
    token = csrf_token(admin_client, "/admin/import")
    no_file = admin_client.post("/admin/import", data={"csrf_token": token})
    assert no_file.status_code == 400 and "Choose a CSV file" in no_file.get_data(as_text=True)
    assert stash_files(runtime) == [] and runtime.app.head() == start


def test_a_malformed_csv_is_reported_by_line_and_nothing_is_saved(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    start = runtime.app.head()
    text = HEADER + 'Broken "Care,Pat,b@example.org,KA7 1AA\n' + row("Fine", "f@example.org")
    status, html = upload(admin_client, text.encode())
    assert status == 400
    assert "could not be read as CSV" in html or "cells but the header has" in html
    assert 'id="apply-import"' not in html and runtime.app.head() == start
