"""The mapper that encrypts each event's declared personal fields with its subject's key,
and reads them back as ERASED once that key is gone (see cairn.domain.personal)."""

from __future__ import annotations

import base64
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Compressor, Mapper, StoredEvent, Transcoder

from cairn.domain.personal import ERASED, normal_email, subject_for_id
from cairn.domain.personal_keys import KeyStore

ENVELOPE = "__personal__"


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
