"""Learning fixtures: teams with leads and members, and helpers to record learning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.learning.content import ExperimentContent, ReflectionContent
from cairn.domain.learning.vocabulary import HYPOTHESIS_TEST, TEAM
from cairn.domain.learning.voices import HeardVoice
from tests.support.web import PASSWORD

TODAY = date.today()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def reflection(**changes: Any) -> ReflectionContent:
    fields: dict[str, Any] = {
        "title": "Lifts to the day centre",
        "happened_on": days_ago(10),
        "what_happened": "We asked people why they stopped coming.",
        "what_we_learned": "Asking for help has a cost we had not counted.",
        "themes": ("transport",),
        "principles": ("person-led-care",),
        "visibility": TEAM,
    }
    fields.update(changes)
    return ReflectionContent(**fields)


def heard_voice(**changes: Any) -> HeardVoice:
    """A voice with its consent, for the team only unless changed."""
    fields: dict[str, Any] = {
        "role": "unpaid-carer",
        "words": "I stopped going when the bus changed; nobody asked me why.",
        "consent_how": "spoken",
        "consent_on": days_ago(12),
        "consent_covers": TEAM,
    }
    fields.update(changes)
    return HeardVoice(**fields)


def experiment(**changes: Any) -> ExperimentContent:
    fields: dict[str, Any] = {
        "kind": HYPOTHESIS_TEST,
        "title": "Community lifts",
        "purpose": "Keep people connected to the day centre.",
        "question": "Will volunteer lifts bring people back?",
        "what_we_try": "Volunteer drivers booked by phone.",
        "prediction": "Most people come back weekly.",
        "funding_amount": Decimal("18000"),
        "funder": "Carrick Learning Fund",
        "committed_months": 36,
        "visibility": TEAM,
    }
    fields.update(changes)
    return ExperimentContent(**fields)


@dataclass
class People:
    """Three teams: A (lead ann, member bob), B (lead cat), C (lead dan); eve is in no team."""

    admin: UUID
    ann: UUID
    bob: UUID
    cat: UUID
    dan: UUID
    eve: UUID
    team_a: UUID
    team_b: UUID
    team_c: UUID


def settle_all(runtime: Runtime) -> None:
    """Bring every read model and the search index up to the head of the log."""
    head = runtime.app.head()
    for runner in runtime.runners:
        if runtime._started:  # the web app's runners follow the log in the background
            assert runner.wait_for(head, timeout=5)
        else:
            runner.catch_up()


@pytest.fixture
def people(runtime: Runtime) -> People:
    accounts = runtime.app.accounts
    learning = runtime.app.learning

    def account(email: str, *roles: Role) -> UUID:
        return accounts.register(email, email.split("@")[0].title(), list(roles), PASSWORD).id

    admin = account("admin@cic.example", Role.CIC_ADMIN)
    ann = account("ann@team-a.example")
    bob = account("bob@team-a.example", Role.TEAM_MEMBER)
    cat = account("cat@team-b.example")
    dan = account("dan@team-c.example")
    eve = account("eve@nowhere.example", Role.TEAM_MEMBER)
    team_a = learning.form_team("Team A", "Lifts", by=admin, lead_id=ann).id
    learning.add_member(team_a, bob, by=ann)
    team_b = learning.form_team("Team B", "Carers", by=admin, lead_id=cat).id
    team_c = learning.form_team("Team C", "Meals", by=admin, lead_id=dan).id
    settle_all(runtime)
    return People(admin, ann, bob, cat, dan, eve, team_a, team_b, team_c)
