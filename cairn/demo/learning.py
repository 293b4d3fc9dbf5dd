"""A believable year of learning for the demo: two teams, their reflections and experiments.

Every name, email, amount and story here is invented. Dates are counted back from today, so
the year always ends now; each "happened on" and "started on" is an explicit field because
the events themselves are stamped with the moment the demo was loaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select

from cairn.demo import DEFAULT_DEMO_PASSWORD, Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today as today_from
from cairn.domain.learning.content import ExperimentContent, ReflectionContent
from cairn.domain.learning.vocabulary import (
    HYPOTHESIS_TEST,
    PUBLIC,
    SHARED,
    SIGNED_IN,
    SYSTEM_PROBE,
    TEAM,
)
from cairn.readmodels.learning.teams import learning_teams

CARRICK = "Carrick Community Connections"
LEITH = "Leith Carers Learning Circle"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    lead: bool = False


@dataclass
class Demo:
    runtime: Runtime
    admin_id: UUID
    password: str
    today: date
    ids: dict[str, UUID] = field(default_factory=dict)

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def person(self, who: Person) -> UUID:
        accounts = self.runtime.app.accounts
        account_id = accounts.account_id_for(who.email)
        if account_id is None:
            account_id = accounts.register(
                who.email, who.name, [Role.TEAM_MEMBER], self.password
            ).id
        return account_id

    def team(self, name: str, purpose: str, people: list[Person]) -> tuple[UUID, list[UUID]]:
        learning = self.runtime.app.learning
        members = [self.person(p) for p in people]
        team_id = learning.form_team(name, purpose, by=self.admin_id, lead_id=members[0]).id
        for person, account_id in zip(people[1:], members[1:], strict=True):
            learning.add_member(team_id, account_id, by=members[0], as_lead=person.lead)
        return team_id, members

    def reflect(self, team_id: UUID, by: UUID, days_ago: int, **fields: object) -> UUID:
        content = ReflectionContent(happened_on=self.ago(days_ago), **fields)  # type: ignore[arg-type]
        return self.runtime.app.learning.record_reflection(team_id, content, by=by).id


def _team_exists(runtime: Runtime, name: str) -> bool:
    with runtime.read_engine.connect() as conn:
        return (
            conn.execute(select(learning_teams.c.id).where(learning_teams.c.name == name)).first()
            is not None
        )


def load_learning_demo(runtime: Runtime, admin_id: UUID) -> list[str]:
    """Add the two demo teams and their year of learning, unless they are there already."""
    runtime.sql_runner.catch_up()
    demo = Demo(
        runtime=runtime,
        admin_id=admin_id,
        password=os.environ.get("CAIRN_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD),
        today=today_from(runtime.app.clock),
    )
    lines = []
    if _team_exists(runtime, CARRICK):
        lines.append("The Carrick learning team was already there.")
    else:
        _carrick(demo)
        lines.append("Added the Carrick learning team: a year of reflections and experiments.")
    runtime.sql_runner.catch_up()
    if _team_exists(runtime, LEITH):
        lines.append("The Leith learning team was already there.")
    else:
        _leith(demo)
        lines.append("Added the Leith carers' learning circle.")
    runtime.sql_runner.catch_up()
    runtime.learning_runner.catch_up()
    lines.append("Team members sign in as morag@carrick.example or eilidh@leith-carers.example.")
    return lines


def _carrick(demo: Demo) -> None:
    learning = demo.runtime.app.learning
    team_id, (morag, jamie, sandra, callum) = demo.team(
        CARRICK,
        "How people in rural Carrick get to the company, care and support that keep them well.",
        [
            Person("morag@carrick.example", "Morag (commissioner)", lead=True),
            Person("jamie@carrick.example", "Jamie (peer worker)"),
            Person("sandra@carrick.example", "Sandra (provider)"),
            Person("callum@carrick.example", "Callum (practitioner)"),
        ],
    )

    # A chain of three cycles that ends in adopt.
    lifts = ExperimentContent(
        kind=HYPOTHESIS_TEST,
        title="Community lifts to the Maybole day centre",
        purpose="People in outlying villages stop coming to the day centre when the bus "
        "timetable changes. We want them to keep the friendships they value.",
        question="Will volunteer drivers booked by phone bring people back to the centre?",
        what_we_try="Three volunteer drivers, booked through the centre's phone line the day "
        "before.",
        prediction="Most people who stopped coming will come back at least once a week.",
        signals="What people tell us about the journey and the day; who comes back and who "
        "does not; the drivers' stories.",
        who="Day-centre staff, three volunteer drivers, people who used to come",
        where="Maybole and the villages around it",
        starts_on=demo.ago(340),
        ends_on=demo.ago(260),
        funding_amount=Decimal("18000"),
        funder="Carrick Partnership Learning Fund",
        committed_months=36,
        visibility=PUBLIC,
    )
    first = learning.propose_experiment(team_id, lifts, by=morag, proposed_on=demo.ago(350)).id
    learning.start_experiment(first, by=morag, on=demo.ago(340))
    learning.add_observation(
        first,
        "Only two of the eleven people who stopped coming have booked. Several said phoning "
        "the day before feels like asking a favour.",
        by=jamie,
        on=demo.ago(320),
    )
    learning.add_observation(
        first,
        "One driver now collects the same three neighbours each week; they arrive laughing.",
        by=sandra,
        on=demo.ago(290),
    )
    learning.begin_sense_making(first, by=morag, on=demo.ago(262))
    second = learning.conclude_experiment(
        first,
        "adapt",
        learned="The lifts work when they feel like a neighbour's habit, not a service "
        "you must ask for.",
        reason="People valued the lifts but would not ask for them. We will offer a regular "
        "weekly lift instead of booking.",
        next_try="A standing weekly lift with the same driver, offered in person by a peer worker.",
        on=demo.ago(255),
        by=morag,
    ).id
    demo.reflect(
        team_id,
        jamie,
        258,
        title="Nobody wants to be a bother",
        what_happened="We sat down with people who had stopped coming to the day centre, to "
        "hear why the phone booking was not working.",
        what_we_noticed="Almost everyone said they did not want to be a bother. The ones who "
        "came back knew the driver already.",
        what_we_learned="Asking for help has a cost we had not counted. A familiar face lowers it.",
        what_next="Offer a standing lift in person instead of waiting to be asked.",
        voices=("person-using-support", "peer-worker", "practitioner"),
        consent_recorded=True,
        themes=("loneliness", "transport", "trust"),
        principles=("person-led-care", "lived-experience"),
        visibility=SHARED,
        experiment_id=first,
        district="KA19",
    )
    learning.start_experiment(second, by=morag, on=demo.ago(240))
    learning.add_observation(
        second,
        "Nine people now have a standing lift. Two carers say Tuesday is the one day they "
        "get to themselves.",
        by=callum,
        on=demo.ago(200),
    )
    learning.add_observation(
        second,
        "Drivers are tired: one covers three villages and is giving up her own Tuesdays.",
        by=sandra,
        on=demo.ago(170),
    )
    learning.begin_sense_making(second, by=morag, on=demo.ago(160))
    third = learning.conclude_experiment(
        second,
        "adapt",
        learned="The regular lift brings people back, and gives carers a breather, but it "
        "leans too hard on a few volunteers.",
        reason="Keep the standing lift; pay drivers a fair mileage and hours rate so it "
        "does not rest on goodwill alone.",
        next_try="Two paid part-time drivers from a local micro-provider, with volunteers as "
        "back-up.",
        next_prediction="The lifts keep going through the winter without volunteers burning out.",
        on=demo.ago(150),
        by=morag,
    ).id
    demo.reflect(
        team_id,
        sandra,
        165,
        title="Goodwill is not a business model",
        what_happened="Our volunteer drivers told us plainly that they could not keep going "
        "through the winter.",
        what_we_noticed="The people doing the most were the least likely to say so.",
        what_we_learned="If we value the lifts we have to pay for them fairly; otherwise we "
        "are spending volunteers' health.",
        what_next="Talk to local micro-providers about paid driving.",
        voices=("provider", "community-member"),
        themes=("workforce", "transport"),
        principles=("fair-work", "financial-transparency"),
        visibility=SIGNED_IN,
        experiment_id=second,
    )
    learning.revise_experiment(
        third,
        replace(
            lifts,
            what_we_try="Two paid part-time drivers from a local micro-provider, with "
            "volunteers as back-up.",
            prediction="The lifts keep going through the winter without volunteers burning out.",
            starts_on=demo.ago(140),
            ends_on=demo.ago(40),
            funding_amount=Decimal("24000"),
            committed_months=12,
        ),
        by=morag,
    )
    learning.start_experiment(third, by=morag, on=demo.ago(140))
    learning.add_observation(
        third,
        "Through the snow in January the lifts ran every week. Nobody missed a Tuesday.",
        by=callum,
        on=demo.ago(60),
    )
    learning.begin_sense_making(third, by=morag, on=demo.ago(40))
    learning.conclude_experiment(
        third,
        "adopt",
        learned="A paid, regular, familiar lift keeps people connected through the year and "
        "costs less than the crises it prevents.",
        reason="It worked through a hard winter, people and carers asked us to keep it, and "
        "the drivers are paid fairly. It becomes part of how we commission day support.",
        on=demo.ago(30),
        by=morag,
    )

    # An experiment we abandoned, and said why.
    tablets = ExperimentContent(
        kind=SYSTEM_PROBE,
        title="Video check-ins on loaned tablets",
        purpose="See whether video calls could keep people in touch between visits.",
        question="What happens when we lend tablets for weekly video check-ins?",
        what_we_try="Lend ten tablets with one weekly video call from the same practitioner.",
        signals="Whether calls happen, what people say about them, what breaks.",
        who="Ten people living alone, one practitioner",
        where="Girvan and Barr",
        funding_amount=Decimal("6500"),
        funder="Carrick Partnership Learning Fund",
        committed_months=6,
        visibility=PUBLIC,
    )
    probe = learning.propose_experiment(team_id, tablets, by=callum, proposed_on=demo.ago(215)).id
    learning.start_experiment(probe, by=callum, on=demo.ago(200))
    learning.add_observation(
        probe,
        "Broadband in Barr drops most afternoons; four calls out of five failed.",
        by=callum,
        on=demo.ago(180),
    )
    learning.begin_sense_making(probe, by=callum, on=demo.ago(130))
    learning.conclude_experiment(
        probe,
        "abandon",
        learned="Where the connection is poor, video adds worry, not company. The phone and "
        "a visit did better.",
        reason="The calls kept failing and people felt they were the problem. We stopped and "
        "returned the money not spent.",
        on=demo.ago(120),
        by=callum,
    )
    demo.reflect(
        team_id,
        callum,
        125,
        title="When the technology makes people feel they have failed",
        what_happened="We ended the tablet check-ins early.",
        what_we_noticed="People apologised to us when the call dropped.",
        what_we_learned="A tool that keeps failing teaches people that they are the problem. "
        "Stopping was the right call.",
        voices=("person-using-support", "practitioner"),
        consent_recorded=True,
        themes=("digital-inclusion", "rural-access"),
        principles=("person-led-care", "human-rights", "climate-circular-economy"),
        visibility=PUBLIC,
        experiment_id=probe,
        district="KA26",
    )
    for days, title, learned, themes, principles, visibility in (
        (
            330,
            "The day-centre kitchen is where people talk",
            "The most honest conversations happen over the washing up, not in reviews.",
            ("loneliness", "trust"),
            ("lived-experience",),
            TEAM,
        ),
        (
            280,
            "Hospital discharge on a Friday",
            "Friday discharges leave people without support for the weekend; the ward did not "
            "know our lifts existed.",
            ("hospital-discharge", "continuity-of-care"),
            ("shared-accountability", "outcomes"),
            SHARED,
        ),
        (
            190,
            "Paperwork that costs providers a day a week",
            "Three different forms ask the same questions. Providers spend a day a week on "
            "them instead of on care.",
            ("paperwork", "workforce"),
            ("fair-work", "financial-transparency"),
            SIGNED_IN,
        ),
        (
            90,
            "Carers want a breather, not a service",
            "What carers value is a predictable few hours, not another assessment.",
            ("carers", "prevention"),
            ("person-led-care", "high-quality-care"),
            SHARED,
        ),
        (
            20,
            "What we tell the board about the lifts",
            "Telling the story of the three cycles did more for the board than any figure "
            "would have.",
            ("transport", "trust"),
            ("shared-accountability",),
            PUBLIC,
        ),
    ):
        demo.reflect(
            team_id,
            morag,
            days,
            title=title,
            what_happened="We talked it through at our monthly learning session.",
            what_we_learned=learned,
            voices=("commissioner", "practitioner"),
            themes=themes,
            principles=principles,
            visibility=visibility,
        )


def _leith(demo: Demo) -> None:
    learning = demo.runtime.app.learning
    team_id, (eilidh, priya, tom) = demo.team(
        LEITH,
        "What helps unpaid carers in Leith keep going, told by carers themselves.",
        [
            Person("eilidh@leith-carers.example", "Eilidh (partnership lead)", lead=True),
            Person("priya@leith-carers.example", "Priya (unpaid carer)"),
            Person("tom@leith-carers.example", "Tom (provider)"),
        ],
    )
    evenings = ExperimentContent(
        kind=HYPOTHESIS_TEST,
        title="Breathing-space evenings for carers",
        purpose="Carers told us the evenings are the hardest time and the least supported.",
        question="Will a regular evening sitting service let carers rest without worry?",
        what_we_try="A trusted local provider sits with the person cared for, two evenings a "
        "month, same faces each time.",
        prediction="Carers will use the evenings and tell us they sleep and cope better.",
        signals="Carers' own words at the monthly circle; whether they keep booking.",
        who="Twelve carers, Leith Shore Support",
        where="Leith",
        starts_on=demo.ago(95),
        ends_on=demo.ago(95) + timedelta(days=3 * 365),
        funding_amount=Decimal("42000"),
        funder="Edinburgh Carers Partnership Fund",
        committed_months=36,
        visibility=PUBLIC,
    )
    evening_id = learning.propose_experiment(
        team_id, evenings, by=eilidh, proposed_on=demo.ago(110)
    ).id
    learning.start_experiment(evening_id, by=eilidh, on=demo.ago(95))
    learning.add_observation(
        evening_id,
        "Seven of the twelve carers booked in the first month; two went to the cinema for the "
        "first time in years.",
        by=tom,
        on=demo.ago(60),
    )
    learning.add_observation(
        evening_id,
        "Carers say knowing who will come matters more than how long they stay.",
        by=priya,
        on=demo.ago(25),
    )
    learning.propose_experiment(
        team_id,
        ExperimentContent(
            kind=SYSTEM_PROBE,
            title="A carers' corner at the GP surgery",
            purpose="Carers are often at the surgery for someone else and never asked about "
            "themselves.",
            question="What happens if a peer carer is at the surgery one morning a week?",
            what_we_try="A peer carer with tea and time, Tuesday mornings.",
            who="Peer carers, the practice team",
            where="Leith Walk surgery",
            visibility=TEAM,
        ),
        by=priya,
        proposed_on=demo.ago(10),
    )
    learning.share(team_id, [], everyone=True, by=eilidh)
    for days, title, learned, voices, themes, principles, visibility in (
        (
            300,
            "Being asked how I am, not how he is",
            "Carers rarely hear the question about themselves; when they do, they talk about "
            "sleep first.",
            ("unpaid-carer",),
            ("carers", "prevention"),
            ("lived-experience", "human-rights"),
            TEAM,
        ),
        (
            220,
            "Respite that needs three forms is not respite",
            "Every form between a carer and a break is a reason not to take it.",
            ("unpaid-carer", "practitioner"),
            ("carers", "paperwork", "self-directed-support"),
            ("person-led-care", "outcomes"),
            SHARED,
        ),
        (
            150,
            "Fair pay keeps the same faces",
            "When sitters are paid fairly they stay, and carers trust who comes.",
            ("provider", "unpaid-carer"),
            ("workforce", "continuity-of-care"),
            ("fair-work", "high-quality-care"),
            SIGNED_IN,
        ),
        (
            40,
            "The first evening out",
            "A few hours off changed how one carer talked about the whole month.",
            ("unpaid-carer", "provider"),
            ("carers", "loneliness"),
            ("person-led-care", "lived-experience"),
            PUBLIC,
        ),
    ):
        demo.reflect(
            team_id,
            eilidh if "practitioner" in voices else priya,
            days,
            title=title,
            what_happened="We heard it at the monthly carers' circle.",
            what_we_learned=learned,
            voices=voices,
            consent_recorded=True,
            themes=themes,
            principles=principles,
            visibility=visibility,
            experiment_id=evening_id if days < 95 else None,
        )
