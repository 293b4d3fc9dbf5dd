"""Searching learning as people write and look: plurals meet their singulars, each result shows
where the words matched, one result stands for a whole experiment, and filters narrow by kind,
team, theme and principle (issue #20, part 8)."""

from __future__ import annotations

from datetime import timedelta

from whoosh import index as whoosh_index

from cairn.bootstrap.runtime import Runtime
from cairn.domain.learning.visibility import Reader
from cairn.domain.learning.vocabulary import ADAPT, PUBLIC
from cairn.search.learning import SCHEMA_VERSION, LearningFilter, LearningIndex
from tests.support.learning import TODAY, People, experiment, reflection, settle_all


def _ann(people: People) -> Reader:
    return Reader(account_id=people.ann, member_of=frozenset({people.team_a}))


def test_a_plural_finds_its_singular_and_back(runtime: Runtime, people: People) -> None:
    learning = runtime.app.learning
    buses = learning.record_reflection(
        people.team_a, reflection(what_happened="The buses stopped at six."), by=people.ann
    ).id
    bus = learning.record_reflection(
        people.team_a, reflection(what_happened="One bus a day reaches Barr."), by=people.ann
    ).id
    settle_all(runtime)
    index = runtime.learning_index
    assert {h.id for h in index.search("bus", _ann(people))} == {buses, bus}
    assert {h.id for h in index.search("buses", _ann(people))} == {buses, bus}


def test_each_result_shows_where_its_words_matched(runtime: Runtime, people: People) -> None:
    runtime.app.learning.record_reflection(
        people.team_a,
        reflection(what_happened="Nobody had told the drivers which villages had no buses."),
        by=people.ann,
    )
    settle_all(runtime)
    [hit] = runtime.learning_index.search("bus villages", _ann(people))
    marked = [part.text for part in hit.snippet if part.marked]
    assert marked == ["villages", "buses"]
    assert "".join(part.text for part in hit.snippet).startswith("Nobody had told the drivers")


def test_an_experiment_over_two_cycles_is_one_result(runtime: Runtime, people: People) -> None:
    learning = runtime.app.learning
    first = learning.propose_experiment(
        people.team_a,
        experiment(what_we_try="Lanterns at the bus stop."),
        by=people.ann,
        proposed_on=TODAY - timedelta(days=60),
    ).id
    learning.start_experiment(first, by=people.ann, on=TODAY - timedelta(days=50))
    learning.begin_sense_making(first, by=people.ann)
    second = learning.conclude_experiment(
        first,
        ADAPT,
        learned="People came when they could see the stop.",
        reason="Brighter lanterns next.",
        against_prediction="Fewer came than we predicted.",
        next_try="Brighter lanterns at the bus stop.",
        by=people.ann,
    ).id
    settle_all(runtime)
    hits = runtime.learning_index.search("lanterns", _ann(people))
    assert len(hits) == 1 and hits[0].id in {first, second}


def test_filters_narrow_by_kind_team_theme_and_principle(runtime: Runtime, people: People) -> None:
    learning = runtime.app.learning
    transport = learning.record_reflection(
        people.team_a,
        reflection(what_happened="A kettle at the hall.", themes=("transport",)),
        by=people.ann,
    ).id
    carers = learning.record_reflection(
        people.team_a,
        reflection(
            what_happened="A kettle for carers.",
            themes=("carers",),
            principles=("human-rights",),
        ),
        by=people.ann,
    ).id
    theirs = learning.record_reflection(
        people.team_b,
        reflection(what_happened="A kettle of our own.", visibility=PUBLIC, themes=()),
        by=people.cat,
    ).id
    plan = learning.propose_experiment(
        people.team_a, experiment(what_we_try="A kettle on every bus."), by=people.ann
    ).id
    settle_all(runtime)
    index = runtime.learning_index

    def found(wanted: LearningFilter) -> set[object]:
        return {h.id for h in index.search("kettle", _ann(people), wanted=wanted)}

    assert found(LearningFilter()) == {transport, carers, theirs, plan}
    assert found(LearningFilter(kind="experiment")) == {plan}
    assert found(LearningFilter(team_id=people.team_b)) == {theirs}
    assert found(LearningFilter(theme="Transport")) == {transport}
    assert found(LearningFilter(principle="human-rights")) == {carers}
    assert found(LearningFilter(kind="reflection", theme="carers")) == {carers}
    assert found(LearningFilter(kind="experiment", theme="carers")) == set()


def test_an_index_of_an_older_release_is_filled_again(runtime: Runtime, people: People) -> None:
    runtime.app.learning.record_reflection(people.team_a, reflection(), by=people.ann)
    settle_all(runtime)
    directory = runtime.settings.index_dir / "learning"
    assert LearningIndex(directory).position() == runtime.app.head()
    opened = whoosh_index.open_dir(str(directory))
    with opened.writer() as writer:  # as release 1 left it: no schema version
        writer.update_document(id="__tracking__", kind="tracking", position=runtime.app.head())
    opened.close()
    again = LearningIndex(directory)
    assert again.position() == 0  # emptied, so the runner fills it from the log
    assert SCHEMA_VERSION == 3


def test_the_theme_and_principle_filters_find_experiments_and_follow_an_edit(
    runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    lifts = learning.propose_experiment(
        people.team_a,
        experiment(
            what_we_try="A kettle in every lift.",
            themes=("Rural access",),
            principles=("human-rights",),
        ),
        by=people.ann,
    ).id
    learning.record_reflection(
        people.team_a, reflection(what_happened="A kettle at the hall."), by=people.ann
    )
    settle_all(runtime)
    index = runtime.learning_index

    def found(wanted: LearningFilter) -> set[object]:
        return {h.id for h in index.search("kettle", _ann(people), wanted=wanted)}

    assert found(LearningFilter(theme="rural-access")) == {lifts}
    assert found(LearningFilter(kind="experiment", principle="human-rights")) == {lifts}
    assert {h.id for h in index.search("rural", _ann(people))} == {lifts}  # themes are words too
    learning.start_experiment(lifts, by=people.ann)  # running: the lens is still edited
    learning.revise_experiment(
        lifts,
        experiment(what_we_try="A kettle in every lift.", themes=("carers",)),
        by=people.ann,
    )
    settle_all(runtime)
    assert found(LearningFilter(theme="rural-access")) == set()
    assert found(LearningFilter(theme="carers", principle="")) == {lifts}
    assert found(LearningFilter(principle="human-rights")) == set()
