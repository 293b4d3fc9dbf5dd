"""Experiments as the board, the story of a chain and the funding page read them.

Beside each experiment: its observations (as they stand, with every version), the
amendments of its plan (what it was and what it became, and why), its sense-making
sessions and its returns from making sense to running."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    Uuid,
)

from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.vocabulary import CONCLUDED, MAKING_SENSE, PROPOSED, RUNNING
from cairn.domain.validation import DEFAULT_TEXT_LANGUAGE
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

learning_experiments = Table(
    "learning_experiments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("title", String(200), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("what_we_try", Text, nullable=False),
    Column("prediction", Text, nullable=False),
    Column("signals", Text, nullable=False),
    Column("who", Text, nullable=False),
    Column("place", Text, nullable=False),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("funding_amount", Numeric(14, 2)),
    Column("funder", String(200), nullable=False),
    Column("committed_months", Integer),
    Column("visibility", String(20), nullable=False),
    # The lens, as a reflection's: lists here, one indexed row each in the tags table below.
    Column("themes", JSON, nullable=False),
    Column("principles", JSON, nullable=False),  # keys of PRINCIPLES
    Column("voices", JSON, nullable=False),  # keys of VOICES
    Column("consent_recorded", Boolean, nullable=False),
    Column("stage", String(20), nullable=False),
    Column("outcome", String(20)),
    Column("learned", Text, nullable=False),
    Column("reason", Text, nullable=False),
    # The study questions of the conclusion ("" in conclusions from before they were asked).
    Column("against_prediction", Text, nullable=False, default=""),
    Column("surprises", Text, nullable=False, default=""),
    Column("proposed_on", Date, nullable=False),
    Column("started_on", Date),
    Column("sense_making_on", Date),
    Column("concluded_on", Date),
    Column("cycle", Integer, nullable=False),
    Column("previous_id", Uuid),
    Column("next_id", Uuid),
    Column("chain_id", Uuid, nullable=False),
    # The languages its words are written in, the plan's and the conclusion's (lang=).
    Column("language", String(2), nullable=False, default=DEFAULT_TEXT_LANGUAGE),
    Column("conclusion_language", String(2), nullable=False, default=DEFAULT_TEXT_LANGUAGE),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_learning_experiments_team_stage", "team_id", "stage"),
    Index("ix_learning_experiments_chain", "chain_id", "cycle"),
)

learning_observations = Table(
    "learning_observations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("experiment_id", Uuid, nullable=False, index=True),
    Column("observed_on", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("language", String(2), nullable=False, default=DEFAULT_TEXT_LANGUAGE),
    Column("by", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
    # The author's role (a key of VOICES; "" before it was asked) and an optional number.
    Column("role", String(40), nullable=False, default=""),
    Column("value", Numeric(18, 4)),
    Column("unit", String(60), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),  # 1 until it is corrected
)

# Every version of every observation, the first included, so a correction hides nothing.
learning_observation_versions = Table(
    "learning_observation_versions",
    metadata,
    Column("observation_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("experiment_id", Uuid, nullable=False, index=True),
    Column("observed_on", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("language", String(2), nullable=False),
    Column("role", String(40), nullable=False),
    Column("value", Numeric(18, 4)),
    Column("unit", String(60), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

# An amendment of a running experiment's plan: what it was, what it became, and why.
learning_amendments = Table(
    "learning_amendments",
    metadata,
    Column("experiment_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),  # the experiment's version it made
    Column("amended_on", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("what_we_try_before", Text, nullable=False),
    Column("what_we_try", Text, nullable=False),
    Column("prediction_before", Text, nullable=False),
    Column("prediction", Text, nullable=False),
    Column("signals_before", Text, nullable=False),
    Column("signals", Text, nullable=False),
    Column("language", String(2), nullable=False),
    Column("before_language", String(2), nullable=False),
)

learning_sense_making = Table(
    "learning_sense_making",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("experiment_id", Uuid, nullable=False, index=True),
    Column("held_on", Date, nullable=False),
    Column("roles", JSON, nullable=False),  # keys of VOICES: who took part
    Column("notes", Text, nullable=False),
    Column("voices", JSON, nullable=False),  # keys of VOICES: whose voices were heard
    Column("consent_recorded", Boolean, nullable=False),
    Column("language", String(2), nullable=False),
    Column("position", Integer, nullable=False),
)

# Each time an experiment went back from making sense to running, and why.
learning_resumptions = Table(
    "learning_resumptions",
    metadata,
    Column("experiment_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("resumed_on", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("language", String(2), nullable=False),
)

# What an experiment builds on (Experiment.BuildsOnSet), across teams: queries join both
# ends to the experiments the reader may read, so a link shows only when both can be read.
learning_experiment_links = Table(
    "learning_experiment_links",
    metadata,
    Column("experiment_id", Uuid, primary_key=True),
    Column("builds_on_id", Uuid, primary_key=True, index=True),
)

# One row per theme, principle and voice, as learning_reflection_tags holds a reflection's, so
# the timeline's filters and the themes and principles pages read both kinds alike.
learning_experiment_tags = Table(
    "learning_experiment_tags",
    metadata,
    Column("experiment_id", Uuid, primary_key=True),
    Column("kind", String(10), primary_key=True),  # theme | principle | voice
    Column("value", String(60), primary_key=True),
    Index("ix_learning_experiment_tags_value", "kind", "value"),
)

STAGE_ORDER = (PROPOSED, RUNNING, MAKING_SENSE, CONCLUDED)
# Filled in as an experiment moves on; empty when it is proposed.
_LATER_COLUMNS = ("outcome", "started_on", "sense_making_on", "concluded_on", "next_id")


def _content_row(content: dict[str, Any]) -> dict[str, Any]:
    amount = content.get("funding_amount")
    return {
        "kind": content["kind"],
        "title": content["title"],
        "purpose": content["purpose"],
        "question": content["question"],
        "what_we_try": content["what_we_try"],
        "prediction": content.get("prediction", ""),
        "signals": content.get("signals", ""),
        "who": content.get("who", ""),
        "place": content.get("where", ""),
        "starts_on": date.fromisoformat(content["starts_on"]) if content.get("starts_on") else None,
        "ends_on": date.fromisoformat(content["ends_on"]) if content.get("ends_on") else None,
        "funding_amount": Decimal(amount) if amount is not None else None,
        "funder": content.get("funder", ""),
        "committed_months": content.get("committed_months"),
        "visibility": content["visibility"],
        "language": content.get("language", DEFAULT_TEXT_LANGUAGE),
        "themes": list(content.get("themes", [])),
        "principles": list(content.get("principles", [])),
        "voices": list(content.get("voices", [])),
        "consent_recorded": bool(content.get("consent_recorded")),
    }


def _tags(experiment_id: Any, content: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"experiment_id": experiment_id, "kind": kind, "value": value}
        for kind, key in (("theme", "themes"), ("principle", "principles"), ("voice", "voices"))
        for value in dict.fromkeys(content.get(key, []))
    ]


def _number(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


class LearningExperimentsProjection(BatchedProjection):
    name = "learning-experiments"
    tables = (
        learning_experiments,
        learning_observations,
        learning_observation_versions,
        learning_amendments,
        learning_sense_making,
        learning_resumptions,
        learning_experiment_links,
        learning_experiment_tags,
    )

    @handles(Experiment.Proposed)
    def proposed(self, conn: Connection, e: Experiment.Proposed, position: int) -> None:
        self.rows.insert(
            learning_experiments,
            {
                # Every column, so rows inserted in one batch share one executemany.
                **dict.fromkeys(_LATER_COLUMNS),
                "id": e.originator_id,
                "team_id": e.team_id,
                "stage": PROPOSED,
                "learned": "",
                "reason": "",
                "against_prediction": "",
                "surprises": "",
                "conclusion_language": DEFAULT_TEXT_LANGUAGE,
                "proposed_on": e.proposed_on,
                "cycle": e.cycle,
                "previous_id": e.previous_id,
                "chain_id": e.chain_id or e.originator_id,
                "version": e.originator_version,
                "updated_at": e.timestamp,
                **_content_row(e.content),
            },
        )
        self._tag(e)

    def _tag(self, e: Experiment.Proposed | Experiment.Revised) -> None:
        self.rows.replace_set(
            learning_experiment_tags,
            "experiment_id",
            e.originator_id,
            _tags(e.originator_id, e.content),
        )

    def _set(self, conn: Connection, e: Experiment.Event, **values: Any) -> None:
        self.rows.update(
            learning_experiments,
            e.originator_id,
            {"version": e.originator_version, "updated_at": e.timestamp, **values},
        )

    @handles(Experiment.Revised)
    def revised(self, conn: Connection, e: Experiment.Revised, position: int) -> None:
        self._set(conn, e, **_content_row(e.content))
        self._tag(e)

    @handles(Experiment.Started)
    def started(self, conn: Connection, e: Experiment.Started, position: int) -> None:
        self._set(conn, e, stage=RUNNING, started_on=e.on)

    @handles(Experiment.ObservationAdded)
    def observation_added(
        self, conn: Connection, e: Experiment.ObservationAdded, position: int
    ) -> None:
        row = {
            "observed_on": e.on,
            "text": e.text,
            "language": e.language,
            "role": e.role,
            "value": _number(e.value),
            "unit": e.unit,
        }
        self.rows.insert(
            learning_observations,
            {
                "id": e.observation_id,
                "experiment_id": e.originator_id,
                "by": e.by,
                "position": position,
                "version": 1,
                **row,
            },
        )
        self._observation_version(e, 1, row)
        self._set(conn, e)

    @handles(Experiment.ObservationCorrected)
    def observation_corrected(
        self, conn: Connection, e: Experiment.ObservationCorrected, position: int
    ) -> None:
        current = self.rows.get(conn, learning_observations, e.observation_id)
        version = (current["version"] if current else 1) + 1
        row = {
            "observed_on": e.on,
            "text": e.text,
            "language": e.language,
            "role": e.role,
            "value": _number(e.value),
            "unit": e.unit,
        }
        self.rows.update(learning_observations, e.observation_id, {**row, "version": version})
        self._observation_version(e, version, row)
        self._set(conn, e)

    def _observation_version(
        self,
        e: Experiment.ObservationAdded | Experiment.ObservationCorrected,
        version: int,
        row: dict[str, Any],
    ) -> None:
        self.rows.append(
            learning_observation_versions,
            {
                "observation_id": e.observation_id,
                "version": version,
                "experiment_id": e.originator_id,
                "recorded_at": e.timestamp,
                **row,
            },
        )

    @handles(Experiment.PredictionAmended)
    def prediction_amended(
        self, conn: Connection, e: Experiment.PredictionAmended, position: int
    ) -> None:
        before = self.rows.get(conn, learning_experiments, e.originator_id) or {}
        self.rows.append(
            learning_amendments,
            {
                "experiment_id": e.originator_id,
                "version": e.originator_version,
                "amended_on": e.on,
                "reason": e.reason,
                "language": e.language,
                "before_language": before.get("language", DEFAULT_TEXT_LANGUAGE),
                **{
                    f"{name}_before": before.get(name, "")
                    for name in ("what_we_try", "prediction", "signals")
                },
                "what_we_try": e.what_we_try,
                "prediction": e.prediction,
                "signals": e.signals,
            },
        )
        self._set(conn, e, what_we_try=e.what_we_try, prediction=e.prediction, signals=e.signals)

    @handles(Experiment.SenseMakingHeld)
    def sense_making_held(
        self, conn: Connection, e: Experiment.SenseMakingHeld, position: int
    ) -> None:
        self.rows.append(
            learning_sense_making,
            {
                "id": e.session_id,
                "experiment_id": e.originator_id,
                "held_on": e.on,
                "roles": list(e.roles),
                "notes": e.notes,
                "voices": list(e.voices),
                "consent_recorded": e.consent_recorded,
                "language": e.language,
                "position": position,
            },
        )
        self._set(conn, e)

    @handles(Experiment.Resumed)
    def resumed(self, conn: Connection, e: Experiment.Resumed, position: int) -> None:
        self.rows.append(
            learning_resumptions,
            {
                "experiment_id": e.originator_id,
                "version": e.originator_version,
                "resumed_on": e.on,
                "reason": e.reason,
                "language": e.language,
            },
        )
        self._set(conn, e, stage=RUNNING, sense_making_on=None)

    @handles(Experiment.SenseMakingBegun)
    def sense_making_begun(
        self, conn: Connection, e: Experiment.SenseMakingBegun, position: int
    ) -> None:
        self._set(conn, e, stage=MAKING_SENSE, sense_making_on=e.on)

    @handles(Experiment.Concluded)
    def concluded(self, conn: Connection, e: Experiment.Concluded, position: int) -> None:
        self._set(
            conn,
            e,
            stage=CONCLUDED,
            outcome=e.outcome,
            learned=e.learned,
            reason=e.reason,
            against_prediction=e.against_prediction,
            surprises=e.surprises,
            conclusion_language=e.language,
            concluded_on=e.on,
            next_id=e.next_id,
        )

    @handles(Experiment.BuildsOnSet)
    def builds_on_set(self, conn: Connection, e: Experiment.BuildsOnSet, position: int) -> None:
        self.rows.replace_set(
            learning_experiment_links,
            "experiment_id",
            e.originator_id,
            [
                {"experiment_id": e.originator_id, "builds_on_id": other}
                for other in e.experiment_ids
            ],
        )
        self._set(conn, e)
