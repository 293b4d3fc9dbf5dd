"""Absolute links built from the configured CAIRN_BASE_URL, never from the Host header."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """Like url_for(..., _external=True), but the scheme and host are the configured ones.

    Flask's own version copies the request's Host header, which anyone can set; an answer
    that a cache keeps (the ORUK API is public, max-age=60) would then hand the spoofed
    host to everyone who asks next."""
    base: str = current_app.extensions["cairn"].settings.base_url
    return base.rstrip("/") + url_for(endpoint, **values)
