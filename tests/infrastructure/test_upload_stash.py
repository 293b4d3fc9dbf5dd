"""The import's stash between preview and apply: ciphertext on disk, the key with the person."""

from __future__ import annotations

import os
import time
from pathlib import Path
from uuid import uuid4

import pytest

from cairn.infrastructure.upload_stash import Stashed, StashGone, UploadStash

CSV = b"name,email\nCarrick Care,isla@carrick.example\n"


def test_the_stash_gives_back_the_upload_only_with_its_key_and_owner(tmp_path: Path) -> None:
    stash, owner = UploadStash(tmp_path), uuid4()
    stashed = stash.put(CSV, owner)
    [stored] = list(tmp_path.iterdir())
    assert b"isla@carrick" not in stored.read_bytes()  # nothing readable on disk
    assert stash.get(stashed, owner) == CSV
    with pytest.raises(StashGone):
        stash.get(stashed, uuid4())  # another administrator
    with pytest.raises(StashGone):
        stash.get(Stashed(stashed.token, Stashed("x", "").key or "AAAA"), owner)
    stash.drop(stashed.token)
    with pytest.raises(StashGone):
        stash.get(stashed, owner)


def test_an_old_stash_is_refused_and_swept_away(tmp_path: Path) -> None:
    stash, owner = UploadStash(tmp_path, lifetime_seconds=60), uuid4()
    stashed = stash.put(CSV, owner)
    [stored] = list(tmp_path.iterdir())
    old = time.time() - 120
    os.utime(stored, (old, old))
    with pytest.raises(StashGone):
        stash.get(stashed, owner)
    assert not stored.exists()


def test_a_token_cannot_name_a_path_elsewhere(tmp_path: Path) -> None:
    with pytest.raises(StashGone):
        UploadStash(tmp_path).get(Stashed("../keys", "AAAA"), uuid4())
