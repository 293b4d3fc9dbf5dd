"""The Carrick team's year: rural company, care and support, from proposal to change."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from cairn.demo.learning.people import Demo, Person
from cairn.domain.learning.content import ExperimentContent
from cairn.domain.learning.vocabulary import (
    HYPOTHESIS_TEST,
    PUBLIC,
    SHARED,
    SIGNED_IN,
    SYSTEM_PROBE,
    TEAM,
)
from cairn.domain.learning.voices import HeardVoice

CARRICK = "Carrick Community Connections"


def carrick(demo: Demo) -> None:
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
        themes=("transport", "loneliness", "rural-access"),
        principles=("person-led-care", "outcomes"),
        voices=("person-using-support", "practitioner"),
        consent_recorded=True,
    )
    first = learning.propose_experiment(team_id, lifts, by=morag, proposed_on=demo.ago(350)).id
    learning.start_experiment(first, by=morag, on=demo.ago(340))
    learning.add_observation(
        first,
        "Only two of the eleven people who stopped coming have booked. Several said phoning "
        "the day before feels like asking a favour.",
        by=jamie,
        value=Decimal("2"),
        unit="people booked",
        role="peer-worker",
        on=demo.ago(320),
    )
    learning.add_observation(
        first,
        "One driver now collects the same three neighbours each week; they arrive laughing.",
        by=sandra,
        role="provider",
        on=demo.ago(290),
    )
    learning.begin_sense_making(first, by=morag, on=demo.ago(262))
    second = learning.conclude_experiment(
        first,
        "adapt",
        against_prediction="Not as we predicted: two of eleven came back, not most. The ones "
        "who came knew their driver.",
        surprises="How much people minded asking; the car became a social hour of its own.",
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
        value=Decimal("9"),
        unit="people with a lift",
        role="practitioner",
        on=demo.ago(200),
    )
    learning.add_observation(
        second,
        "Drivers are tired: one covers three villages and is giving up her own Tuesdays.",
        by=sandra,
        role="provider",
        on=demo.ago(170),
    )
    learning.begin_sense_making(second, by=morag, on=demo.ago(160))
    third = learning.conclude_experiment(
        second,
        "adapt",
        against_prediction="Nine of eleven came back weekly, as we predicted, but only while "
        "the volunteers could keep it up.",
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
        role="practitioner",
        on=demo.ago(60),
    )
    learning.begin_sense_making(third, by=morag, on=demo.ago(40))
    learning.conclude_experiment(
        third,
        "adopt",
        against_prediction="As predicted: the lifts ran all winter and no driver gave up.",
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
        themes=("digital-inclusion",),
        principles=("human-rights",),
        voices=("practitioner",),
    )
    probe = learning.propose_experiment(team_id, tablets, by=callum, proposed_on=demo.ago(215)).id
    learning.start_experiment(probe, by=callum, on=demo.ago(200))
    learning.add_observation(
        probe,
        "Broadband in Barr drops most afternoons; four calls out of five failed.",
        by=callum,
        role="practitioner",
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
    failed = demo.reflect(
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
    # Someone's own words, kept with their consent for the public page (#20, part 7).
    learning.hear_voice(
        failed,
        HeardVoice(
            role="person-using-support",
            words="I kept saying sorry to the screen. I would rather you just came by.",
            consent_how="easy-read",
            consent_on=demo.ago(126),
            consent_covers=PUBLIC,
        ),
        by=callum,
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
