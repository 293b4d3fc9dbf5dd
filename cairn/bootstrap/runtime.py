"""The one place that builds Cairn's parts from its settings."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import Engine

from cairn.bootstrap import schema
from cairn.bootstrap.settings import ConfigError, Settings
from cairn.domain.app import CairnApp
from cairn.domain.clock import Clock, system_clock
from cairn.domain.geo.installed import installed_gazetteer
from cairn.eventlog.listen import NotifyListener
from cairn.eventlog.log import LogReader
from cairn.eventlog.runner import Runner
from cairn.infrastructure.keystore import SqlKeyStore
from cairn.infrastructure.mail import SmtpTransport
from cairn.infrastructure.sealed_files import SqlSealedFileStore
from cairn.infrastructure.sessions import SessionPolicy, SessionStore
from cairn.jobs.checks_sweep import SWEEP_EVERY_SECONDS, sweep_checks
from cairn.jobs.enquiry_retention import PURGE_EVERY_SECONDS, purge_expired_enquiries
from cairn.jobs.loop import Job, JobsLoop
from cairn.jobs.mail.outbox_wiring import outbox_sender
from cairn.jobs.review_sweep import REVIEWS_EVERY_SECONDS, sweep_reviews
from cairn.readmodels.audit.audit import drop_legacy_tables
from cairn.readmodels.catalogue import sql_projections
from cairn.readmodels.database import make_engine
from cairn.readmodels.sql_sink import SqlSink
from cairn.search.learning import LearningIndex
from cairn.search.providers.index import SearchIndex
from cairn.search.providers.indexer import IndexSink
from cairn.search.providers.search import Directory

log = logging.getLogger(__name__)

MAIL_EVERY_SECONDS = 5.0  # emails go out within seconds of the event that calls for them


class Runtime:
    """The event store, the read models and the runners that connect them."""

    def __init__(self, settings: Settings, clock: Clock = system_clock) -> None:
        self.settings = settings
        private_umask()
        if settings.uses_postgres:
            _prepare_postgres(settings)
        else:
            _prepare_data_dir(settings)
        self.read_engine: Engine = make_engine(
            settings.read_models_url(), schema=settings.database_schema
        )
        # DDL runs once per release, not per start: the first process (or `cairn db init`)
        # creates the tables and marks the schema current (cairn/bootstrap/schema.py).
        create = not schema.is_current(self.read_engine, schema.files_of(settings))
        with _schema_lock(settings) if create else nullcontext():
            # Several processes starting at once on a new schema would race to create
            # tables; whoever waited for the lock may find the work done.
            create = create and not schema.is_current(self.read_engine, schema.files_of(settings))
            self.keys = self._key_store(settings, create=create)
            env = dict(settings.event_store_env())
            if not create:
                # eventsourcing's CREATE ... IF NOT EXISTS waits for the events table's lock
                env["CREATE_TABLE"] = "no"
            self.files = SqlSealedFileStore.open(
                shared=self.read_engine if settings.uses_postgres else None,
                path=settings.files_path,
                create=create,
            )
            self.app = CairnApp(env=env, clock=clock, keys=self.keys, files=self.files)
            self.reader = LogReader(self.app)
            self.sql_sink = SqlSink(
                self.read_engine,
                sql_projections(self.app),
                read_log=self.reader.read,  # an erasure refills the read models from the log
            )
            if create:
                self.sql_sink.create_tables()
            else:
                self.sql_sink.ensure_tracking()
            # Sign-in sessions: shared by every worker and node, never part of a rebuild.
            self.sessions = SessionStore.open(
                SessionPolicy(
                    idle_seconds=settings.session_idle_minutes * 60.0,
                    admin_idle_seconds=settings.admin_idle_minutes * 60.0,
                    lifetime_seconds=settings.session_lifetime_hours * 3600.0,
                ),
                clock,
                shared=self.read_engine if settings.uses_postgres else None,
                path=settings.sessions_path,
                create=create,
            )
            if create:
                with self.read_engine.begin() as conn:
                    drop_legacy_tables(conn)
                schema.mark_current(self.read_engine)
        self.sql_runner = Runner(self.reader, self.sql_sink, poll_interval=settings.poll_interval)
        # Each node keeps its own search index, fed by its own runner.
        self.search_index = SearchIndex(settings.index_dir / "providers")
        self.index_sink = IndexSink(
            self.search_index, lambda pid, version: self.app.repository.get(pid, version=version)
        )
        self.index_runner = Runner(
            self.reader, self.index_sink, poll_interval=settings.poll_interval
        )
        self.directory = Directory(self.search_index, installed_gazetteer(settings.geo_path))
        # Mail goes out only where a server is configured (CAIRN_SMTP_URL).
        self.mail = (
            SmtpTransport(settings.smtp_url, settings.mail_from) if settings.smtp_url else None
        )
        # Every email an event calls for goes through the outbox; with no server configured
        # it is kept locally, for the administrator to read at /admin/mail/local.
        self.mail_sender = outbox_sender(
            self.app,
            self.read_engine,
            self.mail,
            base_url=settings.base_url,
            secret=settings.secret_key,
            mail_from=settings.mail_from,
        )
        self.learning_index = LearningIndex(
            settings.index_dir / "learning",
            history=lambda record_id: list(self.app.repository.event_store.get(record_id)),
        )
        if not settings.uses_postgres:
            _private_files(settings.data_dir)
        _private_files(settings.index_dir)
        self.learning_runner = Runner(
            self.reader, self.learning_index, poll_interval=settings.poll_interval
        )
        self.listener: NotifyListener | None = None
        self.jobs: JobsLoop | None = None
        self._started = False
        self._closed = False
        self.following: list[Runner] = []  # the runners this process started

    def _key_store(self, settings: Settings, *, create: bool) -> SqlKeyStore:
        """Keys live apart from the events: their own SQLite file, or (PostgreSQL) their own
        tables, wrapped under a rotated key-encryption key (cairn/infrastructure/keystore.py).

        Keys of a deployment older than that are moved out of the events' database here."""
        if settings.uses_postgres:
            store = SqlKeyStore(self.read_engine, create=create)
            moved = store.take_legacy_keys(self.read_engine) if create else 0
        else:
            store = SqlKeyStore(make_engine(f"sqlite:///{settings.keys_path}"), create=create)
            moved = 0
            if create and settings.events_path.exists():
                events = make_engine(f"sqlite:///{settings.events_path}")
                try:
                    moved = store.take_legacy_keys(events)
                finally:
                    events.dispose()
        if moved:
            log.info("moved %d personal-data keys out of the event store", moved)
        return store

    def periodic_jobs(self) -> list[Job]:
        """What the shared scope runs in the background, each on its own interval."""
        settings = self.settings
        jobs = [
            Job(
                "insurance sweep",
                SWEEP_EVERY_SECONDS,
                lambda: sweep_checks(self.app, self.read_engine),
            ),
            Job(
                "enquiry retention",
                PURGE_EVERY_SECONDS,
                lambda: purge_expired_enquiries(
                    self.app, self.read_engine, self.keys, settings.enquiry_retention_days
                ),
            ),
            Job(
                "learning reviews",
                REVIEWS_EVERY_SECONDS,
                lambda: sweep_reviews(self.app, self.read_engine),
            ),
        ]
        jobs.append(Job("mail outbox", MAIL_EVERY_SECONDS, self.mail_sender.run_once))
        return jobs

    @property
    def shared_runners(self) -> list[Runner]:
        """Runners whose output lives in the shared database: one process per database."""
        return [self.sql_runner]

    @property
    def node_runners(self) -> list[Runner]:
        """Runners whose output lives on this node's disk (search indexes): one per node."""
        return [self.index_runner, self.learning_runner]

    @property
    def runners(self) -> list[Runner]:
        return [*self.shared_runners, *self.node_runners]

    def start(self, scope: str = "all") -> None:
        """Follow the log in this process: `all` runners, or only `shared` or `node` ones."""
        if self._started:
            return
        self._started = True
        chosen = {"all": self.runners, "shared": self.shared_runners, "node": self.node_runners}[
            scope
        ]
        self.following = list(chosen)
        for runner in chosen:
            runner.start()
        if chosen:
            self._listen([r.wake for r in chosen])
        if scope in ("all", "shared"):
            # The jobs write events: one loop per database, like the shared runners.
            self.jobs = JobsLoop(self.periodic_jobs())
            self.jobs.start()

    def _listen(self, wakes: list[object]) -> None:
        if self.settings.uses_postgres:
            channel = getattr(self.app.recorder, "channel_name", "cairn_events")
            self.listener = NotifyListener(
                self.settings.postgres_conninfo(),
                channel,
                wakes,  # type: ignore[arg-type]
            )
            self.listener.start()

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Read-your-writes: wait until every read model has applied `position`."""
        return all(runner.wait_for(position, timeout) for runner in self.runners)

    def close(self) -> None:
        if self._closed:  # the CLI closes on exit, and so may a command or atexit
            return
        self._closed = True
        for runner in self.runners:
            runner.stop()
        if self.jobs:
            self.jobs.stop()
        if self.listener:
            self.listener.stop()
        self.read_engine.dispose()
        self.search_index.close()
        self.keys.engine.dispose()
        self.files.engine.dispose()
        self.sessions.close()
        self.app.close()


@contextmanager
def _schema_lock(settings: Settings) -> Iterator[None]:
    """On PostgreSQL, one process at a time creates the schema's tables (an advisory lock)."""
    if not settings.uses_postgres:
        yield
        return
    with psycopg.connect(settings.postgres_conninfo(), autocommit=True, connect_timeout=5) as conn:
        key = f"cairn-schema:{settings.database_schema}"
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))


def private_umask() -> None:
    """Everything this process creates is for its own user only: the SQLite files (and
    their -wal and -shm, which SQLite makes with the database's mode), the search indexes,
    the secret key, backups. People's data must not be readable by other local users."""
    os.umask(0o077)


def _private_files(directory: Path) -> None:
    """Tighten what an older Cairn (or another umask) left readable: 0700 dirs, 0600 files."""
    if not directory.exists():
        return
    for path in [directory, *directory.rglob("*")]:
        with suppress(OSError):  # a file that went meanwhile (a Whoosh merge, say)
            if path.is_symlink():
                continue
            path.chmod(0o700 if path.is_dir() else 0o600)


def _prepare_data_dir(settings: Settings) -> None:
    """The embedded default needs a writable data directory: say so plainly if not."""
    directory = settings.data_dir
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.TemporaryFile(dir=directory) as probe:
            probe.write(b"x" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        raise ConfigError(
            f"Cannot write to the data directory {directory} ({error.strerror}): "
            "free some space or set CAIRN_DATA_DIR to a writable folder."
        ) from None


def _prepare_postgres(settings: Settings) -> None:
    """Check the server answers, and make the schema if it is new."""
    url = settings.database_url
    assert url is not None
    where = f"{url.host or '127.0.0.1'}:{url.port or 5432}/{url.database}"
    try:
        with psycopg.connect(settings.postgres_conninfo(), connect_timeout=5) as conn:
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                    sql.Identifier(settings.database_schema)
                )
            )
    except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateSchema):
        pass  # another process made it a moment ago
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigError(
            f"Cannot reach PostgreSQL at {where} ({reason}): check CAIRN_DATABASE_URL "
            "and that the server is running."
        ) from None
