"""Per-person keys, kept apart from the events, and destroyed so that they really go.

SQLite: the keys have a database file of their own (`keys.sqlite`, 0600) with
`secure_delete` on, so a deleted key is overwritten with zeros, and every shred ends with a
`wal_checkpoint(TRUNCATE)`, so no copy is left in the write-ahead log either.

PostgreSQL: a deleted row lives on as a dead tuple (and in free page space even after
VACUUM), so keys are stored wrapped (AES-256-GCM) under a key-encryption key (KEK) held in
a one-row table. Every shred re-wraps the live keys under a fresh KEK and destroys the old
one, then rewrites the small tables with VACUUM FULL: whatever dead copy of the shredded
key survives is wrapped under a KEK that no longer exists. See docs/data-rights.md for what
this does and does not protect against (WAL archives and dumps made before a shred).

An email is never turned into a subject by a fixed formula: a new person gets a random
subject, found through an HMAC of their email under a secret held here. The link is
deleted with the key, so after erasure nothing ties the subjects left in the event log to
an email. The tables, the KEK wrapping and the SQLite scrubbing are in key_storage.py."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from contextlib import suppress
from datetime import UTC, datetime

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from cairn.domain.personal import legacy_subject_for_email, normal_email
from cairn.domain.personal_keys import KeyArchiveState, email_lookup
from cairn.infrastructure.key_storage import (
    CHUNK,
    LEGACY_TABLE,
    checkpoint_truncate,
    current_kek,
    deleting_transaction,
    email_subjects,
    keks,
    key_metadata,
    key_secrets,
    open_key,
    personal_keys,
    seal,
    secure_delete,
    select_keys,
    wait_for_older_snapshots,
)

log = logging.getLogger(__name__)


class SqlKeyStore:
    def __init__(self, engine: Engine, *, create: bool = True) -> None:
        self.engine = engine
        self.wrapped = engine.dialect.name == "postgresql"
        if engine.dialect.name == "sqlite":
            # Every connection: deleted content is overwritten, not just unlinked.
            event.listen(engine, "connect", secure_delete)
        if create:  # False when the schema is known to be current (cairn.bootstrap.schema)
            # Another process may create it at the same moment (a PostgreSQL catalogue race).
            with suppress(IntegrityError):
                key_metadata.create_all(engine)
        self._email_secret = self._secret("email-subjects")
        if self.wrapped:
            with suppress(IntegrityError), self.engine.begin() as conn:
                current_kek(conn)

    # -- secrets held here ------------------------------------------------------------

    def _secret(self, name: str) -> bytes:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(key_secrets.c.value).where(key_secrets.c.name == name)
            ).scalar_one_or_none()
        if found is not None:
            return bytes(found)
        with suppress(IntegrityError), self.engine.begin() as conn:
            conn.execute(insert(key_secrets).values(name=name, value=secrets.token_bytes(32)))
        return self._secret(name)

    def _lock_for_writing(self, conn: Connection) -> None:
        """On PostgreSQL a write waits for a KEK rotation to finish before reading the KEK."""
        if self.wrapped:
            conn.execute(text(f"LOCK TABLE {self._table(personal_keys)} IN ROW EXCLUSIVE MODE"))

    def _table(self, table: Table) -> str:
        schema = self.engine.dialect.identifier_preparer
        return str(schema.format_table(table))

    # -- keys -------------------------------------------------------------------------

    def key_for(self, subject: str, *, create: bool) -> bytes | None:
        if create:
            return self.keys_for([subject])[subject]
        return self._existing([subject]).get(subject)

    def keys_for(self, subjects: Iterable[str]) -> dict[str, bytes]:
        """Each subject's key; the missing ones are created together in one transaction."""
        wanted = sorted(set(subjects))
        found = self._existing(wanted)
        missing = [s for s in wanted if s not in found]
        if not missing:
            return found
        for _attempt in range(5):
            new = {s: AESGCM.generate_key(bit_length=256) for s in missing}
            try:
                with self.engine.begin() as conn:
                    self._insert_keys(conn, new)
                found.update(new)
                return found
            except IntegrityError:  # made concurrently, or the KEK rotated meanwhile
                found.update(self._existing(missing))
                missing = [s for s in missing if s not in found]
                if not missing:
                    return found
        raise RuntimeError("could not store new personal-data keys")

    def _insert_keys(self, conn: Connection, new: dict[str, bytes]) -> None:
        if not new:
            return
        self._lock_for_writing(conn)
        kek = current_kek(conn) if self.wrapped else None
        now = datetime.now(tz=UTC)
        conn.execute(
            insert(personal_keys),
            [{"subject": s, "created_at": now, **seal(kek, s, k)} for s, k in new.items()],
        )

    def _existing(self, subjects: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(subjects), CHUNK):  # keep IN lists a sensible length
                chunk = subjects[start : start + CHUNK]
                for row in conn.execute(select_keys().where(personal_keys.c.subject.in_(chunk))):
                    key = open_key(row)
                    if key is not None:
                        found[row.subject] = key
        return found

    # -- subjects of emails -------------------------------------------------------------

    def _lookup(self, email: str) -> str:
        return email_lookup(self._email_secret, email)

    def subjects_for_emails(self, emails: Iterable[str], *, create: bool) -> dict[str, str]:
        """Each (normalised) email's subject. With `create`, a person new to Cairn gets a
        random subject, its link and its key, all in one transaction."""
        wanted = sorted({normal_email(e) for e in emails if normal_email(e)})
        lookups = {email: self._lookup(email) for email in wanted}
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), CHUNK):
                chunk = [lookups[e] for e in wanted[start : start + CHUNK]]
                linked = dict(
                    conn.execute(
                        select(email_subjects.c.lookup, email_subjects.c.subject).where(
                            email_subjects.c.lookup.in_(chunk)
                        )
                    ).all()
                )
                for email in wanted[start : start + CHUNK]:
                    if lookups[email] in linked:
                        found[email] = linked[lookups[email]]
        # People first seen before subjects were random keep their digest subject.
        unlinked = [e for e in wanted if e not in found]
        legacy = {legacy_subject_for_email(e): e for e in unlinked}
        for subject in self._existing(list(legacy)):
            found[legacy[subject]] = subject
        new = [e for e in unlinked if e not in found]
        if not create or not new:
            return found
        subjects = {email: "person:" + secrets.token_hex(16) for email in new}
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(email_subjects),
                    [{"lookup": lookups[e], "subject": s} for e, s in subjects.items()],
                )
                self._insert_keys(
                    conn, {s: AESGCM.generate_key(bit_length=256) for s in subjects.values()}
                )
        except IntegrityError:  # someone linked one of them meanwhile: ask again
            return self.subjects_for_emails(wanted, create=True)
        found.update(subjects)
        return found

    def link_email(self, email: str, subject: str, *, replace: bool = False) -> bool:
        """Lead `email` to `subject`; see KeyStore.link_email."""
        lookup = self._lookup(email)
        if not replace and self.subjects_for_emails([email], create=False):
            return False
        try:
            with self.engine.begin() as conn:
                if replace:
                    conn.execute(delete(email_subjects).where(email_subjects.c.lookup == lookup))
                conn.execute(insert(email_subjects).values(lookup=lookup, subject=subject))
        except IntegrityError:  # linked by someone else meanwhile: theirs stays
            return False
        return True

    def unlink_email(self, email: str) -> str | None:
        """Forget where `email` leads; see KeyStore.unlink_email. Not an erasure: the
        subject's key stays, so the removed row needs no scrubbing."""
        subject = self.subjects_for_emails([email], create=False).get(normal_email(email))
        if subject is None:
            return None
        lookup = self._lookup(email)
        with self.engine.begin() as conn:
            conn.execute(delete(email_subjects).where(email_subjects.c.lookup == lookup))
            if subject == legacy_subject_for_email(email):
                shadow = "person:" + secrets.token_hex(16)
                conn.execute(insert(email_subjects).values(lookup=lookup, subject=shadow))
        return subject

    # -- destruction --------------------------------------------------------------------

    def shred(self, subject: str, *, unlink: bool = True) -> bool:
        """Destroy a subject's key, and (unless `unlink` is false) the link from an email to
        it; True if there was a key.

        Returns once no copy is left where Cairn can reach it (see the module docstring)."""
        with self.engine.begin() as conn:
            self._lock_for_writing(conn)
            if unlink:
                conn.execute(delete(email_subjects).where(email_subjects.c.subject == subject))
            result = conn.execute(delete(personal_keys).where(personal_keys.c.subject == subject))
            if self.wrapped:
                self._rotate_kek(conn)
            deleted_in = self._transaction_id(conn)
        self._scrub(deleted_in)
        return bool(result.rowcount)

    def unlink(self, subject: str) -> None:
        """Forget the link from an email to this subject."""
        with self.engine.begin() as conn:
            self._lock_for_writing(conn)
            conn.execute(delete(email_subjects).where(email_subjects.c.subject == subject))
            deleted_in = self._transaction_id(conn)
        self._scrub(deleted_in)

    def _transaction_id(self, conn: Connection) -> int | None:
        return deleting_transaction(conn) if self.wrapped else None

    def _rotate_kek(self, conn: Connection) -> None:
        """Re-wrap every live key under a new KEK and delete the old KEK, in one transaction."""
        conn.execute(text(f"LOCK TABLE {self._table(personal_keys)} IN EXCLUSIVE MODE"))
        old_id, _old = current_kek(conn)
        rows = conn.execute(select_keys()).all()
        new_id, new_kek = old_id + 1, AESGCM.generate_key(bit_length=256)
        conn.execute(insert(keks).values(id=new_id, kek=new_kek, created_at=datetime.now(tz=UTC)))
        rewrapped = [
            {"s": row.subject, "k": seal((new_id, new_kek), row.subject, key)["key"]}
            for row in rows
            if (key := open_key(row)) is not None
        ]
        for start in range(0, len(rewrapped), CHUNK):
            conn.execute(
                update(personal_keys)
                .where(personal_keys.c.subject == bindparam("s"))
                .values(key=bindparam("k"), kek_id=new_id),
                rewrapped[start : start + CHUNK],
            )
        conn.execute(delete(keks).where(keks.c.id != new_id))

    def _scrub(self, deleted_in: int | None = None) -> None:
        """Make the deleted rows physically go from the files the database keeps."""
        if self.engine.dialect.name == "sqlite":
            checkpoint_truncate(self.engine)
            return
        if self.wrapped:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                if deleted_in is not None and (
                    holding := wait_for_older_snapshots(conn, deleted_in)
                ):
                    log.warning(
                        "key shred: %d session(s) still hold a snapshot older than the shred; "
                        "its dead rows stay (under a destroyed KEK) until they end",
                        holding,
                    )
                # Small tables: rewriting them leaves no dead tuple of the old KEK or link.
                for table in (keks, email_subjects, personal_keys):
                    conn.execute(text(f"VACUUM FULL {self._table(table)}"))

    # -- backups and migration ------------------------------------------------------------

    def export_keys(self) -> list[tuple[str, bytes]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select_keys().order_by(personal_keys.c.subject)).all()
        return [(r.subject, key) for r in rows if (key := open_key(r)) is not None]

    def import_keys(self, keys: Iterable[tuple[str, bytes]]) -> None:
        """Add keys (a restore, or keys moved from where they used to live)."""
        items = dict(keys)
        with self.engine.begin() as conn:
            for start in range(0, len(items), CHUNK):
                chunk = dict(list(items.items())[start : start + CHUNK])
                self._insert_keys(conn, chunk)

    def export_state(self) -> KeyArchiveState:
        with self.engine.connect() as conn:
            links = [
                (r.lookup, r.subject)
                for r in conn.execute(select(email_subjects).order_by(email_subjects.c.lookup))
            ]
        return KeyArchiveState(
            keys=self.export_keys(), links=links, email_secret=self._email_secret
        )

    def import_state(self, state: KeyArchiveState) -> None:
        """Load a backup's keys into this empty store, keeping the backup's email secret so
        that the restored links still find people by email."""
        with self.engine.begin() as conn:
            if state.email_secret is not None:
                conn.execute(
                    update(key_secrets)
                    .where(key_secrets.c.name == "email-subjects")
                    .values(value=state.email_secret)
                )
            if state.links:
                conn.execute(
                    insert(email_subjects), [{"lookup": lk, "subject": s} for lk, s in state.links]
                )
        if state.email_secret is not None:
            self._email_secret = state.email_secret
        self.import_keys(state.keys)

    def clear(self) -> None:
        """Remove everything imported (a restore that failed half way)."""
        with self.engine.begin() as conn:
            conn.execute(delete(email_subjects))
            conn.execute(delete(personal_keys))
        self._scrub()

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(personal_keys)).scalar_one())

    def take_legacy_keys(self, legacy: Engine) -> int:
        """Move keys from the old `personal_keys` table of `legacy` into this store, then
        drop that table (and, on SQLite, vacuum the file so no freed page keeps a key)."""
        if not inspect(legacy).has_table(LEGACY_TABLE):
            return 0
        with legacy.connect() as conn:
            rows = conn.execute(text("SELECT subject, key FROM personal_keys")).all()
        present = set(self._existing([r.subject for r in rows]))
        self.import_keys((r.subject, bytes(r.key)) for r in rows if r.subject not in present)
        with legacy.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS personal_keys"))
        if legacy.dialect.name == "sqlite":
            with legacy.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM"))
            checkpoint_truncate(legacy)
        return len(rows)
