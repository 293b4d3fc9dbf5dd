"""Learning we share: what the teams share beyond themselves, across every team. Public
items for everyone, signed in or not; items shared with everyone signed in for those signed
in. Nobody is named here: names stay inside the team."""

from __future__ import annotations

from flask import render_template

from cairn.readmodels.learning import queries as q
from cairn.web.learning.common import bp, engine, reader

# The newest of each kind; older learning is in each team's own log.
SHOWN = 30


@bp.get("/shared")
def open_learning() -> str:
    who = reader()
    return render_template(
        "learning/open.html",
        reflections=q.timeline(engine(), who, None, q.TimelineFilter(beyond_teams=True), SHOWN),
        experiments=q.open_experiments(engine(), who, SHOWN),
        signed_in=who.signed_in,
    )
