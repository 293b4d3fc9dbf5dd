"""Backup and restore of the event log: one encrypted, authenticated, portable file.

A backup holds everything needed to restore Cairn, so everything that must stay secret:
the personal-data keys, the password hashes in the account events, the link from each
email to its subject. So the whole content is encrypted, and a backup can only be read,
or made to look valid, with its passphrase.

The file is text lines (UTF-8):

    {"format": "cairn-events", "version": 2, "exported_at": "…", "kdf": {…}, "check": "…",
     "nonce": "…"}                                                         (in clear)
    <base64 of an AES-256-GCM chunk>                                       × one or more

The key comes from the passphrase through scrypt (salt and cost in the header). Each chunk
is at most CHUNK bytes of the content, sealed with a nonce made of the file's random prefix,
the chunk's number and whether it is the last, and with the header line as associated
data. So changing any byte (header included), dropping, reordering or adding chunks, or
cutting the file short, makes the restore fail before anything is written. `check` (an HMAC
under a second key from the same scrypt output) tells a wrong passphrase from damage.

The content, once opened, is JSON lines: each event exactly as stored (personal fields
still encrypted under their person's key), then each key, each email link, the email
secret, and an end line with the counts. A restore brings back people erased since the
backup was made, so re-run their erasure after a restore (see docs/data-rights.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any, Protocol
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from eventsourcing.persistence import StoredEvent

from cairn.domain.app import CairnApp
from cairn.domain.personal_keys import KeyArchiveState

FORMAT = "cairn-events"
VERSION = 2
PAGE = 1000
CHUNK = 1 << 20
MIN_PASSPHRASE = 12
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 15, 8, 1
MAX_SCRYPT_WORK = 1 << 20  # n * r: a forged header must not make a restore take all memory


class BackupError(Exception):
    """The file cannot be imported, or the store cannot take it; nothing was changed."""


class KeyArchive(Protocol):
    """What a backup needs from the personal-data key store."""

    def export_state(self) -> KeyArchiveState: ...

    def import_state(self, state: KeyArchiveState) -> None: ...

    def clear(self) -> None: ...

    def count(self) -> int: ...


@dataclass(frozen=True)
class Summary:
    events: int
    keys: int


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"The backup passphrase must be at least {MIN_PASSPHRASE} characters long."
        )


def _line(obj: dict[str, Any]) -> bytes:
    return (json.dumps(obj, separators=(",", ":"), sort_keys=True) + "\n").encode()


def _keys(passphrase: str, kdf: dict[str, Any]) -> tuple[bytes, bytes]:
    """The content key and the passphrase-check key, from one scrypt derivation."""
    derived = Scrypt(
        salt=base64.b64decode(kdf["salt"]), length=64, n=kdf["n"], r=kdf["r"], p=kdf["p"]
    ).derive(passphrase.encode())
    return derived[:32], derived[32:]


def _check(check_key: bytes) -> str:
    return hmac.new(check_key, b"cairn backup passphrase", hashlib.sha256).hexdigest()


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


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


def _content(app: CairnApp, keys: KeyArchive | None, counts: dict[str, int]) -> Iterator[bytes]:
    head = app.head()
    for stored in _stored_events(app, head):
        counts["events"] += 1
        yield _line(
            {
                "event": {
                    "originator_id": str(stored.originator_id),
                    "originator_version": stored.originator_version,
                    "topic": stored.topic,
                    "state": base64.b64encode(stored.state).decode("ascii"),
                }
            }
        )
    state = keys.export_state() if keys is not None else KeyArchiveState(keys=[])
    for subject, key in state.keys:
        counts["keys"] += 1
        yield _line({"key": [subject, base64.b64encode(key).decode("ascii")]})
    for lookup, subject in state.links:
        yield _line({"link": [lookup, subject]})
    if state.email_secret is not None:
        yield _line({"email_secret": base64.b64encode(state.email_secret).decode("ascii")})
    yield _line({"end": {"events": counts["events"], "keys": counts["keys"]}})


def _chunks(pieces: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """The content cut into CHUNK-sized pieces, each with whether it is the last."""
    buffer = bytearray()
    ready: bytes | None = None
    for piece in pieces:
        buffer += piece
        while len(buffer) >= CHUNK:
            if ready is not None:
                yield ready, False
            ready, buffer = bytes(buffer[:CHUNK]), buffer[CHUNK:]
    if buffer or ready is None:
        if ready is not None:
            yield ready, False
        yield bytes(buffer), True
    else:
        yield ready, True


class _Interrupted(BaseException):
    """SIGTERM during an export: unwind so that the temporary file is removed."""


@contextmanager
def _cleaned_up_on_signals() -> Iterator[None]:
    """SIGTERM and SIGINT unwind the export (and its `finally`) instead of killing it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, _frame: FrameType | None) -> None:
        raise _Interrupted(signum)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def export_events(app: CairnApp, path: Path, keys: KeyArchive | None, passphrase: str) -> Summary:
    """Write every event up to the current head, and the keys, encrypted, to `path`.

    The file appears complete or not at all; until then it is a 0600 temporary file beside
    it, removed if the export fails or is stopped (and encrypted all along anyway)."""
    check_passphrase(passphrase)
    path = Path(path)
    kdf = {
        "name": "scrypt",
        "salt": base64.b64encode(os.urandom(16)).decode("ascii"),
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
    }
    content_key, check_key = _keys(passphrase, kdf)
    prefix = os.urandom(7)
    header = _line(
        {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": datetime.now(tz=UTC).isoformat(),
            "kdf": kdf,
            "check": _check(check_key),
            "nonce": base64.b64encode(prefix).decode("ascii"),
        }
    )
    aead = AESGCM(content_key)
    counts = {"events": 0, "keys": 0}
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".cairn-export-")  # 0600
    try:
        with _cleaned_up_on_signals(), os.fdopen(fd, "wb") as out:
            out.write(header)
            for number, (chunk, last) in enumerate(_chunks(_content(app, keys, counts))):
                sealed = aead.encrypt(_nonce(prefix, number, last), chunk, header)
                out.write(base64.b64encode(sealed) + b"\n")
            _publish(out, tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return Summary(events=counts["events"], keys=counts["keys"])


def _publish(out: Any, tmp_name: str, path: Path) -> None:
    out.flush()
    os.fsync(out.fileno())
    os.replace(tmp_name, path)


@dataclass(frozen=True)
class Backup:
    events: list[StoredEvent]
    keys: KeyArchiveState


def _header(path: Path, first: bytes) -> dict[str, Any]:
    try:
        header = json.loads(first)
        if not isinstance(header, dict):
            raise ValueError
    except ValueError:
        raise BackupError(f"{path} is not a Cairn event backup.") from None
    if header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Cairn event backup.")
    version = header.get("version")
    if version == 1:
        raise BackupError(
            f"{path} is a version 1 backup, made before backups were encrypted and "
            "authenticated: Cairn cannot tell whether it was changed, so it does not import "
            "it. Nothing was imported."
        )
    if version != VERSION:
        raise BackupError(
            f"{path} is a version {version} backup; this Cairn reads version {VERSION}."
        )
    return header


def read_backup(path: Path, passphrase: str) -> Backup:
    """Open and verify a backup completely, before anything is written."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    lines = raw.splitlines(keepends=True)
    if not lines:
        raise BackupError(f"{path} is empty: it is not a complete Cairn backup.")
    header_line = lines[0]
    header = _header(path, header_line)
    damaged = BackupError(
        f"{path} is damaged or has been changed: it does not match its authentication. "
        "Nothing was imported."
    )
    try:
        kdf = header["kdf"]
        if kdf.get("name") != "scrypt" or not (1 <= int(kdf["p"]) <= 16):
            raise damaged
        n, r = int(kdf["n"]), int(kdf["r"])
        if n < 2 or r < 1 or n * r > MAX_SCRYPT_WORK:
            raise damaged
        prefix = base64.b64decode(header["nonce"], validate=True)
        content_key, check_key = _keys(passphrase, kdf)
        expected = str(header["check"])
    except BackupError:
        raise
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise damaged from None
    if len(prefix) != 7:
        raise damaged
    if not hmac.compare_digest(_check(check_key), expected):
        raise BackupError(
            f"The passphrase does not open {path}: it is not the one the backup was made "
            "with. Nothing was imported."
        )
    aead = AESGCM(content_key)
    body = lines[1:]
    if not body or not raw.endswith(b"\n"):
        raise damaged
    content = bytearray()
    for number, line in enumerate(body):
        try:
            sealed = base64.b64decode(line.rstrip(b"\n"), validate=True)
            content += aead.decrypt(
                _nonce(prefix, number, number == len(body) - 1), sealed, header_line
            )
        except (InvalidTag, binascii.Error, ValueError):
            raise damaged from None
    return _parse(path, bytes(content))


def _parse(path: Path, content: bytes) -> Backup:
    events: list[StoredEvent] = []
    keys: list[tuple[str, bytes]] = []
    links: list[tuple[str, str]] = []
    secret: bytes | None = None
    end: dict[str, Any] | None = None
    try:
        for line in content.splitlines():
            if end is not None:
                raise ValueError("records after the end")
            record = json.loads(line)
            if "event" in record:
                e = record["event"]
                events.append(
                    StoredEvent(
                        originator_id=UUID(e["originator_id"]),
                        originator_version=int(e["originator_version"]),
                        topic=str(e["topic"]),
                        state=base64.b64decode(e["state"], validate=True),
                    )
                )
            elif "key" in record:
                subject, key = record["key"]
                keys.append((str(subject), base64.b64decode(key, validate=True)))
            elif "link" in record:
                lookup, subject = record["link"]
                links.append((str(lookup), str(subject)))
            elif "email_secret" in record:
                secret = base64.b64decode(record["email_secret"], validate=True)
            elif "end" in record:
                end = record["end"]
            else:
                raise ValueError("an unknown record")
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise BackupError(f"{path} is not a readable Cairn backup ({error}).") from None
    if end is None or end.get("events") != len(events) or end.get("keys") != len(keys):
        raise BackupError(f"{path} does not hold the records it says it does.")
    return Backup(events=events, keys=KeyArchiveState(keys=keys, links=links, email_secret=secret))


def import_events(app: CairnApp, path: Path, keys: KeyArchive | None, passphrase: str) -> Summary:
    """Load a verified backup into an empty store: all of it, or nothing."""
    backup = read_backup(path, passphrase)
    if app.head() != 0 or (keys is not None and keys.count() != 0):
        raise BackupError(
            "The event store is not empty: import a backup only into a new, empty store "
            "(a fresh CAIRN_DATA_DIR, or a new CAIRN_DATABASE_SCHEMA). Nothing was imported."
        )
    if backup.keys.keys and keys is None:
        raise BackupError("This backup holds personal-data keys but no key store is set up.")
    if keys is not None:
        keys.import_state(backup.keys)
    try:
        if backup.events:
            app.recorder.insert_events(backup.events)
    except BaseException:
        if keys is not None:
            keys.clear()
        raise
    return Summary(events=len(backup.events), keys=len(backup.keys.keys))
