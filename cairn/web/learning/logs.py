"""The learning logs of a team: the timeline and its filters, the board, themes, principles,
what changed, the report, the spreadsheet export, and search across teams."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cairn.domain.learning.vocabulary import PRINCIPLES, VOICES
from cairn.domain.validation import Invalid
from cairn.readmodels.learning import queries as q
from cairn.search.learning import LearningFilter
from cairn.web.commanding import runtime
from cairn.web.extensions import htmx
from cairn.web.i18n import translate
from cairn.web.learning.common import (
    bp,
    date_or_none,
    engine,
    members_only,
    reader,
    team_or_404,
)
from cairn.web.learning.export import experiments_in, write_csv

# The two kinds of learning, for the timeline's and search's "kind" filters.
KINDS = {"reflection": _l("Reflections"), "experiment": _l("Experiments")}


def timeline_filters() -> tuple[q.TimelineFilter, list[str]]:
    """The timeline's filters from the URL; anything unreadable is dropped with a note."""
    args = request.args
    problems: list[str] = []

    def day(name: str) -> date | None:
        try:
            return date_or_none(args.get(name, "").strip())
        except Invalid as error:
            problems.append(translate(error.message))
            return None

    experiment: UUID | None = None
    if args.get("experiment"):
        try:
            experiment = UUID(args["experiment"])
        except ValueError:
            problems.append(_("That experiment was not found."))
    principle = args.get("principle", "")
    voice = args.get("voice", "")
    kind = args.get("kind", "")
    return (
        q.TimelineFilter(
            kind=kind if kind in KINDS else "",
            theme=args.get("theme", "").strip().lower(),
            principle=principle if principle in PRINCIPLES else "",
            voice=voice if voice in VOICES else "",
            experiment=experiment,
            since=day("since"),
            until=day("until"),
        ),
        problems,
    )


@bp.get("/teams/<uuid:team_id>/timeline")
@members_only
def timeline(team_id: UUID) -> str:
    team = team_or_404(team_id)
    who = reader()
    wanted, problems = timeline_filters()
    entries = q.lens(engine(), who, team_id, wanted)
    context = dict(
        team=team,
        entries=entries,
        reflections=sum(not item.is_experiment for item in entries),
        experiments=sum(item.is_experiment for item in entries),
        kinds=KINDS,
        wanted=wanted,
        problems=problems,
        themes=[t.key for t in q.tag_tallies(engine(), who, team_id, "theme")],
        chains=q.experiments_of(engine(), who, team_id),
        is_member=team_id in who.member_of,
    )
    template = "learning/_timeline.html" if htmx else "learning/timeline.html"
    return render_template(template, **context)


@bp.get("/teams/<uuid:team_id>/experiments")
@members_only
def board(team_id: UUID) -> str:
    team = team_or_404(team_id)
    who = reader()
    return render_template(
        "learning/board.html",
        team=team,
        columns=q.board(engine(), who, team_id),
        is_member=team_id in who.member_of,
    )


@bp.get("/teams/<uuid:team_id>/themes")
@members_only
def themes(team_id: UUID) -> str:
    team = team_or_404(team_id)
    return render_template(
        "learning/themes.html",
        team=team,
        tallies=q.tag_tallies(engine(), reader(), team_id, "theme"),
    )


@bp.get("/teams/<uuid:team_id>/principles")
@members_only
def principles(team_id: UUID) -> str:
    team = team_or_404(team_id)
    tallies = q.principle_tallies(engine(), reader(), team_id)
    return render_template(
        "learning/principles.html",
        team=team,
        touched=[t for t in tallies if t.count],
        quiet=[t for t in tallies if not t.count],
    )


@bp.get("/teams/<uuid:team_id>/changes")
@members_only
def changes(team_id: UUID) -> str:
    team = team_or_404(team_id)
    return render_template(
        "learning/changes.html", team=team, changes=q.changes(engine(), reader(), team_id)
    )


# -- export ---------------------------------------------------------------------------------


@bp.get("/teams/<uuid:team_id>/export.csv")
@members_only
def export_csv(team_id: UUID) -> Response:
    team = team_or_404(team_id)
    who = reader()
    wanted, _problems = timeline_filters()
    items = q.lens(engine(), who, team_id, wanted)
    filename = f"learning-log-{date.today().isoformat()}.csv"
    return Response(
        # A BOM so spreadsheet programs read UTF-8 (Gaelic letters).
        "\ufeff" + write_csv(items, experiments_in(engine(), who, items)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Team": str(team.id),
        },
    )


@bp.get("/teams/<uuid:team_id>/report")
@members_only
def report(team_id: UUID) -> str:
    team = team_or_404(team_id)
    who = reader()
    wanted, _problems = timeline_filters()
    items = q.lens(engine(), who, team_id, wanted)
    # Each experiment that matches, as a story of its matching cycles, in the order found.
    matching = {item.row.id for item in items if item.is_experiment}
    chains: dict[UUID, list[q.Cycle]] = {}
    for item in items:
        if item.is_experiment and item.row.chain_id not in chains:
            chains[item.row.chain_id] = [
                c for c in q.story(engine(), who, item.row.chain_id) if c.experiment.id in matching
            ]
    return render_template(
        "learning/report.html",
        team=team,
        wanted=wanted,
        entries=[item.row for item in items if not item.is_experiment],
        stories=[cycles for cycles in chains.values() if cycles],
        changes=q.changes(engine(), who, team_id),
        principles=q.principle_tallies(engine(), who, team_id),
        today=date.today(),
    )


# -- search -------------------------------------------------------------------------------------


def _search_filter() -> LearningFilter:
    """The filters from the query string; an unknown value is ignored as "any"."""
    args = request.args
    kind = args.get("kind", "")
    principle = args.get("principle", "")
    try:
        team_id: UUID | None = UUID(args.get("team", ""))
    except ValueError:
        team_id = None
    return LearningFilter(
        kind=kind if kind in KINDS else "",
        team_id=team_id,
        theme=args.get("theme", "").strip()[:60],
        principle=principle if principle in PRINCIPLES else "",
    )


@bp.get("/search")
@members_only
def search() -> str:
    text = request.args.get("q", "").strip()[:200]
    wanted = _search_filter()
    who = reader()
    results: list[tuple[str, Any, Any]] = []
    if text:
        hits = runtime().learning_index.search(text, who, wanted=wanted)
        reflections, experiments = q.search_rows(
            engine(),
            who,
            [h.id for h in hits if h.kind == "reflection"],
            [h.id for h in hits if h.kind == "experiment"],
        )
        for hit in hits:
            row = reflections.get(hit.id) if hit.kind == "reflection" else experiments.get(hit.id)
            if row is not None:
                results.append((hit.kind, row, hit.snippet))
    template = "learning/_results.html" if htmx else "learning/search.html"
    return render_template(
        template,
        text=text,
        results=results,
        wanted=wanted,
        kinds=KINDS,
        teams=q.all_teams(engine()),
    )
