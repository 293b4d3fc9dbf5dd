"""Where the per-person keys live (see cairn.domain.personal), and a store in memory.

The stores that keep keys in a database are in cairn.infrastructure.keystore."""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cairn.domain.personal import legacy_subject_for_email, normal_email


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

    def link_email(self, email: str, subject: str, *, replace: bool = False) -> bool:
        """Lead `email` to `subject` (a person who moved to this address keeps their one
        key); True if linked now. Without `replace`, an email that already leads to a
        subject of its own keeps it."""
        ...

    def unlink_email(self, email: str) -> str | None:
        """Forget where `email` leads, returning the subject it led to. An email whose
        subject is the old digest of it is shadowed by a new random subject, so the address
        no longer leads to that person (someone new may register it)."""
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

    def link_email(self, email: str, subject: str, *, replace: bool = False) -> bool:
        lookup = email_lookup(self._secret, email)
        with self._lock:
            taken = lookup in self._links or legacy_subject_for_email(email) in self._keys
            if taken and not replace:
                return False
            self._links[lookup] = subject
            return True

    def unlink_email(self, email: str) -> str | None:
        subject = subject_for_email(email, self)
        lookup = email_lookup(self._secret, email)
        with self._lock:
            self._links.pop(lookup, None)
            if subject == legacy_subject_for_email(email):
                self._links[lookup] = "person:" + os.urandom(16).hex()
        return subject

    def export_keys(self) -> list[tuple[str, bytes]]:
        with self._lock:
            return sorted(self._keys.items())

    def import_keys(self, keys: Any) -> None:
        with self._lock:
            self._keys.update(dict(keys))

    def count(self) -> int:
        return len(self._keys)


def subject_for_email(email: str, keys: KeyStore, *, create: bool = False) -> str | None:
    """The subject (whose key encrypts their data) of the person with this email.

    None if Cairn holds no key for them and `create` is false. The single way to turn an
    email into a subject: the mapper, subject access and erasure all ask here."""
    return keys.subjects_for_emails([email], create=create).get(normal_email(email))
