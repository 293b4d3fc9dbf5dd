"""Learning across the partnership: for partnership leads (and CIC administrators), every
team's learning they may read, by theme, principle, team and time, and how experiments
build on each other across teams.

What shows is the reader's visibility rule and nothing more: a partnership lead reads each
team's "shared" learning as well as what is shared with everyone signed in or the public
(`Reader.partnership`); team-only learning stays with the team, and people are named only
inside their own team (docs/security.md)."""

from __future__ import annotations

from uuid import UUID

from flask import abort, render_template, request

from cairn.readmodels.learning import queries as q
from cairn.web.learning.common import bp, engine, leads_partnership, members_only, reader
from cairn.web.learning.logs import timeline_filters


def _team_filter(known: set[UUID]) -> UUID | None:
    """The team asked for, if it is one; anything else means every team."""
    try:
        team_id = UUID(request.args.get("team", ""))
    except ValueError:
        return None
    return team_id if team_id in known else None


@bp.get("/partnership")
@members_only
def partnership() -> str:
    if not leads_partnership():
        abort(403)
    who = reader()
    teams = q.all_teams(engine())
    team_id = _team_filter({t.id for t in teams})
    wanted, problems = timeline_filters()
    themes = q.tag_tallies(engine(), who, team_id, "theme")
    return render_template(
        "learning/partnership.html",
        who=who,
        teams=teams,
        team_id=team_id,
        wanted=wanted,
        problems=problems,
        themes=themes,
        principles=[t for t in q.principle_tallies(engine(), who, team_id) if t.count],
        reflections=q.timeline(engine(), who, team_id, wanted),
        experiments=q.experiments_matching(engine(), who, team_id, wanted),
        links=[
            link
            for link in q.links_across(engine(), who)
            if team_id is None or team_id in (link.team_id, link.builds_on_team_id)
        ],
    )
