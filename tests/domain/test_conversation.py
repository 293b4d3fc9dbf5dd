"""The conversation around learning (issue #20, part 8): comments, learning partners and the
review date on "what next", in memory."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError
from cairn.domain.learning.commands import NotAllowed
from cairn.domain.learning.conversation import Comment, Review, ReviewNotice
from cairn.domain.learning.team import Team
from cairn.domain.learning.visibility import Reader
from cairn.domain.learning.vocabulary import ADOPT, SHARED, SIGNED_IN, TEAM
from cairn.domain.personal import ERASED
from cairn.domain.personal_keys import subject_for_email
from tests.support.learning import days_ago, experiment, reflection


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def _account(app: CairnApp, email: str, *roles: Role) -> UUID:
    return app.accounts.register(email, email.split("@")[0], list(roles), "correct-horse-bat").id


@pytest.fixture
def world(app: CairnApp) -> dict[str, UUID]:
    admin = _account(app, "admin@cic.example", Role.CIC_ADMIN)
    ann = _account(app, "ann@a.example")
    bob = _account(app, "bob@a.example")
    pat = _account(app, "pat@b.example")  # in team B; team A's learning partner
    sam = _account(app, "sam@c.example")  # in team C; nobody's partner
    team_a = app.learning.form_team("Team A", "", by=admin, lead_id=ann).id
    app.learning.add_member(team_a, bob, by=ann)
    team_b = app.learning.form_team("Team B", "", by=admin, lead_id=pat).id
    team_c = app.learning.form_team("Team C", "", by=admin, lead_id=sam).id
    return dict(ann=ann, bob=bob, pat=pat, sam=sam, team_a=team_a, team_b=team_b, team_c=team_c)


def _concluded(app: CairnApp, team: UUID, by: UUID, visibility: str = TEAM) -> UUID:
    x = app.learning.propose_experiment(team, experiment(visibility=visibility), by=by).id
    app.learning.start_experiment(x, by=by, on=days_ago(20))
    app.learning.begin_sense_making(x, by=by, on=days_ago(5))
    app.learning.conclude_experiment(
        x,
        ADOPT,
        learned="Lifts work.",
        reason="People came back.",
        by=by,
        against_prediction="As we said.",
    )
    return x


# -- comments ---------------------------------------------------------------------------------


def test_a_member_comments_and_may_edit_and_remove_only_their_own(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    x = app.learning.propose_experiment(world["team_a"], experiment(), by=world["ann"]).id
    done = app.learning.comment(x, "  Could we ask the drivers too?  ", by=world["bob"])
    comment = app.repository.get(done.id)
    assert isinstance(comment, Comment)
    assert comment.text == "Could we ask the drivers too?" and comment.item_kind == "experiment"
    with pytest.raises(NotAllowed):
        app.learning.edit_comment(done.id, "Not mine", by=world["ann"])
    with pytest.raises(NotAllowed):
        app.learning.remove_comment(done.id, by=world["ann"])
    app.learning.edit_comment(done.id, "Could we ask the drivers and the carers?", by=world["bob"])
    app.learning.remove_comment(done.id, by=world["bob"])
    assert app.repository.get(done.id).removed
    with pytest.raises(DomainError, match="removed"):
        app.learning.edit_comment(done.id, "Again", by=world["bob"])


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write your comment"), ("   \n ", "Write your comment"), ("x" * 2001, "2,000")],
    ids=["empty", "blank", "too-long"],
)
def test_a_bad_comment_is_refused_and_nothing_is_saved(
    app: CairnApp, world: dict[str, UUID], text: str, message: str
) -> None:
    x = app.learning.propose_experiment(world["team_a"], experiment(), by=world["ann"]).id
    head = app.head()
    with pytest.raises(DomainError, match=message):
        app.learning.comment(x, text, by=world["bob"])
    assert app.head() == head


def test_only_someone_who_may_read_the_item_may_comment(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    private = app.learning.record_reflection(world["team_a"], reflection(), by=world["ann"]).id
    shared = app.learning.record_reflection(
        world["team_a"], reflection(visibility=SHARED), by=world["ann"]
    ).id
    open_ = app.learning.record_reflection(
        world["team_a"], reflection(visibility=SIGNED_IN), by=world["ann"]
    ).id
    with pytest.raises(NotAllowed):
        app.learning.comment(private, "Hello", by=world["sam"])
    with pytest.raises(NotAllowed):
        app.learning.comment(shared, "Hello", by=world["pat"])  # not a partner yet
    app.learning.comment(open_, "Anyone signed in may", by=world["sam"])
    app.learning.name_partner(world["team_a"], world["pat"], by=world["ann"])
    app.learning.comment(shared, "As a partner I may", by=world["pat"])
    with pytest.raises(NotAllowed):
        app.learning.comment(private, "Team only stays team only", by=world["pat"])


def test_a_comment_is_under_its_authors_key_so_erasure_redacts_it(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    x = app.learning.propose_experiment(world["team_a"], experiment(), by=world["ann"]).id
    done = app.learning.comment(x, "My own words", by=world["bob"])
    subject = subject_for_email("bob@a.example", app.keys)
    assert subject is not None
    app.keys.shred(subject)
    assert app.repository.get(done.id).text == ERASED
    assert app.repository.get(x).content.title == "Community lifts"  # the team's stays


# -- learning partners ------------------------------------------------------------------------


def test_a_lead_names_and_removes_partners_from_beyond_the_team(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    with pytest.raises(NotAllowed):
        app.learning.name_partner(world["team_a"], world["pat"], by=world["bob"])
    with pytest.raises(DomainError, match="in this team"):
        app.learning.name_partner(world["team_a"], world["bob"], by=world["ann"])
    app.learning.name_partner_by_email(world["team_a"], "pat@b.example", by=world["ann"])
    with pytest.raises(DomainError, match="already"):
        app.learning.name_partner(world["team_a"], world["pat"], by=world["ann"])
    team = app.repository.get(world["team_a"])
    assert isinstance(team, Team) and team.is_partner(world["pat"])
    assert app.repository.get(world["pat"]).has_role(Role.TEAM_MEMBER)
    app.learning.remove_partner(world["team_a"], world["pat"], by=world["pat"])  # steps back
    assert not app.repository.get(world["team_a"]).is_partner(world["pat"])


def test_partners_read_shared_learning_and_see_roles_not_names() -> None:
    team = UUID(int=1)
    partner = Reader(account_id=UUID(int=9), partner_of=frozenset({team}))
    assert partner.may_read(SHARED, team)
    assert not partner.may_read(TEAM, team)
    assert not partner.sees_names_in(team)


# -- review dates -----------------------------------------------------------------------------


def test_a_concluded_experiment_gets_a_review_date_in_the_future(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    running = app.learning.propose_experiment(world["team_a"], experiment(), by=world["ann"]).id
    with pytest.raises(DomainError, match="once it is concluded"):
        app.learning.set_review_date(running, date.today() + timedelta(days=30), by=world["ann"])
    x = _concluded(app, world["team_a"], world["ann"])
    for past in (date.today(), days_ago(1)):
        with pytest.raises(DomainError, match="in the future"):
            app.learning.set_review_date(x, past, by=world["ann"])
    with pytest.raises(NotAllowed):
        app.learning.set_review_date(x, date.today() + timedelta(days=9), by=world["pat"])
    done = app.learning.set_review_date(x, date.today() + timedelta(days=30), by=world["bob"])
    assert done.id == Review.create_id(x)
    app.learning.set_review_date(x, date.today() + timedelta(days=40), by=world["bob"])
    assert app.repository.get(done.id).due_on == date.today() + timedelta(days=40)


def test_a_reflection_needs_next_steps_for_a_review_date(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    later = date.today() + timedelta(days=14)
    bare = app.learning.record_reflection(world["team_a"], reflection(), by=world["ann"]).id
    with pytest.raises(DomainError, match="what you will do next"):
        app.learning.set_review_date(bare, later, by=world["ann"])
    planned = app.learning.record_reflection(
        world["team_a"], reflection(what_next="Ask the drivers in March."), by=world["ann"]
    ).id
    app.learning.set_review_date(planned, later, by=world["ann"])


def test_a_due_review_is_noticed_once_per_date_and_cleared_by_reviewing(
    app: CairnApp, world: dict[str, UUID]
) -> None:
    x = _concluded(app, world["team_a"], world["ann"])
    due_on = date.today() + timedelta(days=10)
    review = app.learning.set_review_date(x, due_on, by=world["ann"]).id
    assert app.learning.send_review_notices(date.today(), [review]) == []  # not yet
    first = app.learning.send_review_notices(due_on, [review])
    assert first == [ReviewNotice.create_id(review, due_on)]
    assert app.learning.send_review_notices(due_on + timedelta(days=1), [review, review]) == []
    with pytest.raises(DomainError, match="Say what the review found"):
        app.learning.mark_reviewed(review, "  ", by=world["bob"])
    app.learning.mark_reviewed(review, "Still working: keep it.", by=world["bob"])
    reviewed = app.repository.get(review)
    assert reviewed.due_on is None and reviewed.history[0].note == "Still working: keep it."
    assert app.learning.send_review_notices(due_on + timedelta(days=2), [review]) == []
    with pytest.raises(DomainError, match="no review date"):
        app.learning.mark_reviewed(review, "Again", by=world["bob"])


# -- notices ----------------------------------------------------------------------------------


def test_a_person_turns_learning_notices_off_and_on(app: CairnApp, world: dict[str, UUID]) -> None:
    app.accounts.want_learning_notices(world["bob"], False)
    account = app.repository.get(world["bob"])
    assert isinstance(account, Account) and not account.wants_learning_notices
    with pytest.raises(DomainError, match="Nothing changed"):
        app.accounts.want_learning_notices(world["bob"], False)
    app.accounts.want_learning_notices(world["bob"], True)
    assert app.repository.get(world["bob"]).wants_learning_notices
