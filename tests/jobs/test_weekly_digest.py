"""Once a week every CIC administrator gets one email of what waits in the review queue."""

from __future__ import annotations

from datetime import timedelta

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.jobs.checks_sweep import sweep_checks
from tests.support.directory import applied_provider, catch_up
from tests.support.mail import Inbox, smtp_sender, text_of
from tests.support.web import make_account


def test_each_administrator_gets_one_digest_a_week(
    runtime: Runtime, mail_server: Inbox, smtp_port: int
) -> None:
    make_account(runtime, "ada@cic.example", Role.CIC_ADMIN, name="Ada")
    make_account(runtime, "bea@cic.example", Role.CIC_ADMIN, name="Bea")
    make_account(runtime, "team@cic.example", Role.TEAM_MEMBER, name="Cal")
    applied_provider(runtime)
    catch_up(runtime)
    sender = smtp_sender(runtime, smtp_port)
    monday = runtime.app.clock().date()
    monday -= timedelta(days=monday.weekday())
    for day in (monday, monday + timedelta(days=1), monday + timedelta(days=6)):
        sweep_checks(runtime.app, runtime.read_engine, day)
        catch_up(runtime)
        sender.run_once()
    digests = [(to, m) for to, m in mail_server.messages if "this week" in str(m["Subject"])]
    assert sorted(to[0] for to, _m in digests) == ["ada@cic.example", "bea@cic.example"]
    assert "Applications waiting for a decision: 1" in text_of(digests[0][1])

    sweep_checks(runtime.app, runtime.read_engine, monday + timedelta(days=7))
    catch_up(runtime)
    sender.run_once()
    assert len([m for _to, m in mail_server.messages if "this week" in str(m["Subject"])]) == 4
