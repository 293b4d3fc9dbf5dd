"""The learning log as a spreadsheet: one row per reflection and per experiment cycle, every
field of both kinds (docs/learning.md, "The spreadsheet export", lists the columns).

Each column says how a reflection fills it and how an experiment does (None: that kind has
no such field, and the cell stays empty). Voices are roles, never names, and a
lived-experience voice is named only with its consent recorded (`voices_to_share`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cairn.domain.learning.content import voices_to_share
from cairn.domain.learning.vocabulary import (
    EXPERIMENT_KINDS,
    OUTCOMES,
    PRINCIPLES,
    STAGES,
    VISIBILITY,
    VOICES,
)
from cairn.readmodels.learning import queries as q
from cairn.web.learning.common import or_redacted
from cairn.web.urls import external_url


@dataclass(frozen=True)
class Experiment:
    """One experiment cycle as the export reads it: its row (with the team's name) and its
    story (observations, amendments, sessions, returns to running)."""

    row: Any
    cycle: q.Cycle


Cell = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy string: translated when the file is written
    reflection: Cell | None
    experiment: Callable[[Experiment], Any] | None


def cell(value: Any) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def labels(keys: Iterable[str], vocabulary: dict[str, str]) -> str:
    return "; ".join(_(vocabulary[k]) if k in vocabulary else k for k in keys)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _voices(row: Any) -> str:
    return labels(voices_to_share(row.voices, row.consent_recorded), VOICES)


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _lines(items: Iterable[str]) -> str:
    return "\n".join(items)


def _observations(x: Experiment) -> str:
    """Each observation as it stands: its date, its author's role, its words and number."""

    def one(o: Any) -> str:
        role = _(VOICES[o.role]) if o.role in VOICES else ""
        measure = f" ({_number(o.value)} {o.unit})" if o.value is not None else ""
        return f"{o.observed_on.isoformat()}, {role}: {o.text}{measure}"

    return _lines(one(observed.now) for observed in x.cycle.observations)


# The parts of the plan an amendment may change, as the amend form names them.
_PLAN = (
    ("what_we_try", _l("What we'll try")),
    ("prediction", _l("What we expect to happen")),
    ("signals", _l("How we'll notice")),
)


def _amendments(x: Experiment) -> str:
    """Each amendment: its date and reason, and each part it changed, what it was and became."""

    def one(a: Any) -> str:
        changed = "; ".join(
            f"{label}: {getattr(a, name + '_before')} → {getattr(a, name)}"
            for name, label in _PLAN
            if getattr(a, name + "_before") != getattr(a, name)
        )
        return str(
            _(
                "%(date)s, because %(reason)s: %(changed)s",
                date=a.amended_on.isoformat(),
                reason=a.reason,
                changed=changed,
            )
        )

    return _lines(one(a) for a in x.cycle.amendments)


def _sessions(x: Experiment) -> str:
    def one(s: Any) -> str:
        heard = labels(voices_to_share(s.voices, s.consent_recorded), VOICES)
        facts = {"date": s.held_on.isoformat(), "roles": labels(s.roles, VOICES), "notes": s.notes}
        if heard:
            return str(
                _(
                    "%(date)s, with %(roles)s, voices heard %(voices)s: %(notes)s",
                    voices=heard,
                    **facts,
                )
            )
        return str(_("%(date)s, with %(roles)s: %(notes)s", **facts))

    return _lines(one(s) for s in x.cycle.sessions)


def _resumptions(x: Experiment) -> str:
    return _lines(f"{r.resumed_on.isoformat()}: {r.reason}" for r in x.cycle.resumptions)


def _x(name: str) -> Callable[[Experiment], Any]:
    return lambda x: getattr(x.row, name)


COLUMNS: tuple[Column, ...] = (
    Column(_l("Kind"), lambda r: _("Reflection"), lambda x: _("Experiment")),
    Column(_l("Team"), lambda r: r.team_name, _x("team_name")),
    Column(_l("Date"), lambda r: _day(r.happened_on), lambda x: _day(q.listed_on(x.row))),
    Column(_l("Title"), lambda r: or_redacted(r.title), _x("title")),
    Column(_l("Type of experiment"), None, lambda x: _(EXPERIMENT_KINDS[x.row.kind])),
    Column(_l("Cycle"), None, _x("cycle")),
    Column(_l("Stage"), None, lambda x: _(STAGES[x.row.stage])),
    Column(_l("Purpose"), None, _x("purpose")),
    Column(_l("Question"), None, _x("question")),
    Column(_l("What happened, or what we tried"), lambda r: r.what_happened, _x("what_we_try")),
    Column(_l("Prediction"), None, _x("prediction")),
    Column(_l("Amendments of the prediction"), None, _amendments),
    Column(_l("How we'll notice"), None, _x("signals")),
    Column(_l("Who is involved"), None, _x("who")),
    Column(_l("Where"), None, _x("place")),
    Column(_l("Planned from"), None, lambda x: _day(x.row.starts_on)),
    Column(_l("Planned until"), None, lambda x: _day(x.row.ends_on)),
    Column(_l("Proposed on"), None, lambda x: _day(x.row.proposed_on)),
    Column(_l("Started on"), None, lambda x: _day(x.row.started_on)),
    Column(_l("Making sense from"), None, lambda x: _day(x.row.sense_making_on)),
    Column(_l("Concluded on"), None, lambda x: _day(x.row.concluded_on)),
    Column(_l("What we noticed"), lambda r: r.what_we_noticed, _observations),
    Column(_l("Sense-making sessions"), None, _sessions),
    Column(_l("Back to running"), None, _resumptions),
    Column(_l("What happened against the prediction"), None, _x("against_prediction")),
    Column(_l("What surprised us"), None, _x("surprises")),
    Column(_l("What we learned"), lambda r: r.what_we_learned, _x("learned")),
    Column(_l("Decision"), None, lambda x: _(OUTCOMES[x.row.outcome]) if x.row.outcome else ""),
    Column(_l("What next, or why we decided"), lambda r: r.what_next, _x("reason")),
    Column(
        _l("Next cycle"),
        None,
        lambda x: (
            external_url("learning.experiment", experiment_id=x.row.next_id)
            if x.row.next_id
            else ""
        ),
    ),
    Column(
        _l("Funding (pounds)"),
        None,
        lambda x: f"{x.row.funding_amount:.2f}" if x.row.funding_amount is not None else "",
    ),
    Column(_l("Funder"), None, _x("funder")),
    Column(_l("Funding committed for (months)"), None, _x("committed_months")),
    Column(_l("Voices"), _voices, lambda x: _voices(x.row)),
    Column(
        _l("Consent recorded"),
        lambda r: _yes_no(r.consent_recorded),
        lambda x: _yes_no(x.row.consent_recorded),
    ),
    Column(_l("Themes"), lambda r: "; ".join(r.themes), lambda x: "; ".join(x.row.themes)),
    Column(
        _l("Principles"),
        lambda r: labels(r.principles, PRINCIPLES),
        lambda x: labels(x.row.principles, PRINCIPLES),
    ),
    Column(_l("Experiment it belongs to"), lambda r: r.experiment_title, None),
    Column(_l("Provider it concerns"), lambda r: r.provider_name, None),
    Column(_l("Postcode district"), lambda r: r.district, None),
    Column(_l("Unmet-demand signal"), lambda r: r.signal, None),
    Column(_l("Language"), lambda r: r.language, _x("language")),
    Column(
        _l("Who can read it"),
        lambda r: _(VISIBILITY[r.visibility]),
        lambda x: _(VISIBILITY[x.row.visibility]),
    ),
    Column(
        _l("Link"),
        lambda r: external_url("learning.reflection", reflection_id=r.id),
        lambda x: external_url("learning.experiment", experiment_id=x.row.id),
    ),
)


def experiments_in(engine: Any, reader: Any, items: list[q.Item]) -> dict[Any, Experiment]:
    """The experiment items with their stories, read once per chain."""
    rows = {item.row.id: item.row for item in items if item.is_experiment}
    cycles: dict[Any, q.Cycle] = {}
    for chain_id in dict.fromkeys(row.chain_id for row in rows.values()):
        cycles.update((c.experiment.id, c) for c in q.story(engine, reader, chain_id))
    return {key: Experiment(row, cycles[key]) for key, row in rows.items() if key in cycles}


def write_csv(items: list[q.Item], experiments: dict[Any, Experiment]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(column.header) for column in COLUMNS])
    for item in items:
        if item.is_experiment:
            found = experiments.get(item.row.id)
            if found is None:
                continue
            values = [c.experiment(found) if c.experiment else "" for c in COLUMNS]
        else:
            values = [c.reflection(item.row) if c.reflection else "" for c in COLUMNS]
        writer.writerow([cell(v) for v in values])
    return out.getvalue()
