"""Requests that carry an uploaded file may be larger than the rest.

Every other request keeps the app's 2 MB ceiling (MAX_CONTENT_LENGTH). A check's evidence may
be 5 MB, and a file somewhat over that should earn the form's own words ("larger than 5 MB")
rather than an error page, so those requests may be larger; past this, the error page says
the file is too large. Registered before CSRF protection, which reads the body first."""

from __future__ import annotations

from flask import Flask, request

UPLOAD_REQUEST_LIMIT = 12 * 1024 * 1024
# The endpoints that take a file.
UPLOAD_ENDPOINTS = frozenset({"admin.record_check", "admin.load_other_provision"})


def register(app: Flask) -> None:
    @app.before_request
    def allow_uploads() -> None:
        if request.endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = UPLOAD_REQUEST_LIMIT
