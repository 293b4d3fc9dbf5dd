"""Reflections and experiments through one lens (issue #20, part 4): the same filters, the
same tallies of themes and principles, both kinds saying which they are, and nothing another
reader may not read."""

from __future__ import annotations

from typing import Any

from cairn.bootstrap.runtime import Runtime
from cairn.domain.learning.visibility import Reader
from cairn.domain.learning.vocabulary import PUBLIC
from cairn.readmodels.learning import queries as q
from cairn.readmodels.learning.experiments import learning_experiment_tags
from tests.support.learning import People, days_ago, experiment, reflection, settle_all


def _ann(people: People) -> Reader:
    return Reader(account_id=people.ann, member_of=frozenset({people.team_a}))


def _cat(people: People) -> Reader:
    return Reader(account_id=people.cat, member_of=frozenset({people.team_b}))


def _world(runtime: Runtime, people: People) -> dict[str, Any]:
    """Team A: two reflections and two experiments, tagged apart, across a year."""
    learning = runtime.app.learning
    ids = {
        "carers note": learning.record_reflection(
            people.team_a,
            reflection(
                title="Carers note",
                themes=("carers",),
                principles=("fair-work",),
                happened_on=days_ago(20),
            ),
            by=people.ann,
        ).id,
        "old lifts note": learning.record_reflection(
            people.team_a,
            reflection(title="Old lifts note", themes=("transport",), happened_on=days_ago(300)),
            by=people.ann,
        ).id,
    }
    sitters = learning.propose_experiment(
        people.team_a,
        experiment(
            title="Sitters for carers",
            themes=("carers", "trust"),
            principles=("fair-work", "human-rights"),
            voices=("unpaid-carer",),
            consent_recorded=True,
        ),
        by=people.ann,
        proposed_on=days_ago(40),
    ).id
    learning.start_experiment(sitters, by=people.ann, on=days_ago(30))
    ids["sitters"] = sitters
    old = learning.propose_experiment(
        people.team_a,
        experiment(title="Old lifts trial", themes=("carers",)),
        by=people.ann,
        proposed_on=days_ago(400),
    ).id
    learning.start_experiment(old, by=people.ann, on=days_ago(390))
    learning.begin_sense_making(old, by=people.ann, on=days_ago(370))
    learning.conclude_experiment(
        old,
        "abandon",
        against_prediction="Nobody came.",
        learned="Not lifts.",
        reason="Try something else.",
        by=people.ann,
        on=days_ago(360),
    )
    ids["old lifts trial"] = old
    settle_all(runtime)
    return ids


def _titles(items: list[q.Item]) -> list[tuple[str, str]]:
    return [(item.kind, item.row.title) for item in items]


def test_the_timeline_lists_both_kinds_newest_first(runtime: Runtime, people: People) -> None:
    _world(runtime, people)
    items = q.lens(runtime.read_engine, _ann(people), people.team_a)
    assert _titles(items) == [
        ("reflection", "Carers note"),  # 20 days ago
        ("experiment", "Sitters for carers"),  # started 30 days ago
        ("reflection", "Old lifts note"),  # 300 days ago
        ("experiment", "Old lifts trial"),  # concluded 360 days ago
    ]
    only = q.lens(
        runtime.read_engine, _ann(people), people.team_a, q.TimelineFilter(kind="experiment")
    )
    assert {kind for kind, _title in _titles(only)} == {"experiment"}


def test_theme_principle_voice_and_dates_filter_both_kinds(
    runtime: Runtime, people: People
) -> None:
    _world(runtime, people)

    def found(**wanted: Any) -> set[str]:
        items = q.lens(runtime.read_engine, _ann(people), people.team_a, q.TimelineFilter(**wanted))
        return {item.row.title for item in items}

    assert found(theme="carers") == {"Carers note", "Sitters for carers", "Old lifts trial"}
    assert found(principle="human-rights") == {"Sitters for carers"}
    assert found(voice="unpaid-carer") == {"Sitters for carers"}
    # An experiment is in a period when it was going on: proposed by its end, not concluded
    # before its start.
    assert found(theme="carers", since=days_ago(100)) == {"Carers note", "Sitters for carers"}
    assert found(until=days_ago(350)) == {"Old lifts trial"}
    assert found(since=days_ago(365), until=days_ago(355)) == {"Old lifts trial"}
    assert found(since=days_ago(35), until=days_ago(25)) == {"Sitters for carers"}


def test_the_experiment_filter_lists_its_own_cycles_too(runtime: Runtime, people: People) -> None:
    ids = _world(runtime, people)
    items = q.lens(
        runtime.read_engine,
        _ann(people),
        people.team_a,
        q.TimelineFilter(experiment=ids["sitters"]),
    )
    assert _titles(items) == [("experiment", "Sitters for carers")]


def test_themes_and_principles_count_both_kinds(runtime: Runtime, people: People) -> None:
    _world(runtime, people)
    themes = {
        t.key: t for t in q.tag_tallies(runtime.read_engine, _ann(people), people.team_a, "theme")
    }
    carers = themes["carers"]
    assert (carers.reflections, carers.experiments, carers.count) == (1, 2, 3)
    assert [(i.kind, i.row.title) for i in carers.recent] == [
        ("reflection", "Carers note"),
        ("experiment", "Sitters for carers"),
        ("experiment", "Old lifts trial"),
    ]
    assert (themes["trust"].reflections, themes["trust"].experiments) == (0, 1)
    principles = {
        t.key: t for t in q.principle_tallies(runtime.read_engine, _ann(people), people.team_a)
    }
    assert (principles["fair-work"].reflections, principles["fair-work"].experiments) == (1, 1)
    assert principles["human-rights"].experiments == 1
    assert principles["outcomes"].count == 0


def test_another_team_reads_only_what_is_shared_with_it(runtime: Runtime, people: People) -> None:
    _world(runtime, people)
    learning = runtime.app.learning
    learning.propose_experiment(
        people.team_a,
        experiment(title="Open sitters", themes=("carers",), visibility=PUBLIC),
        by=people.ann,
    )
    settle_all(runtime)
    cat = _cat(people)
    assert _titles(
        q.lens(runtime.read_engine, cat, people.team_a, q.TimelineFilter(theme="carers"))
    ) == [("experiment", "Open sitters")]
    [carers] = q.tag_tallies(runtime.read_engine, cat, people.team_a, "theme")
    assert (carers.key, carers.count) == ("carers", 1)


def test_an_edit_replaces_the_tag_rows(runtime: Runtime, people: People) -> None:
    ids = _world(runtime, people)
    runtime.app.learning.revise_experiment(
        ids["sitters"],
        experiment(title="Sitters for carers", themes=("respite",)),
        by=people.ann,
    )
    settle_all(runtime)
    with runtime.read_engine.connect() as conn:
        rows = conn.execute(
            learning_experiment_tags.select().where(
                learning_experiment_tags.c.experiment_id == ids["sitters"]
            )
        ).all()
    assert {(r.kind, r.value) for r in rows} == {("theme", "respite")}
    row = q.experiment(runtime.read_engine, _ann(people), ids["sitters"])
    assert row is not None and row.themes == ["respite"] and row.voices == []
