"""Files kept sealed under a record's personal-data key (crypto-shredding for bytes).

A file is sealed (AES-256-GCM) with the key of the record it belongs to
(`subject_for_id(record id)`, the key that record's later events are written under) and
bound to its own id, so shredding that key, as erasure does, leaves the stored bytes
unreadable: no copy needs finding and deleting, and a backup holds only ciphertext.
The stores that keep files in a database are in cairn.infrastructure.sealed_files."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cairn.domain.personal import subject_for_id
from cairn.domain.personal_keys import KeyStore

_NONCE = 12


class Unreadable(Exception):
    """Sealed bytes that no longer open: their key was shredded, or they are not these."""


@dataclass(frozen=True)
class SealedFile:
    file_id: UUID
    owner_id: UUID  # the record whose key seals it
    media_type: str
    sealed: bytes  # nonce, then ciphertext and tag


class SealedFileStore(Protocol):
    def put(self, file: SealedFile) -> None:
        """Keep a file whole, or not at all (one transaction)."""
        ...

    def get(self, file_id: UUID) -> SealedFile | None: ...

    def delete(self, file_id: UUID) -> None: ...


class MemorySealedFileStore:
    """Files in memory: for tests and the in-memory event store."""

    def __init__(self) -> None:
        self._files: dict[UUID, SealedFile] = {}
        self._lock = threading.Lock()

    def put(self, file: SealedFile) -> None:
        with self._lock:
            self._files[file.file_id] = file

    def get(self, file_id: UUID) -> SealedFile | None:
        with self._lock:
            return self._files.get(file_id)

    def delete(self, file_id: UUID) -> None:
        with self._lock:
            self._files.pop(file_id, None)


def seal(keys: KeyStore, owner_id: UUID, file_id: UUID, media_type: str, data: bytes) -> SealedFile:
    key = keys.key_for(subject_for_id(owner_id), create=True)
    assert key is not None  # create=True always gives one
    nonce = os.urandom(_NONCE)
    sealed = nonce + AESGCM(key).encrypt(nonce, data, file_id.bytes)
    return SealedFile(file_id, owner_id, media_type, sealed)


def unseal(keys: KeyStore, file: SealedFile) -> bytes:
    """The file's bytes; Unreadable once its owner's key is shredded."""
    key = keys.key_for(subject_for_id(file.owner_id), create=False)
    if key is None:
        raise Unreadable(file.file_id)
    try:
        return AESGCM(key).decrypt(file.sealed[:_NONCE], file.sealed[_NONCE:], file.file_id.bytes)
    except InvalidTag as error:
        raise Unreadable(file.file_id) from error
