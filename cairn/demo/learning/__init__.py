"""A believable year of learning for the demo: two teams, their reflections and experiments.

Every name, email, amount and story here is invented. Dates are counted back from today, so
the year always ends now; each "happened on" and "started on" is an explicit field because
the events themselves are stamped with the moment the demo was loaded.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from cairn.demo import DEFAULT_DEMO_PASSWORD, Runtime
from cairn.demo.learning import funding as demo_funding
from cairn.demo.learning.carrick import CARRICK, carrick
from cairn.demo.learning.leith import LEITH, leith
from cairn.demo.learning.people import Demo
from cairn.domain.clock import today as today_from
from cairn.readmodels.learning.teams import learning_teams

__all__ = ["CARRICK", "LEITH", "load_learning_demo"]


PARTNERSHIP_LEAD_EMAIL = "ruth@partnership.example"


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
        password=runtime.settings.demo_password or DEFAULT_DEMO_PASSWORD,
        today=today_from(runtime.app.clock),
    )
    lines = []
    if _team_exists(runtime, CARRICK):
        lines.append("The Carrick learning team was already there.")
    else:
        carrick(demo)
        lines.append("Added the Carrick learning team: a year of reflections and experiments.")
    runtime.sql_runner.catch_up()
    if _team_exists(runtime, LEITH):
        lines.append("The Leith learning team was already there.")
    else:
        leith(demo)
        lines.append("Added the Leith carers' learning circle.")
    runtime.sql_runner.catch_up()
    if demo_funding.already_there(demo):
        lines.append("The demo funding was already there.")
    else:
        demo_funding.funding(demo)
        lines.append("Added the demo funding: a three-year fund across four tiers of support.")
    if runtime.app.accounts.account_id_for(PARTNERSHIP_LEAD_EMAIL) is None:
        # Reads every team's shared learning at /learning/partnership (issue #20, part 5).
        runtime.app.learning.create_member_account(
            PARTNERSHIP_LEAD_EMAIL,
            "Ruth (partnership lead)",
            demo.password,
            by=admin_id,
            partnership_lead=True,
        )
    runtime.sql_runner.catch_up()
    runtime.learning_runner.catch_up()
    lines.append("Team members sign in as morag@carrick.example or eilidh@leith-carers.example.")
    lines.append(
        f"A partnership lead, reading across the teams, signs in as {PARTNERSHIP_LEAD_EMAIL}."
    )
    return lines
