"""Personal data in events, encrypted with a key per person (crypto-shredding).

The event log is append-only, yet people have the right to erasure. So the personal
fields of an event are stored encrypted (AES-256-GCM) with a key that belongs to the
person the data is about (the *subject*). Erasing a person destroys their key: their
events stay in the log, in order, but their personal fields read back as ERASED, and
read models rebuilt from the log no longer hold the data.

To mark an event's fields as personal, after the aggregate class:

    personal(Account.Registered, fields=("email", "display_name"), subject="email")

`subject` names the field that identifies the person. When it holds an email, the subject
is derived from the email, so every event about that email shares one key and
`cairn erase-person EMAIL` reaches them all. When it holds a UUID (an enquiry id, say),
the subject is that id: `KeyStore.shred(subject_for_id(id))` erases just that record.
If the field is empty, the aggregate's own id is the subject.

A field may also name one key of a dict field, as `changes.phone`: only that value is
encrypted and the dict keeps its shape, so an erased edit reads back as
`{"phone": ERASED, "website": "..."}` and code that folds the dict keeps working. The
envelope lists which such keys it holds (their names only), so they read back as ERASED
even without the key.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Protocol
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Compressor, Mapper, StoredEvent, Transcoder

ERASED = "[erased]"
ENVELOPE = "__personal__"


def is_erased(value: object) -> bool:
    return value == ERASED


def subject_for_email(email: str) -> str:
    return (
        "person:" + hashlib.sha256(("cairn:person:" + email.strip().lower()).encode()).hexdigest()
    )


def subject_for_id(record_id: UUID) -> str:
    return f"record:{record_id}"


class PersonalEvent(Protocol):
    personal_fields: ClassVar[tuple[str, ...]]
    subject_field: ClassVar[str]


def personal(event_class: type, *, fields: tuple[str, ...], subject: str) -> None:
    """Declare which fields of an event class are personal, and whose they are.

    A field is an attribute name, or `attribute.key` for one value of a dict attribute."""
    for name in fields:
        if not all(part.isidentifier() for part in name.split(".")) or name.count(".") > 1:
            raise ValueError(f"not a field or field.key: {name!r}")
    event_class.personal_fields = tuple(fields)  # type: ignore[attr-defined]
    event_class.subject_field = subject  # type: ignore[attr-defined]


def _take_personal(state: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Remove the declared personal values from `state` (a copy of the event's attributes),
    copying any dict it takes keys from so the domain event itself is left as it was."""
    plain: dict[str, Any] = {}
    copied: set[str] = set()
    for name in fields:
        top, dot, key = name.partition(".")
        if not dot:
            if top in state:
                plain[name] = state.pop(top)
            continue
        container = state.get(top)
        if not isinstance(container, dict) or key not in container:
            continue
        if top not in copied:
            container = state[top] = dict(container)
            copied.add(top)
        plain[name] = container.pop(key)
    return plain


def _put_personal(state: dict[str, Any], values: dict[str, Any]) -> None:
    for name, value in values.items():
        top, dot, key = name.partition(".")
        if not dot:
            state[top] = value
        elif isinstance(state.get(top), dict):
            state[top][key] = value


def subject_of(state: dict[str, Any], subject_field: str, originator_id: object) -> str:
    value = state.get(subject_field)
    if isinstance(value, UUID):
        return subject_for_id(value)
    if isinstance(value, str) and value.strip():
        return subject_for_email(value)
    return f"record:{originator_id}"


class KeyStore(Protocol):
    """Where the per-person keys live. Destroying a key erases that person's data."""

    def key_for(self, subject: str, *, create: bool) -> bytes | None: ...

    def keys_for(self, subjects: Iterable[str]) -> dict[str, bytes]:
        """Each subject's key, creating the missing ones together (one transaction)."""
        ...

    def shred(self, subject: str) -> bool: ...

    def export_keys(self) -> list[tuple[str, bytes]]: ...

    def import_keys(self, keys: Any) -> None: ...

    def count(self) -> int: ...


class MemoryKeyStore:
    """Keys in memory: for tests and the in-memory event store."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def key_for(self, subject: str, *, create: bool) -> bytes | None:
        with self._lock:
            if subject not in self._keys and create:
                self._keys[subject] = AESGCM.generate_key(bit_length=256)
            return self._keys.get(subject)

    def keys_for(self, subjects: Iterable[str]) -> dict[str, bytes]:
        subjects = list(subjects)
        with self._lock:
            for subject in subjects:
                self._keys.setdefault(subject, AESGCM.generate_key(bit_length=256))
            return {subject: self._keys[subject] for subject in subjects}

    def shred(self, subject: str) -> bool:
        with self._lock:
            return self._keys.pop(subject, None) is not None

    def export_keys(self) -> list[tuple[str, bytes]]:
        with self._lock:
            return sorted(self._keys.items())

    def import_keys(self, keys: Any) -> None:
        with self._lock:
            self._keys.update(dict(keys))

    def count(self) -> int:
        return len(self._keys)


class PersonalDataMapper(Mapper[UUID]):
    """A Mapper that encrypts declared personal fields with their subject's key."""

    def __init__(
        self,
        transcoder: Transcoder,
        keys: KeyStore,
        compressor: Compressor | None = None,
        cipher: Any = None,
    ) -> None:
        super().__init__(transcoder=transcoder, compressor=compressor, cipher=cipher)
        self.keys = keys
        self._batch = threading.local()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Decode many events with one key look-up per person, not one per event.

        The cache lives only for the block (a runner's batch), so an erasure is seen by the
        very next batch."""
        self._batch.keys = {}
        try:
            yield
        finally:
            self._batch.keys = None

    @contextmanager
    def writing(self, domain_events: Iterable[Any]) -> Iterator[None]:
        """Encrypt a save's events with keys fetched (and any new ones created) together,
        instead of a look-up, and perhaps a commit, per event: a bulk import of thousands
        of new people would otherwise commit once per person before saving anything."""
        subjects = {
            subject_of(vars(e), type(e).subject_field, e.originator_id)
            for e in domain_events
            if getattr(type(e), "personal_fields", ())
        }
        self._batch.write_keys = self.keys.keys_for(subjects) if subjects else {}
        try:
            yield
        finally:
            self._batch.write_keys = None

    def _key_to_write(self, subject: str) -> bytes | None:
        prepared: dict[str, bytes] | None = getattr(self._batch, "write_keys", None)
        if prepared and subject in prepared:
            return prepared[subject]
        return self.keys.key_for(subject, create=True)

    def _key_to_read(self, subject: str) -> bytes | None:
        cache: dict[str, bytes | None] | None = getattr(self._batch, "keys", None)
        if cache is None:
            return self.keys.key_for(subject, create=False)
        if subject not in cache:
            cache[subject] = self.keys.key_for(subject, create=False)
        return cache[subject]

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        fields: tuple[str, ...] = getattr(type(domain_event), "personal_fields", ())
        if not fields:
            return super().to_stored_event(domain_event)
        state = dict(vars(domain_event))
        subject = subject_of(state, type(domain_event).subject_field, state["originator_id"])  # type: ignore[attr-defined]
        plain = _take_personal(state, fields)
        key = self._key_to_write(subject)
        assert key is not None
        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(
            nonce, self.transcoder.encode(plain), self._bound_to(domain_event)
        )
        state[ENVELOPE] = {
            "subject": subject,
            "nonce": base64.b64encode(nonce).decode("ascii"),
            "data": base64.b64encode(sealed).decode("ascii"),
        }
        keys_taken = [name for name in plain if "." in name]
        if keys_taken:
            state[ENVELOPE]["keys"] = keys_taken  # names only: what reads as ERASED unkeyed
        stand_in = object.__new__(type(domain_event))
        object.__setattr__(stand_in, "__dict__", state)
        return super().to_stored_event(stand_in)

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        domain_event = super().to_domain_event(stored_event)
        envelope = domain_event.__dict__.pop(ENVELOPE, None)
        if envelope is None:
            return domain_event
        fields: tuple[str, ...] = getattr(type(domain_event), "personal_fields", ())
        # Without the key: every declared attribute, and each dict key the envelope names.
        # An attribute still in clear was written before it was declared: it reads as it is.
        state = domain_event.__dict__
        unread = [n for n in fields if "." not in n and n not in state]
        unread += list(envelope.get("keys", ()))
        values: dict[str, Any] = dict.fromkeys(unread, ERASED)
        key = self._key_to_read(envelope["subject"])
        if key is not None:
            try:
                opened = AESGCM(key).decrypt(
                    base64.b64decode(envelope["nonce"]),
                    base64.b64decode(envelope["data"]),
                    self._bound_to(domain_event),
                )
            except InvalidTag:
                pass  # a key that does not fit is as good as no key: the data is unreadable
            else:
                values.update(self.transcoder.decode(opened))
        _put_personal(state, values)
        return domain_event

    def subject_of_stored(self, stored_event: StoredEvent) -> str | None:
        """Whose personal data a stored event holds, without decrypting it."""
        state = self.transcoder.decode(stored_event.state)
        envelope = state.get(ENVELOPE) if isinstance(state, dict) else None
        return envelope["subject"] if envelope else None

    @staticmethod
    def _bound_to(domain_event: Any) -> bytes:
        """Ciphertext is tied to its event: it cannot be moved to another one unnoticed."""
        return (
            f"{domain_event.originator_id}:{domain_event.originator_version}:"
            f"{type(domain_event).__module__}.{type(domain_event).__qualname__}"
        ).encode()
