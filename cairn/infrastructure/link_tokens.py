"""Links that prove their holder got an email from Cairn: a record's id and a MAC of it.

The MAC is HMAC-SHA256 under the service's secret key and the link's purpose, so a reset
link cannot open an invitation and nothing stored in the log or the database forges one.
Whether the record may still be used (once, within its time) is the domain's business."""

from __future__ import annotations

import base64
import hashlib
import hmac
from uuid import UUID


def _mac(secret: str, purpose: str, record_id: UUID) -> str:
    digest = hmac.new(
        secret.encode(), f"cairn:{purpose}:{record_id}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def make_link_token(secret: str, purpose: str, record_id: UUID) -> str:
    return f"{record_id.hex}.{_mac(secret, purpose, record_id)}"


def read_link_token(secret: str, purpose: str, token: str) -> UUID | None:
    """The record the token names, or None if it is malformed or its MAC is wrong."""
    raw_id, _dot, mac = token.partition(".")
    try:
        record_id = UUID(hex=raw_id)
    except ValueError:
        return None
    if not hmac.compare_digest(mac, _mac(secret, purpose, record_id)):
        return None
    return record_id
