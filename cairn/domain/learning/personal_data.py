"""Which learning fields may name people, declared in one place (see cairn.domain.personal).

Reflections and experiments are the team's knowledge, not one person's, so each is
encrypted under its own record key (`subject_for_id(its id)`): shredding that key redacts
the record, and `cairn erase-person` does not reach it. Only the free text is declared;
visibility, dates, vocabulary keys and links stay in clear so history and visibility
checks keep working on a redacted record.

Reflections declare theirs beside the aggregate (`domain/learning/reflection.py`): each
version's words are under that version's own key, so one version can be redacted alone."""

from __future__ import annotations

from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.reflection import Reflection  # noqa: F401 - declares its own, per version
from cairn.domain.personal import personal

EXPERIMENT_TEXT = tuple(
    f"content.{part}"
    for part in (
        "title",
        "purpose",
        "question",
        "what_we_try",
        "prediction",
        "signals",
        "who",
        "where",
    )
)

personal(Experiment.Proposed, fields=EXPERIMENT_TEXT, subject="")
personal(Experiment.Revised, fields=EXPERIMENT_TEXT, subject="")
personal(Experiment.ObservationAdded, fields=("text", "unit"), subject="")
personal(
    Experiment.Concluded,
    fields=("learned", "reason", "against_prediction", "surprises"),
    subject="",
)
personal(Experiment.ObservationCorrected, fields=("text", "unit"), subject="")
personal(
    Experiment.PredictionAmended,
    fields=("what_we_try", "prediction", "signals", "reason"),
    subject="",
)
personal(Experiment.SenseMakingHeld, fields=("notes",), subject="")
personal(Experiment.Resumed, fields=("reason",), subject="")
