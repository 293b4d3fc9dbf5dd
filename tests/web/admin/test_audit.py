"""The audit log and the sign-in log, and lockout after repeated failures."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.accounts.signins import LOCKOUT_THRESHOLD, SignInAttempt, email_digest
from cairn.web import create_app
from tests.support.providers import approve_with_checks
from tests.support.stores import make_settings
from tests.support.web import PASSWORD, csrf_token, make_account, sign_in


def try_sign_in(client: FlaskClient, email: str, password: str) -> tuple[int, str]:
    response = client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )
    return response.status_code, response.get_data(as_text=True)


def attempts(runtime: Runtime) -> list[object]:
    notifications = runtime.app.recorder.select_notifications(start=1, limit=1000)
    events = [runtime.app.mapper.to_domain_event(n) for n in notifications]
    return [e for e in events if isinstance(e, SignInAttempt.Recorded)]


def test_sign_ins_and_failures_are_logged_and_unknown_emails_are_not_stored(
    client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    try_sign_in(client, "admin@cic.example", "not-the-password")
    try_sign_in(client, "stranger@nowhere.example", "whatever-it-is")
    sign_in(client, "admin@cic.example")
    logged = attempts(runtime)
    # The unknown email left no event at all; the known one only its account's id.
    assert [(e.by, e.succeeded) for e in logged] == [  # type: ignore[attr-defined]
        (admin_id, False),
        (admin_id, True),
    ]
    raw = b"".join(n.state for n in runtime.app.recorder.select_notifications(start=1, limit=1000))
    assert b"stranger" not in raw
    for email in ("stranger@nowhere.example", "admin@cic.example"):
        # No digest of either email that anyone could test candidate emails against.
        assert email_digest(email).encode() not in raw
        assert hashlib.sha256(email.encode()).hexdigest().encode() not in raw


def test_repeated_failures_lock_the_email_with_the_same_words_for_known_and_unknown(
    app: object, runtime: Runtime, admin_id: UUID
) -> None:
    answers = {}
    for n, email in enumerate(("admin@cic.example", "nobody@cic.example")):
        client = app.test_client()  # type: ignore[attr-defined]
        client.environ_base["REMOTE_ADDR"] = f"10.3.0.{n}"
        for _ in range(LOCKOUT_THRESHOLD):
            status, _page = try_sign_in(client, email, "wrong-password-9")
            assert status == 400
        status, page = try_sign_in(client, email, PASSWORD)
        assert status == 429
        answers[email] = page.split('id="error-summary-title"')[1].split("</ul>")[0]
    assert "too many attempts to sign in with this email" in answers["admin@cic.example"]
    assert answers["admin@cic.example"] == answers["nobody@cic.example"]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_lockout_ends_after_the_window_and_a_success_resets_the_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    runtime = Runtime(make_settings("sqlite", tmp_path), clock=clock)
    try:
        app = create_app(runtime.settings, runtime, start_projections=True, testing=True)
        app.config["RATELIMIT_ENABLED"] = False  # this test is about lockout alone
        client = app.test_client()
        make_account(runtime, "ada@cic.example", Role.CIC_ADMIN)
        for _ in range(LOCKOUT_THRESHOLD - 1):
            try_sign_in(client, "ada@cic.example", "wrong-password-9")
        sign_in(client, "ada@cic.example")  # a success: earlier failures no longer count
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
        for _ in range(LOCKOUT_THRESHOLD):
            clock.now += timedelta(seconds=5)
            try_sign_in(client, "ada@cic.example", "wrong-password-9")
        assert try_sign_in(client, "ada@cic.example", PASSWORD)[0] == 429
        clock.now += timedelta(minutes=16)
        assert try_sign_in(client, "ada@cic.example", PASSWORD)[0] == 302
    finally:
        runtime.close()


def test_the_audit_log_shows_who_did_what_and_filters(
    admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    other = make_account(runtime, "bo@cic.example", Role.CIC_ADMIN, name="Bo Admin")
    ids = []
    for n in range(3):
        ids.append(
            runtime.app.directory.apply(
                name=f"Audit Co {n}",
                contact_name="Pat",
                email=f"a{n}@cairn.example",
                postcode="KA7 1AA",
                services=["gardening"],
            ).id
        )
    approve_with_checks(runtime.app, ids[0], by=admin_id)
    done = runtime.app.directory.decline(ids[1], by=other, reason="Too far")
    runtime.wait_for(done.position)

    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert (
        "Approved the provider: the listing is public" in page
        and "Declined the application" in page
    )
    assert "Ada Admin" in page and "Bo Admin" in page
    assert "Tried to sign in" in page

    def table(html: str) -> str:
        return html.split('id="audit-entries"')[1]

    by_bo = table(admin_client.get(f"/admin/audit?actor={other}").get_data(as_text=True))
    assert (
        "Declined the application" in by_bo
        and "Approved the provider: the listing is public" not in by_bo
    )

    applied = table(admin_client.get("/admin/audit?kind=Provider.Applied").get_data(as_text=True))
    assert "3 events" in applied and "Declined" not in applied

    today = datetime.now(tz=UTC).date()
    future = admin_client.get(f"/admin/audit?start={today + timedelta(days=2)}")
    assert "Nothing matches" in future.get_data(as_text=True)
    recent = admin_client.get(f"/admin/audit?start={today - timedelta(days=1)}&end={today}")
    assert "Approved the provider: the listing is public" in recent.get_data(as_text=True)

    partial = admin_client.get("/admin/audit?kind=Provider.Applied", headers={"HX-Request": "true"})
    assert "<html" not in partial.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    ["start=yesterday", "end=2025-02-30", "actor=not-a-uuid", "start=2025-03-02&end=2025-03-01"],
)
def test_bad_filters_get_a_clear_message_not_an_error(
    admin_client: FlaskClient, query: str
) -> None:
    response = admin_client.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)


def test_the_audit_log_is_paginated(admin_client: FlaskClient, runtime: Runtime) -> None:
    for n in range(55):
        done = runtime.app.directory.apply(
            name=f"Page Co {n}",
            contact_name="Pat",
            email=f"page{n}@cairn.example",
            postcode="KA7 1AA",
            services=["gardening"],
        )
    runtime.wait_for(done.position)
    first = admin_client.get("/admin/audit?kind=Provider.Applied").get_data(as_text=True)
    assert "55 events" in first and 'rel="next"' in first
    second = admin_client.get("/admin/audit?kind=Provider.Applied&page=2").get_data(as_text=True)
    assert first.count("<tr>") == 51 and second.count("<tr>") == 6


def entries(html: str) -> list[list[str]]:
    """The audit table's rows, each as its cells' text."""
    body = html.split('id="audit-entries"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in body.split("</tr>")
        if "<td" in row
    ]


def test_the_audit_log_says_what_happened_in_words_naming_the_record_and_who(
    admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    provider_id = runtime.app.directory.apply(
        name="Words Co",
        contact_name="Pat",
        email="words@cairn.example",
        postcode="KA7 1AA",
        services=["gardening"],
    ).id
    runtime.wait_for(approve_with_checks(runtime.app, provider_id, by=admin_id).position)
    html = admin_client.get("/admin/audit?kind=Provider.Approved").get_data(as_text=True)
    [row] = entries(html)
    assert row[1:] == [
        "Ada Admin",
        "Approved the provider: the listing is public",
        "Provider: Words Co",
    ]
    assert f'href="/admin/providers/{provider_id}"' in html
    assert str(provider_id) not in row[3]  # the name, not the UUID
    # The filter's choices are words too, grouped by the kind of record.
    form = html.split('id="audit-kind"')[1].split("</select>")[0]
    assert '<optgroup label="Provider">' in form
    assert 'value="Provider.Approved" selected>Approved the provider: the listing is public' in form


def test_an_applicants_draft_saves_are_theirs_not_nobodys(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    done = runtime.app.directory.start_application(
        email="jo@applicant.example",
        contact_name="Jo Applicant",
        password=PASSWORD,
        answers={"name": "Jo's Gardens"},
    )
    runtime.wait_for(done.position)
    saved = runtime.app.directory.save_draft(done.id, "services", {"services": ["gardening"]})
    runtime.wait_for(saved.position)
    html = admin_client.get("/admin/audit?kind=ApplicationDraft.AnswersSaved")
    [row] = entries(html.get_data(as_text=True))
    assert row[1:] == [
        "Jo Applicant",
        "Saved answers to the application",
        "Application in progress: Jo Applicant",
    ]
    started = entries(
        admin_client.get("/admin/audit?kind=ApplicationDraft.Started").get_data(as_text=True)
    )
    assert [r[1] for r in started] == ["Jo Applicant"]
    # And the filter by person finds them.
    by_jo = admin_client.get(f"/admin/audit?actor={done.id}").get_data(as_text=True)
    assert "Saved answers to the application" in by_jo
    assert "Nobody signed in" not in by_jo
