"""An upload kept between its preview and "apply", without keeping it readable on disk.

A provider CSV holds people's names, emails and phones. Between the dry-run preview and the
administrator pressing "apply" it has to be somewhere; it is written here encrypted
(AES-256-GCM) under a key made for that one upload and never stored: the key goes back to the
administrator's browser in the preview's form, and the server keeps only ciphertext. The
administrator's account id is bound in as associated data, so nobody else's "apply" opens it.
Stashes are short-lived: an old one is refused and deleted, and each new upload clears the old
ones away. Applying (or abandoning) deletes it."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

STASH_LIFETIME_SECONDS = 30 * 60


class StashGone(Exception):
    """The upload is not there any more (applied, expired, or never made), or not this
    person's: they upload the file again."""


@dataclass(frozen=True)
class Stashed:
    token: str  # names the file (not secret: it opens nothing by itself)
    key: str  # opens it: only the administrator's browser holds this


class UploadStash:
    def __init__(self, directory: Path, lifetime_seconds: int = STASH_LIFETIME_SECONDS) -> None:
        self.directory = directory
        self.lifetime = lifetime_seconds

    def put(self, data: bytes, owner: UUID) -> Stashed:
        self.sweep()
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        token = secrets.token_urlsafe(18)
        sealed = nonce + AESGCM(key).encrypt(nonce, data, owner.bytes)
        path = self._path(token)
        # Written to a temporary name and renamed: a half-written stash is never read.
        partial = path.with_suffix(".partial")
        partial.write_bytes(sealed)
        partial.chmod(0o600)
        partial.replace(path)
        return Stashed(token, base64.urlsafe_b64encode(key).decode())

    def get(self, stashed: Stashed, owner: UUID) -> bytes:
        path = self._path(stashed.token)
        try:
            sealed = path.read_bytes()
            age = time.time() - path.stat().st_mtime
        except (FileNotFoundError, OSError):
            raise StashGone from None
        if age > self.lifetime:
            path.unlink(missing_ok=True)
            raise StashGone
        try:
            key = base64.urlsafe_b64decode(stashed.key.encode())
            return AESGCM(key).decrypt(sealed[:12], sealed[12:], owner.bytes)
        except (InvalidTag, ValueError, binascii.Error):
            raise StashGone from None

    def drop(self, token: str) -> None:
        self._path(token).unlink(missing_ok=True)

    def sweep(self) -> None:
        """Delete every stash older than its lifetime."""
        if not self.directory.exists():
            return
        cutoff = time.time() - self.lifetime
        for path in self.directory.iterdir():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:
                continue

    def _path(self, token: str) -> Path:
        # A token is URL-safe base64 only; anything else could name a path elsewhere.
        if not token or len(token) > 64 or not all(c.isalnum() or c in "-_" for c in token):
            raise StashGone
        return self.directory / f"{token}.stash"
