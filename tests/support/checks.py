"""Recording a provider's checks through the admin page's forms, as a browser posts them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.provider import Provider
from tests.support.web import csrf_token

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def uk(name: str, day: date | None) -> dict[str, str]:
    """A date as the three boxes of a UKDateField named `name`."""
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def record_check(
    admin: FlaskClient,
    runtime: Runtime,
    provider_id: UUID,
    check: str,
    data: dict[str, Any],
    *,
    htmx: bool = True,
) -> tuple[int, str]:
    """Post one check's form (multipart, as the page sends it); the status and the page."""
    page = f"/admin/providers/{provider_id}"
    headers = {"HX-Request": "true", "HX-Target": "provider-panel"} if htmx else {}
    response = admin.post(
        f"{page}/checks/{check}",
        data={
            "version": str(runtime.app.load(Provider, provider_id).version),
            "csrf_token": csrf_token(admin, page),
            **data,
        },
        headers=headers,
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_data(as_text=True)
