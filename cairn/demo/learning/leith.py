"""The Leith carers' learning circle: what helps unpaid carers keep going."""

from __future__ import annotations

from datetime import timedelta
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

LEITH = "Leith Carers Learning Circle"


def leith(demo: Demo) -> None:
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
        role="provider",
        on=demo.ago(60),
    )
    learning.add_observation(
        evening_id,
        "Carers say knowing who will come matters more than how long they stay.",
        by=priya,
        role="unpaid-carer",
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
