"""Backup and restore of the event log, in a portable, versioned, checksummed file.

The file is JSON lines (UTF-8):

    {"format": "cairn-events", "version": 1, "count": N, "keys": K, "exported_at": "…"}
    {"originator_id": "…", "originator_version": 1, "topic": "…", "state": "<base64>"}   × N
    {"subject": "…", "key": "<base64>"}                                                  × K
    {"sha256": "<hex digest of every byte above this line>"}

Events are exported exactly as stored (personal fields stay encrypted), in log order, so
an import into an empty store of either kind (SQLite or PostgreSQL) replays the same
history. The personal-data keys travel with them, or the restored personal data could
not be read; a restore therefore brings back people erased since the backup was made,
so re-run their erasure after a restore (see docs/data-rights.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.app import CairnApp

FORMAT = "cairn-events"
VERSION = 1
PAGE = 1000


class BackupError(Exception):
    """The file cannot be imported, or the store cannot take it; nothing was changed."""


class KeyArchive(Protocol):
    """What a backup needs from the personal-data key store."""

    def export_keys(self) -> list[tuple[str, bytes]]: ...

    def import_keys(self, keys: Iterable[tuple[str, bytes]]) -> None: ...

    def count(self) -> int: ...

    def shred(self, subject: str) -> bool: ...


@dataclass(frozen=True)
class Summary:
    events: int
    keys: int


def _line(obj: dict[str, Any]) -> bytes:
    return (json.dumps(obj, separators=(",", ":"), sort_keys=True) + "\n").encode()


def _stored_events(app: CairnApp, head: int) -> Iterator[StoredEvent]:
    position = 0
    while position < head:
        page = app.recorder.select_notifications(
            start=position, limit=PAGE, stop=head, inclusive_of_start=False
        )
        if not page:
            return
        yield from page
        position = page[-1].id


def export_events(app: CairnApp, path: Path, keys: KeyArchive | None = None) -> Summary:
    """Write every event up to the current head, then the keys, to `path` (atomically)."""
    head = app.head()
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent or Path("."), prefix=".cairn-export-")
    try:
        with os.fdopen(fd, "w+b") as body:
            count = 0
            for stored in _stored_events(app, head):
                body.write(
                    _line(
                        {
                            "originator_id": str(stored.originator_id),
                            "originator_version": stored.originator_version,
                            "topic": stored.topic,
                            "state": base64.b64encode(stored.state).decode("ascii"),
                        }
                    )
                )
                count += 1
            key_items = keys.export_keys() if keys is not None else []
            for subject, key in key_items:
                body.write(_line({"subject": subject, "key": base64.b64encode(key).decode()}))
            header = _line(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "count": count,
                    "keys": len(key_items),
                    "exported_at": datetime.now(tz=UTC).isoformat(),
                }
            )
            digest = hashlib.sha256(header)
            body.seek(0)
            with open(tmp_name + ".out", "wb") as out:
                out.write(header)
                while chunk := body.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
                out.write(_line({"sha256": digest.hexdigest()}))
                out.flush()
                os.fsync(out.fileno())
        os.replace(tmp_name + ".out", path)
    finally:
        for leftover in (tmp_name, tmp_name + ".out"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return Summary(events=count, keys=len(key_items))


@dataclass(frozen=True)
class Backup:
    events: list[StoredEvent]
    keys: list[tuple[str, bytes]]


def read_backup(path: Path) -> Backup:
    """Parse and verify a backup file completely, before anything is written."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    lines = raw.splitlines(keepends=True)
    if len(lines) < 2 or not raw.endswith(b"\n"):
        raise BackupError(f"{path} is not a complete Cairn backup: it looks truncated.")
    body, last = b"".join(lines[:-1]), lines[-1]
    try:
        expected = json.loads(last)["sha256"]
    except (ValueError, KeyError, TypeError):
        raise BackupError(
            f"{path} is not a complete Cairn backup: the checksum line at the end is missing."
        ) from None
    if hashlib.sha256(body).hexdigest() != expected:
        raise BackupError(
            f"{path} is damaged: its checksum does not match its contents. Nothing was imported."
        )
    try:
        header = json.loads(lines[0])
        if header.get("format") != FORMAT:
            raise BackupError(f"{path} is not a Cairn event backup.")
        if header.get("version") != VERSION:
            raise BackupError(
                f"{path} is a version {header.get('version')} backup; this Cairn reads "
                f"version {VERSION}."
            )
        count, key_count = int(header["count"]), int(header["keys"])
        records = [json.loads(line) for line in lines[1:-1]]
        if len(records) != count + key_count:
            raise BackupError(f"{path} does not hold the number of records its header says.")
        events = [
            StoredEvent(
                originator_id=UUID(r["originator_id"]),
                originator_version=int(r["originator_version"]),
                topic=str(r["topic"]),
                state=base64.b64decode(r["state"], validate=True),
            )
            for r in records[:count]
        ]
        keys = [
            (str(r["subject"]), base64.b64decode(r["key"], validate=True)) for r in records[count:]
        ]
    except BackupError:
        raise
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise BackupError(f"{path} is not a readable Cairn backup ({error}).") from None
    return Backup(events=events, keys=keys)


def import_events(app: CairnApp, path: Path, keys: KeyArchive | None = None) -> Summary:
    """Load a verified backup into an empty store: all of it in one transaction, or nothing."""
    backup = read_backup(path)
    if app.head() != 0 or (keys is not None and keys.count() != 0):
        raise BackupError(
            "The event store is not empty: import a backup only into a new, empty store "
            "(a fresh CAIRN_DATA_DIR, or a new CAIRN_DATABASE_SCHEMA). Nothing was imported."
        )
    if backup.keys and keys is None:
        raise BackupError("This backup holds personal-data keys but no key store is set up.")
    if keys is not None and backup.keys:
        keys.import_keys(backup.keys)
    try:
        if backup.events:
            app.recorder.insert_events(backup.events)
    except BaseException:
        for subject, _key in backup.keys if keys is not None else ():
            keys.shred(subject)  # type: ignore[union-attr]
        raise
    return Summary(events=len(backup.events), keys=len(backup.keys))
