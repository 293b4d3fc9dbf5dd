"""Personal data in events, encrypted with a key per person (crypto-shredding).

The event log is append-only, yet people have the right to erasure. So the personal
fields of an event are stored encrypted (AES-256-GCM) with a key that belongs to the
person the data is about (the *subject*). Erasing a person destroys their key: their
events stay in the log, in order, but their personal fields read back as ERASED, and
read models rebuilt from the log no longer hold the data.

To mark an event's fields as personal, after the aggregate class:

    personal(Account.Registered, fields=("email", "display_name"), subject="email")

`subject` names the field that identifies the person. When it holds an email, the key
store gives the email a random subject of its own (found again through a keyed HMAC of the
email, a link deleted on erasure), so every event about that email shares one key,
`cairn erase-person EMAIL` reaches them all, and the subject stored in clear in each event
says nothing about the email. `subject_for_email` is the one way to get it. When it holds
a UUID (an enquiry id, say), the subject is that id: `KeyStore.shred(subject_for_id(id))`
erases just that record. If the field is empty, the aggregate's own id is the subject.
A field may also name one key of a dict field, as `changes.phone`: only that value is
encrypted and the dict keeps its shape, so an erased edit reads back as
`{"phone": ERASED, "website": "..."}` and code that folds the dict keeps working. The
envelope lists which such keys it holds (their names only), so they read back as ERASED
even without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Compressor, Mapper, StoredEvent, Transcoder

ERASED = "[erased]"
ENVELOPE = "__personal__"


def is_erased(value: object) -> bool:
    return value == ERASED


def normal_email(email: str) -> str:
    return email.strip().lower()


def email_lookup(secret: bytes, email: str) -> str:
    """What the key store files an email's subject under: an HMAC, useless without the
    secret, and deleted (with the key) on erasure."""
    return hmac.new(secret, normal_email(email).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class KeyArchiveState:
    """Everything a backup must carry so that restored data can be read and found."""

    keys: list[tuple[str, bytes]]
    links: list[tuple[str, str]] = field(default_factory=list)  # (email lookup, subject)
    email_secret: bytes | None = None


def legacy_subject_for_email(email: str) -> str:
    """The subject events were written under before subjects were random: an unsalted
    digest of the email. Still read, so that old events decrypt; never made for new people."""
    return "person:" + hashlib.sha256(("cairn:person:" + normal_email(email)).encode()).hexdigest()


def subject_for_email(email: str, keys: KeyStore, *, create: bool = False) -> str | None:
    """The subject (whose key encrypts their data) of the person with this email.

    None if Cairn holds no key for them and `create` is false. The single way to turn an
    email into a subject: the mapper, subject access and erasure all ask here."""
    return keys.subjects_for_emails([email], create=create).get(normal_email(email))


def subject_for_id(record_id: UUID) -> str:
    return f"record:{record_id}"


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


def subject_of(
    state: dict[str, Any],
    subject_field: str,
    originator_id: object,
    email_subjects: dict[str, str],
) -> str:
    """The subject of an event being written; `email_subjects` maps (normalised) emails to
    their subjects, as `KeyStore.subjects_for_emails` answers."""
    value = state.get(subject_field)
    if isinstance(value, UUID):
        return subject_for_id(value)
    if isinstance(value, str) and value.strip():
        return email_subjects[normal_email(value)]
    return f"record:{originator_id}"


def _email_of(state: dict[str, Any], subject_field: str) -> str | None:
    value = state.get(subject_field)
    return value if isinstance(value, str) and value.strip() else None


class KeyStore(Protocol):
    """Where the per-person keys live. Destroying a key erases that person's data."""

    def key_for(self, subject: str, *, create: bool) -> bytes | None: ...

    def keys_for(self, subjects: Iterable[str]) -> dict[str, bytes]:
        """Each subject's key, creating the missing ones together (one transaction)."""
        ...

    def subjects_for_emails(self, emails: Iterable[str], *, create: bool) -> dict[str, str]:
        """Each normalised email's subject; with `create`, new people get a random subject
        (and its key) together. Emails with no subject and no `create` are left out."""
        ...

    def shred(self, subject: str, *, unlink: bool = True) -> bool:
        """Destroy the subject's key and (unless `unlink` is false) any link from an email
        to it. Erasure keeps the link until its event is recorded, so a retry after a
        crash in between can still find the person's records."""
        ...

    def unlink(self, subject: str) -> None:
        """Forget every link from an email to this subject."""
        ...

    def export_keys(self) -> list[tuple[str, bytes]]: ...

    def import_keys(self, keys: Any) -> None: ...

    def count(self) -> int: ...


class MemoryKeyStore:
    """Keys in memory: for tests and the in-memory event store."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}
        self._links: dict[str, str] = {}  # email lookup -> subject
        self._secret = os.urandom(32)
        self._lock = threading.Lock()

    def subjects_for_emails(self, emails: Iterable[str], *, create: bool) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._lock:
            for email in {normal_email(e) for e in emails if normal_email(e)}:
                lookup, legacy = email_lookup(self._secret, email), legacy_subject_for_email(email)
                if lookup in self._links:
                    found[email] = self._links[lookup]
                elif legacy in self._keys:
                    found[email] = legacy
                elif create:
                    subject = "person:" + os.urandom(16).hex()
                    self._links[lookup] = subject
                    self._keys[subject] = AESGCM.generate_key(bit_length=256)
                    found[email] = subject
        return found

    def export_state(self) -> KeyArchiveState:
        with self._lock:
            return KeyArchiveState(
                keys=sorted(self._keys.items()),
                links=sorted(self._links.items()),
                email_secret=self._secret,
            )

    def import_state(self, state: KeyArchiveState) -> None:
        with self._lock:
            if state.email_secret is not None:
                self._secret = state.email_secret
            self._links.update(dict(state.links))
            self._keys.update(dict(state.keys))

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()
            self._links.clear()

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

    def shred(self, subject: str, *, unlink: bool = True) -> bool:
        if unlink:
            self.unlink(subject)
        with self._lock:
            return self._keys.pop(subject, None) is not None

    def unlink(self, subject: str) -> None:
        with self._lock:
            self._links = {lk: s for lk, s in self._links.items() if s != subject}

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
        personal_events = [e for e in domain_events if getattr(type(e), "personal_fields", ())]
        emails = {
            email
            for e in personal_events
            if (email := _email_of(vars(e), type(e).subject_field)) is not None
        }
        self._batch.email_subjects = (
            self.keys.subjects_for_emails(emails, create=True) if emails else {}
        )
        subjects = {
            subject_of(vars(e), type(e).subject_field, e.originator_id, self._batch.email_subjects)
            for e in personal_events
        }
        self._batch.write_keys = self.keys.keys_for(subjects) if subjects else {}
        try:
            yield
        finally:
            self._batch.write_keys = None
            self._batch.email_subjects = None

    def _subject_to_write(self, domain_event: Any, state: dict[str, Any]) -> str:
        subject_field: str = type(domain_event).subject_field
        prepared: dict[str, str] | None = getattr(self._batch, "email_subjects", None)
        email = _email_of(state, subject_field)
        if email is not None and not (prepared and normal_email(email) in prepared):
            prepared = self.keys.subjects_for_emails([email], create=True)
        return subject_of(state, subject_field, state["originator_id"], prepared or {})

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
        subject = self._subject_to_write(domain_event, state)
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
