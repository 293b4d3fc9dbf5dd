"""People's rights over their data: subject access (export) and erasure (crypto-shredding).

Both work from the event log, the one place that holds everything."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from cairn.domain.accounts.erasure import record_erasure
from cairn.domain.accounts.signins import email_digest
from cairn.domain.app import CairnApp
from cairn.domain.personal import subject_for_id
from cairn.domain.personal_keys import KeyStore, subject_for_email
from cairn.domain.personal_mapper import PersonalDataMapper
from cairn.eventlog.log import LogReader
from cairn.eventlog.runner import REBUILD_BATCH_SIZE, Runner
from cairn.readmodels.audit.audit import describe
from cairn.readmodels.catalogue import sql_projections
from cairn.readmodels.rebuild import rebuild_beside
from cairn.readmodels.sql_sink import SqlSink
from cairn.search.learning import LearningIndex
from cairn.search.providers.indexer import IndexSink

PAGE = 1000


class Runtime(Protocol):
    """What operator tasks need of the runtime (cairn.bootstrap.runtime.Runtime, which
    this layer may not import: it sits above)."""

    @property
    def app(self) -> CairnApp: ...

    @property
    def keys(self) -> KeyStore: ...

    @property
    def sql_sink(self) -> SqlSink: ...

    @property
    def index_sink(self) -> IndexSink: ...

    @property
    def learning_index(self) -> LearningIndex: ...

    @property
    def runners(self) -> list[Runner]: ...


def _all(runtime: Runtime) -> Iterator[Any]:
    position = 0
    while True:
        page = runtime.app.recorder.select_notifications(
            start=position, limit=PAGE, inclusive_of_start=False
        )
        if not page:
            return
        yield from page
        position = page[-1].id


def _plain(value: Any) -> Any:
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Holdings:
    """The records that are the person's, found from the log.

    Theirs are: the accounts whose address is now their email (as the accounts' own events
    say, so an account that moved here from another address is found, and one that moved
    away is not), records with an event under their email's key or under any key their
    accounts' events use (an email claim, a provider application, notifications sent to
    them, an earlier address), the providers and application drafts of their accounts, the
    enquiries they sent (contact or reply email = their email), and the problem reports they
    filed (reporter = their email). `reports_about` are the reports on their providers,
    which may quote their details: erasure shreds those too, but subject access leaves them
    out (they hold the reporter's own data)."""

    subject: str | None  # None: Cairn holds no key for the email (never known, or erased)
    accounts: frozenset[UUID]
    records: frozenset[UUID]  # every record of theirs, for export and the erasure event
    own_keys: frozenset[UUID]  # records under a key of their own (subject_for_id)
    reports_about: frozenset[UUID]
    # Keys their accounts' events were written under besides the email's: an address
    # they moved from whose new address already had a key of its own.
    account_subjects: frozenset[str] = frozenset()

    def subjects(self) -> list[str]:
        """Every key subject erasure shreds: the email's, their accounts', and each record
        key of theirs."""
        records = self.own_keys | self.reports_about
        own = {self.subject} if self.subject is not None else set()
        people = sorted(own | self.account_subjects)
        return [*people, *sorted(subject_for_id(r) for r in records)]


def holdings(runtime: Runtime, email: str, notifications: list[Any] | None = None) -> Holdings:
    subject = subject_for_email(email, runtime.keys)
    wanted = email.strip().casefold()
    mapper = runtime.app.mapper
    assert isinstance(mapper, PersonalDataMapper)
    notifications = list(_all(runtime)) if notifications is None else notifications
    address_of: dict[UUID, str] = {}  # each account's address, as its latest event has it
    address_key: dict[UUID, str | None] = {}  # and the key that event is under
    applied: dict[UUID, UUID | None] = {}  # provider -> the account that applied
    drafts: dict[UUID, UUID] = {}
    sent: set[UUID] = set()
    filed: set[UUID] = set()
    reports_on: dict[UUID, UUID] = {}
    for notification in notifications:
        kind = notification.topic.rpartition(":")[2]
        if kind not in _OWNING_EVENTS:
            continue
        domain_event: Any = mapper.to_domain_event(notification)
        record = domain_event.originator_id
        if kind in ("Account.Registered", "Account.EmailChanged"):
            address_of[record] = domain_event.email
            address_key[record] = mapper.subject_of_stored(notification)
        elif kind == "Provider.Applied":
            applied[record] = domain_event.account_id
        elif kind == "ApplicationDraft.Started":
            drafts[record] = domain_event.account_id
        elif kind == "Enquiry.Received" and (
            _same(domain_event.contact, wanted)
            or _same(getattr(domain_event, "reply_email", ""), wanted)
        ):
            sent.add(record)
        elif kind == "ProblemReport.Reported":
            reports_on[record] = domain_event.provider_id
            if _same(domain_event.reporter_email, wanted):
                filed.add(record)
    # Found by the address, or by its key when the address no longer reads (a retried
    # erasure whose keys went before its event was recorded).
    accounts = {
        a
        for a, address in address_of.items()
        if _same(address, wanted) or (subject is not None and address_key[a] == subject)
    }
    account_subjects = {
        found
        for n in notifications
        if n.originator_id in accounts and (found := mapper.subject_of_stored(n)) is not None
    }
    people = account_subjects | ({subject} if subject is not None else set())
    # An enquiry's notification is under the provider's email key (its `to`), but the
    # enquiry is the enquirer's: it is not the provider's to export.
    under_email = {
        n.originator_id
        for n in notifications
        if not n.topic.endswith(":Enquiry.NotificationSent")
        and mapper.subject_of_stored(n) in people
    }
    providers = {p for p, by in applied.items() if p in under_email or by in accounts}
    own_keys = providers | {d for d, by in drafts.items() if by in accounts} | sent | filed
    about = {report for report, provider in reports_on.items() if provider in providers}
    return Holdings(
        subject=subject,
        accounts=frozenset(accounts),
        records=frozenset(under_email | own_keys | accounts),
        own_keys=frozenset(own_keys),
        reports_about=frozenset(about - filed),
        account_subjects=frozenset(account_subjects - {subject}),
    )


# The events that say whose a record is (by their class's qualified name).
_OWNING_EVENTS = frozenset(
    {
        "Account.Registered",
        "Account.EmailChanged",
        "Provider.Applied",
        "ApplicationDraft.Started",
        "Enquiry.Received",
        "ProblemReport.Reported",
    }
)


def _same(value: object, wanted: str) -> bool:
    return isinstance(value, str) and value.strip().casefold() == wanted


def export_person(runtime: Runtime, email: str) -> dict[str, Any]:
    """Everything Cairn's events hold about the person with this email.

    That is: every event of the records that are theirs (see `Holdings`: their account,
    provider application and its decisions, drafts, edits, answers, enquiries sent,
    problem reports filed), everything they did (events whose `by` is their account), and
    their sign-in attempts."""
    digest = email_digest(email)
    mapper = runtime.app.mapper
    assert isinstance(mapper, PersonalDataMapper)
    notifications = list(_all(runtime))
    held = holdings(runtime, email, notifications)
    events = []
    for notification in notifications:
        domain_event: Any = mapper.to_domain_event(notification)
        state = dict(vars(domain_event))
        mine = (
            domain_event.originator_id in held.records
            or state.get("by") in held.accounts
            or state.get("email_digest") == digest
        )
        if not mine:
            continue
        aggregate_type, event_name = describe(domain_event)
        for internal in ("originator_id", "originator_version", "timestamp"):
            state.pop(internal, None)
        events.append(
            {
                "position": notification.id,
                "at": domain_event.timestamp.isoformat(),
                "record": aggregate_type,
                "event": event_name,
                "record_id": str(domain_event.originator_id),
                "data": _plain(state),
            }
        )
    return {
        "email": email.strip(),
        "holds_key": held.subject is not None
        and runtime.keys.key_for(held.subject, create=False) is not None,
        "events": events,
    }


def export_person_json(runtime: Runtime, email: str) -> str:
    return json.dumps(export_person(runtime, email), indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class ErasureDone:
    had_key: bool
    events_affected: int
    erasure_id: UUID | None  # the Erasure event's record; None when nothing was theirs


def erase_person(runtime: Runtime, email: str, by: UUID | None = None) -> ErasureDone:
    """Shred every key of the person's, then record the erasure for every read model.

    Shredding comes first, so no projection that handles the erasure event can read the
    data again. A crash between the two leaves the keys gone and no event: running it again
    finds the same records (the email's link to its random subject is deleted only once the
    event is recorded) and records the event then."""
    mapper = runtime.app.mapper
    assert isinstance(mapper, PersonalDataMapper)
    notifications = list(_all(runtime))
    held = holdings(runtime, email, notifications)
    subjects = held.subjects()
    affected = sum(1 for n in notifications if mapper.subject_of_stored(n) in set(subjects))
    had_key = held.subject is not None and (
        runtime.keys.key_for(held.subject, create=False) is not None
    )
    shredded = [subject for subject in subjects if runtime.keys.shred(subject, unlink=False)]
    if not shredded and (
        not held.records
        or held.subject is None
        or _recorded_before(runtime, notifications, held.subject)
    ):
        _unlink_people(runtime, held)
        return ErasureDone(had_key=False, events_affected=0, erasure_id=None)  # done already
    erasure = record_erasure(subjects, held.records | held.reports_about, by)
    runtime.app.record(erasure)
    _unlink_people(runtime, held)  # now nothing leads from an email to their subjects
    return ErasureDone(had_key=had_key, events_affected=affected, erasure_id=erasure.id)


def _unlink_people(runtime: Runtime, held: Holdings) -> None:
    own = {held.subject} if held.subject is not None else set()
    for subject in sorted(own | held.account_subjects):
        runtime.keys.unlink(subject)


def _recorded_before(runtime: Runtime, notifications: list[Any], subject: str) -> bool:
    """Whether an erasure of this subject is already in the log (a run that completed).
    Erasure events hold no personal data, so they are read without any key."""
    for notification in notifications:
        if not notification.topic.endswith(":Erasure.Recorded"):
            continue
        erasure: Any = runtime.app.mapper.to_domain_event(notification)
        if subject in erasure.subjects:
            return True
    return False


# Given a runner and the log's head, a context whose value is told each event applied.
Progress = Callable[[Runner, int], AbstractContextManager[Callable[[int], object]]]


def rebuild_read_models(runtime: Runtime, progress: Progress | None = None) -> int:
    """Refill every read model and both search indexes from the log; return the log's head.
    `cairn projections rebuild` shows a bar per runner through `progress`.

    The SQL read models fill new tables beside the live ones and switch to them in one
    transaction (cairn/readmodels/rebuild.py), so a live site keeps answering from the old
    ones meanwhile."""
    head = runtime.app.head()
    sql_runner = runtime.runners[0]
    assert sql_runner.sink is runtime.sql_sink
    reader = LogReader(runtime.app)
    fresh = sql_projections(runtime.app)
    if progress is None:
        rebuild_beside(runtime.sql_sink.engine, fresh, reader)
    else:
        with progress(sql_runner, head) as advance:
            rebuild_beside(runtime.sql_sink.engine, fresh, reader, on_progress=advance)
    for projection in runtime.sql_sink.projections:
        projection.discard()  # nothing this process folded stands for the old tables
    # The provider index in one writer and one commit: searches read the old one meanwhile.
    index_runner = runtime.runners[1]
    assert index_runner.sink is runtime.index_sink
    if progress is None:
        runtime.index_sink.rebuild(reader.read)
    else:
        with progress(index_runner, head) as advance:
            runtime.index_sink.rebuild(reader.read, on_progress=advance)
    runtime.learning_index.clear()
    for runner in runtime.runners:
        if progress is None or runner in (sql_runner, index_runner):
            # What was written while the rebuild ran (nothing, on a quiet system).
            runner.catch_up(batch_size=REBUILD_BATCH_SIZE)
            continue
        with progress(runner, head) as advance:
            runner.catch_up(on_progress=advance, batch_size=REBUILD_BATCH_SIZE)
    return head
