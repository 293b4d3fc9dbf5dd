"""Helpers for the conversation's tests: a concluded experiment, clients signed in as the
`people` of tests/support/learning.py, and a day to move the app's clock to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from uuid import UUID

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.learning.vocabulary import ADOPT, TEAM
from tests.support.learning import days_ago, experiment
from tests.support.web import sign_in


def concluded_experiment(
    runtime: Runtime, team: UUID, by: UUID, visibility: str = TEAM, title: str = "Community lifts"
) -> UUID:
    learning = runtime.app.learning
    x = learning.propose_experiment(team, experiment(visibility=visibility, title=title), by=by).id
    learning.start_experiment(x, by=by, on=days_ago(20))
    learning.begin_sense_making(x, by=by, on=days_ago(5))
    learning.conclude_experiment(
        x,
        ADOPT,
        learned="Lifts bring people back.",
        reason="Most came back weekly.",
        against_prediction="As we predicted.",
        by=by,
    )
    return x


def client_as(client: FlaskClient, email: str) -> FlaskClient:
    """Another browser, signed in as `email`."""
    other = client.application.test_client()
    sign_in(other, email)
    return other


def clock_on(day: date) -> Callable[[], datetime]:
    """A clock that says it is midday on `day` (UTC)."""
    moment = datetime.combine(day, time(12), tzinfo=UTC)
    return lambda: moment


def date_boxes(name: str, day: date) -> dict[str, str]:
    """A UK date field's three boxes, as the browser sends them."""
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }
