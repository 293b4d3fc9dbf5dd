"""A reflection's versions told as stories on an in-memory app: written, retold, one telling
redacted. The runtime tests in tests/web/learning/test_history.py follow the same redaction
into every read model, the search index and the stored bytes."""

from __future__ import annotations

from uuid import UUID

import pytest

from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError
from cairn.domain.learning.reflection import Reflection
from cairn.domain.learning.vocabulary import PUBLIC
from tests.support.learning import reflection
from tests.support.web import PASSWORD

FIRST_TELLING = "We visited Agnes Kerrigan at 14 Dalrymple Street; the bus had not come."
RETOLD = "We visited a person in Girvan whose bus had not come for a week."


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def person(app: CairnApp, email: str, *roles: Role) -> UUID:
    return app.accounts.register(email, email.split("@")[0].title(), list(roles), PASSWORD).id


def told_then_retold(app: CairnApp) -> tuple[UUID, UUID, UUID, UUID]:
    """Ann leads a team Bob is in; Bob writes a reflection naming someone, then retells it
    without the name for the public. Returns (reflection, admin, ann, bob)."""
    admin = person(app, "admin@cic.example", Role.CIC_ADMIN)
    ann = person(app, "ann@team-a.example")
    bob = person(app, "bob@team-a.example")
    team = app.learning.form_team("Team A", "Lifts", by=admin, lead_id=ann).id
    app.learning.add_member(team, bob, by=ann)
    done = app.learning.record_reflection(team, reflection(what_happened=FIRST_TELLING), by=bob)
    app.learning.revise_reflection(
        done.id, reflection(what_happened=RETOLD, visibility=PUBLIC), by=bob
    )
    return done.id, admin, ann, bob


def test_a_retelling_keeps_the_first_telling_in_the_history(app: CairnApp) -> None:
    reflection_id, _, _, _ = told_then_retold(app)
    loaded = app.load(Reflection, reflection_id)
    assert [v.what_happened for v in loaded.history] == [FIRST_TELLING, RETOLD]
    assert loaded.content.visibility == PUBLIC


def test_a_lead_redacts_the_first_telling_and_the_retelling_stays(app: CairnApp) -> None:
    reflection_id, _, ann, bob = told_then_retold(app)
    app.learning.redact_reflection_version(
        reflection_id, 1, reason="It named someone we support.", by=ann
    )
    loaded = app.load(Reflection, reflection_id)
    assert [v.what_happened for v in loaded.history] == ["", RETOLD]
    assert loaded.redactions[1].reason == "It named someone we support."
    assert loaded.redactions[1].by == ann
    # The reflection goes on: the team can tell it a third time.
    app.learning.revise_reflection(
        reflection_id, reflection(what_happened="A third telling."), by=bob
    )
    assert app.load(Reflection, reflection_id).content.what_happened == "A third telling."


def test_only_a_lead_or_an_administrator_redacts_once_with_a_reason(app: CairnApp) -> None:
    reflection_id, admin, ann, bob = told_then_retold(app)
    learning = app.learning
    with pytest.raises(DomainError, match="team lead"):
        learning.redact_reflection_version(reflection_id, 1, reason="Because.", by=bob)
    with pytest.raises(DomainError, match="reason"):
        learning.redact_reflection_version(reflection_id, 1, reason="  ", by=ann)
    with pytest.raises(DomainError, match="no version 7"):
        learning.redact_reflection_version(reflection_id, 7, reason="Because.", by=ann)
    learning.redact_reflection_version(reflection_id, 2, reason="Because.", by=admin)
    with pytest.raises(DomainError, match="already redacted"):
        learning.redact_reflection_version(reflection_id, 2, reason="Again.", by=ann)
    # Each version has its own key: redacting the second leaves the first readable.
    loaded = app.load(Reflection, reflection_id)
    assert [v.what_happened for v in loaded.history] == [FIRST_TELLING, ""]
