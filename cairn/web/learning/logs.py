"""The learning logs of a team: the timeline and its filters, the board, themes, principles,
what changed, the report, the spreadsheet export, and search across teams."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any
from uuid import UUID

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cairn.domain.learning.vocabulary import OUTCOMES, PRINCIPLES, STAGES, VISIBILITY, VOICES
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
    or_redacted,
    reader,
    team_or_404,
)
from cairn.web.urls import external_url


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
    return (
        q.TimelineFilter(
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
    entries = q.timeline(engine(), who, team_id, wanted)
    context = dict(
        team=team,
        entries=entries,
        wanted=wanted,
        problems=problems,
        themes=[t.key for t in q.tag_tallies(engine(), who, team_id, "theme")],
        experiments=q.experiments_of(engine(), who, team_id),
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


def _cell(value: Any) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _labels(keys: list[str], vocabulary: dict[str, str]) -> str:
    return "; ".join(_(vocabulary[k]) if k in vocabulary else k for k in keys)


@bp.get("/teams/<uuid:team_id>/export.csv")
@members_only
def export_csv(team_id: UUID) -> Response:
    team = team_or_404(team_id)
    who = reader()
    wanted, _problems = timeline_filters()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Type"),
            _("Date"),
            _("Title"),
            _("Stage or outcome"),
            _("What happened or was tried"),
            _("What we noticed"),
            _("What we learned"),
            _("What next, or why"),
            _("Voices"),
            _("Themes"),
            _("Principles"),
            _("Who can read it"),
            _("Link"),
        ]
    )
    for r in q.timeline(engine(), who, team_id, wanted):
        writer.writerow(
            [
                _cell(v)
                for v in (
                    _("Reflection"),
                    r.happened_on.isoformat(),
                    or_redacted(r.title),
                    "",
                    r.what_happened,
                    r.what_we_noticed,
                    r.what_we_learned,
                    r.what_next,
                    _labels(r.voices, VOICES),
                    "; ".join(r.themes),
                    _labels(r.principles, PRINCIPLES),
                    _(VISIBILITY[r.visibility]),
                    external_url("learning.reflection", reflection_id=r.id),
                )
            ]
        )
    for cycle in q.experiments_of(engine(), who, team_id):
        stage = _(OUTCOMES[cycle.outcome]) if cycle.outcome else _(STAGES[cycle.stage])
        day = cycle.concluded_on or cycle.started_on or cycle.proposed_on
        writer.writerow(
            [
                _cell(v)
                for v in (
                    _("Experiment (cycle %(n)s)", n=cycle.cycle),
                    day.isoformat(),
                    cycle.title,
                    stage,
                    cycle.what_we_try,
                    "",
                    cycle.learned,
                    cycle.reason,
                    "",
                    "",
                    "",
                    _(VISIBILITY[cycle.visibility]),
                    external_url("learning.experiment", experiment_id=cycle.id),
                )
            ]
        )
    filename = f"learning-log-{date.today().isoformat()}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM so spreadsheet programs read UTF-8 (Gaelic letters)
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
    chains: dict[UUID, list[q.Cycle]] = {}
    for row in q.experiments_of(engine(), who, team_id):
        if row.chain_id not in chains:
            chains[row.chain_id] = q.story(engine(), who, row.chain_id)
    return render_template(
        "learning/report.html",
        team=team,
        wanted=wanted,
        entries=q.timeline(engine(), who, team_id, wanted),
        stories=list(chains.values()),
        changes=q.changes(engine(), who, team_id),
        principles=q.principle_tallies(engine(), who, team_id),
        today=date.today(),
    )


# -- search -------------------------------------------------------------------------------------


KINDS = {"reflection": _l("Reflections"), "experiment": _l("Experiments")}


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
