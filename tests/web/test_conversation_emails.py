"""The learning system's emails through a real SMTP server on loopback (issue #20, part 8):
a comment tells the item's team (never the commenter, never the words), a review date that
comes due tells the team once however often the sweep runs, and a person who turned learning
emails off on their account page gets none."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today
from cairn.domain.learning.vocabulary import SHARED
from cairn.infrastructure.mail import SmtpTransport
from cairn.jobs.review_sweep import sweep_reviews
from tests.support.conversation import client_as, clock_on, concluded_experiment, date_boxes
from tests.support.directory import catch_up
from tests.support.learning import People, experiment, settle_all
from tests.support.mail import Inbox, text_of
from tests.support.web import PASSWORD, csrf_token


@pytest.fixture
def mailed(runtime: Runtime, mail_server: Inbox, smtp_port: int) -> Inbox:
    runtime.mail_sender.transport = SmtpTransport(
        f"smtp://127.0.0.1:{smtp_port}?starttls=0", "Cairn <cairn@test.example>"
    )
    return mail_server


def deliver(runtime: Runtime) -> None:
    catch_up(runtime)
    runtime.mail_sender.run_once()


def mail_to(inbox: Inbox, address: str) -> list[Any]:
    return [m for to, m in inbox.messages if to == [address]]


def _post(client: FlaskClient, page: str, path: str, data: dict[str, object]) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def test_a_comment_emails_the_team_but_not_the_commenter_nor_who_turned_it_off(
    client: FlaskClient, runtime: Runtime, people: People, mailed: Inbox
) -> None:
    mairi = runtime.app.accounts.register(
        "mairi@team-a.example", "Mairi", [Role.TEAM_MEMBER], PASSWORD, language="gd"
    ).id
    runtime.app.learning.add_member(people.team_a, mairi, by=people.ann)
    x = runtime.app.learning.propose_experiment(
        people.team_a, experiment(title="Secret title", visibility=SHARED), by=people.ann
    ).id
    settle_all(runtime)
    deliver(runtime)
    before = len(mailed.messages)
    bob = client_as(client, "bob@team-a.example")
    page = f"/learning/experiments/{x}"
    words = "The drivers know more than we think"
    sent = _post(bob, page, f"{page}/comments", {"comment-text": words, "comment-language": "en"})
    assert sent.status_code == 302
    deliver(runtime)
    new = mailed.messages[before:]
    assert sorted(to[0] for to, _m in new) == ["ann@team-a.example", "mairi@team-a.example"]
    [to_ann] = mail_to(mailed, "ann@team-a.example")
    body = text_of(to_ann)
    assert "Team A" in str(to_ann["Subject"])
    assert words not in body and "Secret title" not in body  # never the words
    assert re.search(rf"https?://[^/\s]+/learning/experiments/{x}", body)
    assert "account page" in body
    [to_mairi] = mail_to(mailed, "mairi@team-a.example")
    assert to_mairi["Content-Language"] == "gd"  # in her language
    assert "This email is from" not in text_of(to_mairi)

    ann = client_as(client, "ann@team-a.example")
    assert _post(ann, "/account", "/account/learning-notices", {"wanted": "no"}).status_code == 302
    _post(bob, page, f"{page}/comments", {"comment-text": "Again", "comment-language": "en"})
    deliver(runtime)
    assert len(mail_to(mailed, "ann@team-a.example")) == 1  # turned off: no second
    assert len(mail_to(mailed, "mairi@team-a.example")) == 2


def test_a_review_due_emails_the_team_once_however_often_the_sweep_runs(
    client: FlaskClient,
    runtime: Runtime,
    people: People,
    mailed: Inbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "learning reviews" in [job.name for job in runtime.periodic_jobs()]  # hourly
    x = concluded_experiment(runtime, people.team_a, people.ann)
    settle_all(runtime)
    ann = client_as(client, "ann@team-a.example")
    page = f"/learning/experiments/{x}"
    due_on = today(runtime.app.clock) + timedelta(days=1)
    saved = _post(ann, page, f"{page}/review", date_boxes("review-due_on", due_on))
    assert saved.status_code == 302
    deliver(runtime)
    before = len(mailed.messages)

    catch_up(runtime)
    assert sweep_reviews(runtime.app, runtime.read_engine, due_on - timedelta(days=1)) == []
    monkeypatch.setattr(runtime.app, "clock", clock_on(due_on))
    sweep_reviews(runtime.app, runtime.read_engine, due_on)
    sweep_reviews(runtime.app, runtime.read_engine, due_on)
    deliver(runtime)
    sweep_reviews(runtime.app, runtime.read_engine, due_on + timedelta(days=1))
    deliver(runtime)
    new = mailed.messages[before:]
    assert sorted(to[0] for to, _m in new) == ["ann@team-a.example", "bob@team-a.example"]
    [(_to, email)] = [m for m in new if m[0] == ["bob@team-a.example"]]
    assert "review" in str(email["Subject"]).lower()
    assert re.search(rf"https?://[^/\s]+/learning/experiments/{x}", text_of(email))
