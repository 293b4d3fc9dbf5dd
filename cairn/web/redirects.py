"""Where a `next=` value taken from the request may send someone: a path on this site only.

A redirect target from a form or the query string is chosen by whoever made the link, so it
must not leave the site (an open redirect helps phishing) and must not break the Location
header (CR/LF would make Werkzeug refuse the response, a 500)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

MAX_LENGTH = 2048  # longer than any page of ours with its query; browsers cap at about this


def safe_local_path(target: str | None) -> str | None:
    """`target` when it is a plain path on this site, else None (the caller picks a page).

    Refused: anything with a scheme or host (`https://…`, `javascript:…`), protocol-relative
    `//host`, any backslash (browsers read `/\\host` and `\\\\host` as `//host`), and any
    control or invisible format character (browsers drop tabs and newlines inside URLs, so
    `/\\t/host` would become `//host`; CR/LF would split the header)."""
    if not target or len(target) > MAX_LENGTH:
        return None
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
