"""Experiments as the board, the story of a chain and the funding page read them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
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
    Column("stage", String(20), nullable=False),
    Column("outcome", String(20)),
    Column("learned", Text, nullable=False),
    Column("reason", Text, nullable=False),
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
    }


class LearningExperimentsProjection(BatchedProjection):
    name = "learning-experiments"
    tables = (learning_experiments, learning_observations)

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

    def _set(self, conn: Connection, e: Experiment.Event, **values: Any) -> None:
        self.rows.update(
            learning_experiments,
            e.originator_id,
            {"version": e.originator_version, "updated_at": e.timestamp, **values},
        )

    @handles(Experiment.Revised)
    def revised(self, conn: Connection, e: Experiment.Revised, position: int) -> None:
        self._set(conn, e, **_content_row(e.content))

    @handles(Experiment.Started)
    def started(self, conn: Connection, e: Experiment.Started, position: int) -> None:
        self._set(conn, e, stage=RUNNING, started_on=e.on)

    @handles(Experiment.ObservationAdded)
    def observation_added(
        self, conn: Connection, e: Experiment.ObservationAdded, position: int
    ) -> None:
        self.rows.append(
            learning_observations,
            {
                "id": e.observation_id,
                "experiment_id": e.originator_id,
                "observed_on": e.on,
                "text": e.text,
                "language": e.language,
                "by": e.by,
                "position": position,
            },
        )
        self._set(conn, e)

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
            conclusion_language=e.language,
            concluded_on=e.on,
            next_id=e.next_id,
        )
