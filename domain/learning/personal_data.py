"""Which learning fields may name people, declared in one place (see domain.personal).

Reflections and experiments are the team's knowledge, not one person's, so each is
encrypted under its own record key (`subject_for_id(its id)`): shredding that key redacts
the record, and `cairn erase-person` does not reach it. Only the free text is declared;
visibility, dates, vocabulary keys and links stay in clear so history and visibility
checks keep working on a redacted record."""

from __future__ import annotations

from domain.learning.experiment import Experiment
from domain.learning.reflection import Reflection
from domain.personal import personal

REFLECTION_TEXT = tuple(
    f"content.{part}"
    for part in ("title", "what_happened", "what_we_noticed", "what_we_learned", "what_next")
)
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

personal(Reflection.Recorded, fields=REFLECTION_TEXT, subject="")
personal(Reflection.Revised, fields=REFLECTION_TEXT, subject="")
personal(Experiment.Proposed, fields=EXPERIMENT_TEXT, subject="")
personal(Experiment.Revised, fields=EXPERIMENT_TEXT, subject="")
personal(Experiment.ObservationAdded, fields=("text",), subject="")
personal(Experiment.Concluded, fields=("learned", "reason"), subject="")
