"""The search index follows the log exactly once; the demo data is a believable year."""

from __future__ import annotations

from uuid import UUID

from cairn.bootstrap.runtime import Runtime
from cairn.demo.directory import load_demo_data
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.visibility import Reader
from cairn.readmodels.learning import queries as q
from cairn.search.learning import LearningIndex
from cairn.web import create_app
from tests.support.learning import People, experiment, reflection, settle_all
from tests.support.web import sign_in


def test_the_index_applies_each_event_once_and_a_replay_changes_nothing(
    runtime: Runtime, people: People
) -> None:
    done = runtime.app.learning.record_reflection(
        people.team_a, reflection(what_happened="A lighthouse story"), by=people.ann
    )
    settle_all(runtime)
    index = runtime.learning_index
    assert index.position() == runtime.app.head()
    batch = runtime.reader.read(0, 1000)
    assert index.apply(batch) is False  # already applied: nothing written
    ann = Reader(account_id=people.ann, member_of=frozenset({people.team_a}))
    assert [hit.id for hit in index.search("lighthouse", ann)] == [done.id]


def test_the_index_rebuilds_from_the_log_and_upserts_by_id(
    runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    done = learning.record_reflection(people.team_a, reflection(), by=people.ann)
    learning.revise_reflection(done.id, reflection(what_happened="A harbour story"), by=people.ann)
    settle_all(runtime)
    index = runtime.learning_index
    index.clear()
    assert index.position() == 0
    runtime.learning_runner.catch_up()
    ann = Reader(account_id=people.ann, member_of=frozenset({people.team_a}))
    assert [hit.id for hit in index.search("harbour", ann)] == [done.id]
    # A fresh process opening the same folder sees the same position and documents.
    reopened = LearningIndex(runtime.settings.index_dir / "learning")
    assert reopened.position() == runtime.app.head()
    assert len(reopened.search("day centre", ann)) == 1


def test_the_demo_is_a_believable_year_and_loading_it_twice_adds_nothing(
    runtime: Runtime,
) -> None:
    # Loaded as `cairn demo-data` does, before anything follows the log in the background.
    load_demo_data(runtime)
    head = runtime.app.head()
    load_demo_data(runtime)
    assert runtime.app.head() == head
    settle_all(runtime)
    client = create_app(runtime.settings, runtime, start_projections=True, testing=True)
    client = client.test_client()

    funding = client.get("/funding").get_data(as_text=True)
    for amount in ("£18,000", "£24,000", "£6,500", "£42,000"):
        assert amount in funding
    assert "Abandon" in funding and "Adopt" in funding

    engine = runtime.read_engine
    morag = runtime.app.accounts.account_id_for("morag@carrick.example")
    assert isinstance(morag, UUID)
    reader = q.reader_of(engine, morag)
    (carrick,) = [t for t in q.all_teams(engine) if t.name == "Carrick Community Connections"]
    entries = q.timeline(engine, reader, carrick.id)
    assert len(entries) >= 8
    months = {(r.happened_on.year, r.happened_on.month) for r in entries}
    assert len(months) >= 6  # spread over the year, not bunched on one day
    changes = q.changes(engine, reader, carrick.id)
    assert [x.outcome for x in changes] == ["adopt", "adapt", "adapt"]
    (chain,) = {x.chain_id for x in changes}
    assert [c.experiment.cycle for c in q.story(engine, reader, chain)] == [1, 2, 3]

    # A public reflection keeps a person's own words, with consent that covers the public:
    # a visitor who is not signed in reads them, with how and when consent was given.
    (failed,) = [r for r in entries if r.title.startswith("When the technology")]
    public_page = client.get(f"/learning/reflections/{failed.id}").get_data(as_text=True)
    assert "I kept saying sorry to the screen." in public_page
    assert "On an easy-read consent form" in public_page

    # The demo's partnership lead reads across both teams.
    lead = client.application.test_client()
    sign_in(lead, "ruth@partnership.example", "cairn-demo-password")
    across = lead.get("/learning/partnership").get_data(as_text=True)
    assert "Carrick Community Connections" in across and "Leith" in across

    sign_in(client, "morag@carrick.example", "cairn-demo-password")
    assert client.get(f"/learning/teams/{carrick.id}/timeline").status_code == 200
    assert "Learning" in client.get("/").get_data(as_text=True)  # the nav link


def test_an_experiment_is_found_by_its_amendment_corrections_sessions_and_study(
    runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    x = learning.propose_experiment(people.team_a, experiment(), by=people.ann).id
    learning.start_experiment(x, by=people.ann)
    learning.add_observation(x, "A ferry story", by=people.ann, role="practitioner")
    observation = next(iter(runtime.app.load(Experiment, x).observations))
    learning.correct_observation(x, observation, "A causeway story", by=people.ann, role="provider")
    learning.amend_prediction(
        x,
        what_we_try="Volunteer drivers booked by phone.",
        prediction="Half come back by lighthouse time.",
        signals="",
        reason="A harbourmaster said so",
        by=people.ann,
    )
    learning.begin_sense_making(x, by=people.ann)
    learning.hold_sense_making(
        x, roles=("practitioner",), notes="We met at the quayside", by=people.ann
    )
    learning.conclude_experiment(
        x,
        "adopt",
        against_prediction="Fewer than the seagulls",
        surprises="A kelpie appeared",
        learned="l",
        reason="r",
        by=people.ann,
    )
    settle_all(runtime)
    ann = Reader(account_id=people.ann, member_of=frozenset({people.team_a}))
    index = runtime.learning_index
    for words in ("causeway", "lighthouse", "harbourmaster", "quayside", "seagulls", "kelpie"):
        assert [hit.id for hit in index.search(words, ann)] == [x], words
    # The corrected words are the observation now; the earlier version stays in the story.
    assert index.search("ferry", ann) == []
