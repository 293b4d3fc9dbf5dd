"""Taking on new people? A provider says so (or that they are full until a day); the
profile, the results and the ORUK API show it, search can leave out the full ones, the day
coming clears "full", and a status two months old brings one reminder."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.intake import STALE_AFTER
from cairn.domain.directory.provider import Provider
from cairn.jobs.checks_sweep import sweep_checks
from tests.support.directory import catch_up, listed_provider
from tests.support.journeys import post
from tests.support.mail import Inbox, smtp_sender, text_of
from tests.support.web import make_account, sign_in


@pytest.fixture
def provider_id(runtime: Runtime) -> UUID:
    owner = make_account(runtime, "fiona@alloway.example", Role.PROVIDER, name="Fiona")
    listed_provider(runtime, name="Ayr Open Doors", email="open@ayr.example")
    return listed_provider(
        runtime, name="Alloway Companions", email="fiona@alloway.example", account_id=owner
    )


def names(html: str) -> list[str]:
    return re.findall(r'class="ds_search-result__link"[^>]*>([^<]+)</a>', html)


def test_a_provider_who_is_full_says_until_when_and_families_can_leave_them_out(
    client: FlaskClient, runtime: Runtime, provider_id: UUID
) -> None:
    sign_in(client, "fiona@alloway.example")
    assert "Taking on new people?" in client.get("/provider").get_data(as_text=True)
    no_day = post(client, "/provider/intake", {"intake": "full", "until": ""})
    assert no_day.status_code == 400
    assert "Enter the date you expect to take on new people again" in no_day.get_data(as_text=True)
    today = runtime.app.clock().date()
    past = post(client, "/provider/intake", {"intake": "full", "until": str(today)})
    assert "must be in the future" in past.get_data(as_text=True)
    bad = post(client, "/provider/intake", {"intake": "full", "until": "01/03/2027"})
    assert "YYYY-MM-DD" in bad.get_data(as_text=True)

    until = today + timedelta(days=90)
    saved = post(client, "/provider/intake", {"intake": "full", "until": until.isoformat()})
    assert saved.status_code == 302
    catch_up(runtime)
    profile = client.get(f"/providers/{provider_id}").get_data(as_text=True)
    assert "Full until" in profile
    everyone = client.get("/search?q=&sort=name").get_data(as_text=True)
    assert names(everyone) == ["Alloway Companions", "Ayr Open Doors"]
    assert "Full until" in everyone
    open_only = client.get("/search?open=1&sort=name").get_data(as_text=True)
    assert names(open_only) == ["Ayr Open Doors"]
    assert 'name="open" value="1" autocomplete="off" checked' in open_only
    service = client.get(f"/api/oruk/services/{provider_id}").get_json()
    assert service["alert"].startswith(f"Full: not taking on new people until {until}")

    # The day comes: the sweep clears "full", and nobody is left out by oversight.
    sweep_checks(runtime.app, runtime.read_engine, until)
    catch_up(runtime)
    assert runtime.app.load(Provider, provider_id).intake is None
    assert names(client.get("/search?open=1&sort=name").get_data(as_text=True)) == [
        "Alloway Companions",
        "Ayr Open Doors",
    ]


def test_taking_on_new_people_said_two_months_ago_brings_one_reminder(
    client: FlaskClient, runtime: Runtime, provider_id: UUID, mail_server: Inbox, smtp_port: int
) -> None:
    sign_in(client, "fiona@alloway.example")
    post(client, "/provider/intake", {"intake": "taking", "until": ""})
    catch_up(runtime)
    sender = smtp_sender(runtime, smtp_port)
    sender.run_once()
    before = len(mail_server.messages)
    later = runtime.app.clock().date() + STALE_AFTER
    for _sweep in range(2):
        sweep_checks(runtime.app, runtime.read_engine, later)
        catch_up(runtime)
        sender.run_once()
    reminders = [m for to, m in mail_server.messages[before:] if to == ["fiona@alloway.example"]]
    assert [str(m["Subject"]) for m in reminders] == ["Are you still taking on new people?"]
    assert "Two months ago" in text_of(reminders[0])
