"""The conversation around learning (issue #20, part 8) through the web: comments under an
item (names inside the team, roles beyond it), learning partners on the team's page, and a
review date on "what next" that brings the item back to the team's page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.clock import today
from cairn.domain.learning.vocabulary import PUBLIC, SHARED, TEAM
from cairn.operations.data_rights import erase_person
from cairn.readmodels.learning import queries as q
from tests.support.conversation import client_as, clock_on, concluded_experiment, date_boxes
from tests.support.learning import People, experiment, reflection, settle_all
from tests.support.web import csrf_token

HX = {"HX-Request": "true"}


def _post(client: FlaskClient, page: str, path: str, data: dict[str, object], **kw: object) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data}, **kw)


def _comment(client: FlaskClient, x: UUID, text: str, **kw: object) -> Any:
    page = f"/learning/experiments/{x}"
    return _post(
        client, page, f"{page}/comments", {"comment-text": text, "comment-language": "en"}, **kw
    )


@pytest.fixture
def x(runtime: Runtime, people: People) -> UUID:
    done = runtime.app.learning.propose_experiment(
        people.team_a, experiment(visibility=SHARED), by=people.ann
    )
    settle_all(runtime)
    return done.id


def test_a_member_comments_without_script_and_sees_it_under_the_experiment(
    client: FlaskClient, runtime: Runtime, people: People, x: UUID
) -> None:
    bob = client_as(client, "bob@team-a.example")
    sent = _comment(bob, x, "Could we ask the drivers too?")
    assert sent.status_code == 302
    assert re.search(rf"/learning/experiments/{x}#comment-[0-9a-f-]+$", sent.location)
    page = bob.get(f"/learning/experiments/{x}").get_data(as_text=True)
    assert "Could we ask the drivers too?" in page
    assert "<strong>Bob</strong>" in page  # inside the team: the name


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write your comment"), ("x" * 2001, "2000 characters or fewer")],
    ids=["empty", "too-long"],
)
def test_a_bad_comment_says_why_and_saves_nothing(
    client: FlaskClient, runtime: Runtime, people: People, x: UUID, text: str, message: str
) -> None:
    bob = client_as(client, "bob@team-a.example")
    answer = _comment(bob, x, text)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert (
        q.comments_on(
            runtime.read_engine, q.reader_of(runtime.read_engine, people.bob), x, people.team_a
        )
        == []
    )


def test_with_htmx_the_comment_is_added_in_place_and_takes_the_focus(
    client: FlaskClient, people: People, x: UUID
) -> None:
    bob = client_as(client, "bob@team-a.example")
    answer = _comment(bob, x, "In place, please", headers=HX)
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="comments"') or 'id="comments"' in html[:300]
    assert "<html" not in html
    assert re.search(r'<li id="comment-[^"]+" tabindex="-1" data-focus-after-swap>', html)
    assert "In place, please" in html and "data-announce" in html
    refused = _comment(bob, x, " ", headers=HX)
    assert refused.status_code == 400 and "ds_error-summary" in refused.get_data(as_text=True)


def test_authors_edit_and_remove_their_own_comment_only(
    client: FlaskClient, runtime: Runtime, people: People, x: UUID
) -> None:
    bob = client_as(client, "bob@team-a.example")
    _comment(bob, x, "First thoughts")
    settle_all(runtime)
    [said] = q.comments_on(
        runtime.read_engine, q.reader_of(runtime.read_engine, people.bob), x, people.team_a
    )
    edit = f"/learning/comments/{said.id}/edit"
    ann = client_as(client, "ann@team-a.example")
    assert ann.get(edit).status_code == 403
    assert "Edit" in bob.get(f"/learning/experiments/{x}").get_data(as_text=True)
    saved = _post(bob, edit, edit, {"text": "Second thoughts", "language": "en"})
    assert saved.status_code == 302
    page = bob.get(f"/learning/experiments/{x}").get_data(as_text=True)
    assert "Second thoughts" in page and "edited" in page
    assert "Edited: 1 earlier version" in page and "First thoughts" in page  # kept, marked
    assert (
        _post(
            ann, f"/learning/experiments/{x}", f"/learning/comments/{said.id}/remove", {}
        ).status_code
        == 403
    )
    removed = _post(bob, f"/learning/experiments/{x}", f"/learning/comments/{said.id}/remove", {})
    assert removed.status_code == 302
    page = bob.get(f"/learning/experiments/{x}").get_data(as_text=True)
    assert "Second thoughts" not in page and "removed by the person who wrote it" in page
    assert "First thoughts" not in page  # its earlier versions go with it


def test_an_erased_commenter_leaves_their_comment_visibly_redacted(
    client: FlaskClient, runtime: Runtime, people: People, x: UUID
) -> None:
    bob = client_as(client, "bob@team-a.example")
    _comment(bob, x, "Words of mine")
    erase_person(runtime, "bob@team-a.example")
    settle_all(runtime)
    ann = client_as(client, "ann@team-a.example")
    page = ann.get(f"/learning/experiments/{x}").get_data(as_text=True)
    assert "Words of mine" not in page
    assert "the person who wrote it had their data erased" in page


def test_partners_read_shared_learning_comment_and_see_roles_not_names(
    client: FlaskClient, runtime: Runtime, people: People, x: UUID
) -> None:
    ann = client_as(client, "ann@team-a.example")
    team = f"/learning/teams/{people.team_a}"
    bob = client_as(client, "bob@team-a.example")
    refused = _post(bob, team, f"{team}/partners", {"email": "cat@team-b.example"})
    assert refused.status_code == 403 or "Only a team lead" in refused.get_data(as_text=True)
    cat = client_as(client, "cat@team-b.example")
    assert cat.get(f"/learning/experiments/{x}").status_code == 404  # not yet a partner
    named = _post(ann, team, f"{team}/partners", {"email": "cat@team-b.example"})
    assert named.status_code == 302
    page = ann.get(team).get_data(as_text=True)
    assert re.search(r'id="partners".*Cat', page, re.S)
    bad = _post(ann, team, f"{team}/partners", {"email": "nobody@nowhere.example"})
    assert bad.status_code == 400 and "There is no account" in bad.get_data(as_text=True)

    _comment(bob, x, "From inside the team")
    assert _comment(cat, x, "From a partner").status_code == 302
    seen_by_cat = cat.get(f"/learning/experiments/{x}").get_data(as_text=True)
    assert "From inside the team" in seen_by_cat and "Bob" not in seen_by_cat
    assert "a team member" in seen_by_cat
    seen_by_ann = ann.get(f"/learning/experiments/{x}").get_data(as_text=True)
    assert "<strong>Cat</strong>" in seen_by_ann  # inside the team, names

    private = runtime.app.learning.record_reflection(
        people.team_a, reflection(visibility=TEAM), by=people.ann
    ).id
    settle_all(runtime)
    assert cat.get(f"/learning/reflections/{private}").status_code == 404
    removed = _post(ann, team, f"{team}/partners/{people.cat}/remove", {})
    assert removed.status_code == 302
    settle_all(runtime)
    assert cat.get(f"/learning/experiments/{x}").status_code == 404


def test_a_review_date_brings_the_item_back_to_the_teams_page_until_reviewed(
    client: FlaskClient, runtime: Runtime, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = concluded_experiment(runtime, people.team_a, people.ann, title="Lifts decided")
    settle_all(runtime)
    ann = client_as(client, "ann@team-a.example")
    page = f"/learning/experiments/{x}"
    now = today(runtime.app.clock)
    past = _post(ann, page, f"{page}/review", date_boxes("review-due_on", now))
    assert past.status_code == 400 and "must be in the future" in past.get_data(as_text=True)
    wrong = _post(
        ann,
        page,
        f"{page}/review",
        {"review-due_on-day": "31", "review-due_on-month": "2", "review-due_on-year": "2030"},
    )
    assert wrong.status_code == 400
    due_on = now + timedelta(days=1)
    saved = _post(ann, page, f"{page}/review", date_boxes("review-due_on", due_on))
    assert saved.status_code == 302
    team = f"/learning/teams/{people.team_a}"
    assert "Due for review" not in ann.get(team).get_data(as_text=True)

    monkeypatch.setattr(runtime.app, "clock", clock_on(due_on))
    home = ann.get(team).get_data(as_text=True)
    assert "Due for review" in home and "Lifts decided" in home
    cat = client_as(client, "cat@team-b.example")
    assert "Due for review" not in cat.get(team).get_data(as_text=True)  # the team's own

    review = q.review_of(runtime.read_engine, x)
    assert review is not None
    done = f"/learning/reviews/{review.id}/done"
    empty = _post(ann, page, done, {"reviewed-note": "", "reviewed-language": "en"})
    assert empty.status_code == 400 and "Say what the review found" in empty.get_data(as_text=True)
    cleared = _post(
        ann, page, done, {"reviewed-note": "Still right: keep it.", "reviewed-language": "en"}
    )
    assert cleared.status_code == 302
    assert "Due for review" not in ann.get(team).get_data(as_text=True)
    assert "Still right: keep it." in ann.get(page).get_data(as_text=True)


def test_a_reflection_without_next_steps_offers_no_review_date(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    bare = runtime.app.learning.record_reflection(people.team_a, reflection(), by=people.ann).id
    planned = runtime.app.learning.record_reflection(
        people.team_a, reflection(what_next="Ask again in spring."), by=people.ann
    ).id
    settle_all(runtime)
    ann = client_as(client, "ann@team-a.example")
    assert "Set a review date" not in ann.get(f"/learning/reflections/{bare}").get_data(
        as_text=True
    )
    assert "Set a review date" in ann.get(f"/learning/reflections/{planned}").get_data(as_text=True)


def test_signed_out_readers_of_public_learning_are_asked_to_sign_in_to_comment(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    open_ = runtime.app.learning.record_reflection(
        people.team_a, reflection(visibility=PUBLIC), by=people.ann
    ).id
    settle_all(runtime)
    page = client.get(f"/learning/reflections/{open_}").get_data(as_text=True)
    assert "Sign in to comment" in page and "Add your comment" not in page
    eve = client_as(client, "eve@nowhere.example")  # signed in, in no team
    path = f"/learning/reflections/{open_}"
    sent = _post(
        eve, path, f"{path}/comments", {"comment-text": "From beyond", "comment-language": "en"}
    )
    assert sent.status_code == 302
    assert "someone from beyond the team" in client.get(path).get_data(as_text=True)


def test_a_person_turns_learning_emails_off_on_their_account_page(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    bob = client_as(client, "bob@team-a.example")
    page = bob.get("/account").get_data(as_text=True)
    assert "Turn these emails off" in page
    assert _post(bob, "/account", "/account/learning-notices", {"wanted": "no"}).status_code == 302
    assert "Turn these emails on" in bob.get("/account").get_data(as_text=True)
