"""Full-text search over learning (Whoosh), fed from the event log like any read model.

The index is a `Sink` for the projection runner. Its position in the log is a tracking
document written in the same Whoosh commit as the documents of a batch, so a batch is in the
index exactly once: a crash before the commit leaves both the documents and the position as
they were. Documents are upserted by id, so applying an event twice is harmless.

Only a reflection's current version is in the index; an earlier one's words linger only in
deleted documents until Whoosh merges segments. A batch holding a redaction is therefore
committed with `optimize`, which rewrites the index without deleted documents, so the
redacted words are gone from its files, not only from its results. A withdrawal of a
voice's consent is committed the same way: a voice's words are a part of its reflection's
document (`voice-<id>`), emptied on the withdrawal.

Visibility is not decided here: each document records its team and visibility, and every
query is filtered by the reader's scopes (cairn.domain.learning.visibility), as the SQL views are.

An erasure event names the records it reached: each reflection or experiment among them is
folded again from its own events (which now read back ERASED where its text was), in the
batch's commit, so no stored field keeps the old text.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from whoosh import index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import And, NullQuery, Or, Query, Term

from cairn.domain.accounts.erasure import erased_records, is_erasure
from cairn.domain.learning.content import joined_words
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.reflection import Reflection
from cairn.domain.learning.visibility import Reader
from cairn.domain.personal import is_erased
from cairn.eventlog.log import Logged
from cairn.search import engine
from cairn.search.engine.health import readable
from cairn.search.engine.whoosh_writes import one_commit

# The provider index's analyzer (Porter2, plurals like "buses" -> "bus", accents folded), so
# both searches read words the same way.
from cairn.search.providers.analysis import build_analyzer
from cairn.search.providers.snippets import SnippetPart, snippet

log = logging.getLogger(__name__)

TRACKING_ID = "__tracking__"
# Bumped when the documents or their analysis change; an index of another version is emptied
# at start, and the runner fills it again from the log.
# 2: Porter2 with plurals, principles, the experiment's chain (one result per experiment).
# 3: an experiment's themes and principles, so the filters find experiments too.
SCHEMA_VERSION = 3

# Every event of one aggregate, decoded, in order (the application's event store).
History = Callable[[UUID], Sequence[Any]]

_REFLECTION_PARTS = ("what_happened", "what_we_noticed", "what_we_learned", "what_next")
_EXPERIMENT_PARTS = ("purpose", "question", "what_we_try", "prediction", "signals", "where")


def _schema() -> Schema:
    analyzer = build_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        kind=ID(stored=True),
        team_id=ID(stored=True),
        visibility=ID(stored=True),
        # A reflection is its own chain; every cycle of an experiment shares its chain's id.
        chain=ID(stored=True),
        title=TEXT(stored=True, analyzer=analyzer, field_boost=2.0),
        body=TEXT(analyzer=analyzer),
        themes=TEXT(stored=True, analyzer=analyzer),
        theme_keys=KEYWORD(stored=True, commas=True, lowercase=True),  # as tagged, to filter by
        principles=KEYWORD(stored=True, commas=True),
        day=STORED(),
        parts=STORED(),  # the text pieces, so a later event can rebuild the body
        position=STORED(),  # only on the tracking document
        schema_version=STORED(),  # only on the tracking document
    )


@dataclass(frozen=True)
class LearningFilter:
    """What a search may narrow to, combined with AND; empty means any."""

    kind: str = ""  # reflection | experiment
    team_id: UUID | None = None
    theme: str = ""
    principle: str = ""

    def query(self) -> Query | None:
        clauses: list[Query] = []
        if self.kind:
            clauses.append(Term("kind", self.kind))
        if self.team_id is not None:
            clauses.append(Term("team_id", str(self.team_id)))
        if self.theme:
            clauses.append(Term("theme_keys", self.theme.strip().lower()))
        if self.principle:
            clauses.append(Term("principles", self.principle))
        return And(clauses) if clauses else None


@dataclass(frozen=True)
class Hit:
    id: UUID
    kind: str  # reflection | experiment
    title: str
    team_id: UUID
    day: str
    snippet: tuple[SnippetPart, ...] = ()  # where the words matched, marked


class LearningIndex:
    name = "learning-index"

    def __init__(self, directory: Path, history: History | None = None) -> None:
        engine.install()  # Cairn's Whoosh patches, before any segment is read or written
        self.directory = directory
        self.history = history
        self._index = self._open()

    def _open(self) -> index.Index:
        self.directory.mkdir(parents=True, exist_ok=True)
        if index.exists_in(str(self.directory)):
            opened = index.open_dir(str(self.directory))
            if _version_of(opened) == SCHEMA_VERSION:
                return opened
            opened.close()  # written by another release: filled again from the log
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory.mkdir(parents=True, exist_ok=True)
        return index.create_in(str(self.directory), _schema())

    def recover_if_lost(self) -> bool:
        """If the index's folder or files are gone or unreadable, start it again empty, so
        the runner refills it from the log (see SearchIndex.recover_if_lost); True if so."""
        if readable(self.directory):
            return False
        log.warning("the learning index in %s is gone or unreadable: rebuilding it", self.directory)
        with contextlib.suppress(Exception):
            self._index.close()
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._index = index.create_in(str(self.directory), _schema())
        return True

    def clear(self) -> None:
        """Empty the index, so the runner refills it from the start of the log."""
        self._index.close()
        shutil.rmtree(self.directory, ignore_errors=True)
        self._index = self._open()

    # -- Sink -------------------------------------------------------------------------

    def generation(self) -> tuple[int, int]:
        """The index's newest generation and its segment count (see SearchIndex.generation)."""
        with self._index.searcher() as searcher:
            segments = len(list(searcher.reader().leaf_readers()))
        return self._index.latest_generation(), segments

    def position(self) -> int:
        with self._index.searcher() as searcher:
            stored = searcher.document(id=TRACKING_ID)
        return int(stored["position"]) if stored else 0

    def apply(self, batch: Sequence[Logged]) -> bool:
        if not batch:
            return True
        # An erasure or a redaction merges every segment in the commit, so the replaced
        # documents' stored text leaves the files on disk (Whoosh otherwise only marks them
        # deleted; see the module docstring).
        purge = any(is_erasure(item.event) or type(item.event) in _PURGES for item in batch)
        with one_commit(self._index, timeout=10.0, optimize=purge) as writer:
            with self._index.searcher() as searcher:
                old = searcher.document(id=TRACKING_ID)
                start = int(old["position"]) if old else 0
                if start >= batch[-1].position:
                    writer.cancel()
                    return False
                pending: dict[str, dict[str, Any]] = {}
                for item in batch:
                    if item.position > start:
                        if is_erasure(item.event):
                            self._refold(erased_records(item.event), pending)
                        self._fold(item.event, pending, searcher)
            for document in pending.values():
                writer.update_document(**document)
            writer.update_document(
                id=TRACKING_ID,
                kind="tracking",
                position=batch[-1].position,
                schema_version=SCHEMA_VERSION,
            )
        return True

    def _refold(self, records: Sequence[UUID], pending: dict[str, dict[str, Any]]) -> None:
        """Build the documents of these records again from their events alone, never from
        what the index stored (which holds the text the erasure took away)."""
        if self.history is None:
            raise RuntimeError("an erasure needs the event store to fold records again")
        for record_id in records:
            events = self.history(record_id)
            if not events or type(events[0]) not in (Reflection.Recorded, Experiment.Proposed):
                continue
            fresh: dict[str, dict[str, Any]] = {}
            for domain_event in events:
                self._fold(domain_event, fresh, _NOTHING_STORED)
            pending.update(fresh)

    def _fold(self, event: Any, pending: dict[str, dict[str, Any]], searcher: Any) -> None:
        """Change the pending document an event touches (loading it from the index once)."""
        folder = _FOLDERS.get(type(event))
        if folder is None:
            return
        key = str(event.originator_id)
        changed = folder(event, pending.get(key) or _stored(searcher, key))
        if changed is not None:
            pending[key] = changed

    # -- queries ----------------------------------------------------------------------

    def search(
        self,
        text: str,
        reader: Reader,
        limit: int = 50,
        wanted: LearningFilter | None = None,
    ) -> list[Hit]:
        """Learning matching `text` that `reader` may read, best first, one result for each
        experiment (its best-matching cycle) and each reflection."""
        if not text.strip():
            return []
        parser = MultifieldParser(["title", "body", "themes"], self._index.schema, group=OrGroup)
        query = parser.parse(text)
        narrowed = (wanted or LearningFilter()).query()
        allowed = readable_query(reader)
        only = And([allowed, narrowed]) if narrowed is not None else allowed
        marked = frozenset(
            term.decode() if isinstance(term, bytes) else str(term)
            for field, term in query.iter_all_terms()
            if field in ("title", "body")
        )
        with self._index.searcher() as searcher:
            # One result per chain, its best-scoring cycle. Whoosh's own `collapse` keeps
            # every document once a `filter` is given too, so the results are folded here.
            best: dict[str, Any] = {}
            for hit in searcher.search(query, filter=only, limit=None):
                best.setdefault(hit.get("chain") or hit["id"], hit)
                if len(best) == limit:
                    break
            return [
                Hit(
                    id=UUID(hit["id"]),
                    kind=hit["kind"],
                    title=hit["title"],
                    team_id=UUID(hit["team_id"]),
                    day=hit.get("day") or "",
                    snippet=snippet(_body(dict(hit.get("parts") or {})), marked),
                )
                for hit in best.values()
            ]


def _version_of(opened: index.Index) -> int | None:
    """The schema version an index was written with; an empty index is current."""
    with opened.searcher() as searcher:
        if searcher.doc_count_all() == 0:
            return SCHEMA_VERSION
        stored = searcher.document(id=TRACKING_ID)
    return int(stored.get("schema_version", 1)) if stored else 1


def readable_query(reader: Reader) -> Query:
    """The reader's scopes as a Whoosh filter; the same rule the SQL views apply."""
    clauses: list[Query] = []
    for scope in reader.scopes():
        same_visibility = Term("visibility", scope.visibility)
        if scope.teams is None:
            clauses.append(same_visibility)
        elif scope.teams:
            teams = Or([Term("team_id", str(team)) for team in sorted(scope.teams)])
            clauses.append(And([same_visibility, teams]))
    return Or(clauses) if clauses else NullQuery


# -- folding one event into its record's document ---------------------------------------
# Each folder takes the event and the record's document so far (None if there is none) and
# returns the document as the event leaves it, or None to leave it as it was.

Document = dict[str, Any]


def _reflection_written(
    event: Reflection.Recorded | Reflection.Revised, found: Document | None
) -> Document:
    content = joined_words(event.content, event.text)
    # A revision does not repeat the team: it comes from the document the record made.
    written_by = str(event.team_id) if isinstance(event, Reflection.Recorded) else ""
    key = str(event.originator_id)
    return {
        **_document(
            key,
            "reflection",
            (found or {}).get("team_id") or written_by,
            content["visibility"],
            content["title"],
            {
                **{part: content.get(part, "") for part in _REFLECTION_PARTS},
                **_voice_parts(found),
            },
            " ".join(content.get("themes", [])),
            content["happened_on"],
        ),
        "chain": key,
        "theme_keys": ",".join(content.get("themes", [])),
        "principles": ",".join(content.get("principles", [])),
    }


def _voice_parts(found: Document | None) -> dict[str, str]:
    """The voices' words a document holds: a revision of the reflection keeps them."""
    return {k: v for k, v in ((found or {}).get("parts") or {}).items() if k.startswith("voice-")}


def _voice_words(
    event: Reflection.VoiceHeard | Reflection.VoiceWordsRevised, found: Document | None
) -> Document | None:
    if found is None:
        return None
    words = "" if is_erased(event.words) else event.words
    return _with_parts(found, {f"voice-{event.voice_id}": words})


def _consent_withdrawn(
    event: Reflection.ConsentWithdrawn, found: Document | None
) -> Document | None:
    if found is None:
        return None
    return _with_parts(found, {f"voice-{event.voice_id}": ""})


def _version_redacted(event: Reflection.VersionRedacted, found: Document | None) -> Document | None:
    if found is None or not event.current:
        return None
    parts = dict.fromkeys(found["parts"], "")
    return {**found, "title": "", "parts": parts, "body": _body(parts)}


def _experiment_written(
    event: Experiment.Proposed | Experiment.Revised, found: Document | None
) -> Document:
    content = event.content
    document = found or {}
    parts = dict(document.get("parts") or {})
    parts.update({part: content.get(part, "") for part in _EXPERIMENT_PARTS})
    # A revision repeats neither the team nor the day: they come from the proposal's document.
    team_id, day = document.get("team_id"), document.get("day")
    chain = document.get("chain")
    if isinstance(event, Experiment.Proposed):
        team_id, day = team_id or str(event.team_id), day or str(event.proposed_on)
        chain = chain or str(event.chain_id or event.originator_id)
    return {
        **_document(
            str(event.originator_id),
            "experiment",
            team_id or "",
            content["visibility"],
            content["title"],
            parts,
            " ".join(content.get("themes", [])),
            day or "",
        ),
        "chain": chain or str(event.originator_id),
        "theme_keys": ",".join(content.get("themes", [])),
        "principles": ",".join(content.get("principles", [])),
    }


def _observation_added(
    event: Experiment.ObservationAdded, found: Document | None
) -> Document | None:
    if found is None:
        return None
    return _with_parts(found, {f"observation-{event.observation_id}": event.text})


def _observation_corrected(
    event: Experiment.ObservationCorrected, found: Document | None
) -> Document | None:
    if found is None:
        return None
    return _with_parts(found, {f"observation-{event.observation_id}": event.text})


def _prediction_amended(
    event: Experiment.PredictionAmended, found: Document | None
) -> Document | None:
    if found is None:
        return None
    return _with_parts(
        found,
        {
            "what_we_try": event.what_we_try,
            "prediction": event.prediction,
            "signals": event.signals,
            f"amended-{event.originator_version}": event.reason,
        },
    )


def _sense_making_held(
    event: Experiment.SenseMakingHeld, found: Document | None
) -> Document | None:
    if found is None:
        return None
    return _with_parts(found, {f"session-{event.session_id}": event.notes})


def _concluded(event: Experiment.Concluded, found: Document | None) -> Document | None:
    if found is None:
        return None
    return _with_parts(
        found,
        {
            "learned": event.learned,
            "reason": event.reason,
            "against_prediction": event.against_prediction,
            "surprises": event.surprises,
        },
    )


def _with_parts(found: Document, more: dict[str, str]) -> Document:
    parts = {**found["parts"], **more}
    return {**found, "parts": parts, "body": _body(parts)}


# The events the index reads, each with its folder (typed per event; looked up by type).
_FOLDERS: dict[type, Callable[[Any, Document | None], Document | None]] = {
    Reflection.Recorded: _reflection_written,
    Reflection.Revised: _reflection_written,
    Reflection.VersionRedacted: _version_redacted,
    Reflection.VoiceHeard: _voice_words,
    Reflection.VoiceWordsRevised: _voice_words,
    Reflection.ConsentWithdrawn: _consent_withdrawn,
    Experiment.Proposed: _experiment_written,
    Experiment.Revised: _experiment_written,
    Experiment.ObservationAdded: _observation_added,
    Experiment.ObservationCorrected: _observation_corrected,
    Experiment.PredictionAmended: _prediction_amended,
    Experiment.SenseMakingHeld: _sense_making_held,
    Experiment.Concluded: _concluded,
}


# Events whose words must leave the index's files, not only its results (see the docstring).
_PURGES = (Reflection.VersionRedacted, Reflection.ConsentWithdrawn)


class _NothingStored:
    """A stand-in searcher with no documents, for folding a record from its events alone."""

    def document(self, **_fields: Any) -> None:
        return None


_NOTHING_STORED = _NothingStored()


def _stored(searcher: Any, key: str) -> dict[str, Any] | None:
    document = searcher.document(id=key)
    if document is None:
        return None
    stored = dict(document)
    stored["parts"] = dict(stored.get("parts") or {})
    stored["body"] = _body(stored["parts"])
    return stored


def _body(parts: dict[str, str]) -> str:
    return "\n".join(text for text in parts.values() if text)


def _document(
    key: str,
    kind: str,
    team_id: str,
    visibility: str,
    title: str,
    parts: dict[str, str],
    themes: str,
    day: str,
) -> dict[str, Any]:
    return {
        "id": key,
        "kind": kind,
        "team_id": team_id,
        "visibility": visibility,
        "title": title,
        "body": _body(parts),
        "themes": themes,
        "day": day,
        "parts": json.loads(json.dumps(parts)),
    }
