"""Rate limits (Flask-Limiter), shared by every route that takes submissions from the public.

Storage is in memory by default, which is right for one process. Several gunicorn
workers or hosts must share counts: set CAIRN_RATELIMIT_STORAGE_URI to, for example,
redis://localhost:6379 or memcached://localhost:11211 (see the `limits` package)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests

F = TypeVar("F", bound=Callable[..., Any])

# Sign-in: generous for a person who mistypes, hard on a script guessing passwords.
SIGN_IN_PER_ADDRESS = "10 per minute; 100 per hour"
SIGN_IN_PER_EMAIL = "10 per minute; 50 per hour"
# Public forms (enquiries, applications): per address.
SUBMISSIONS_PER_ADDRESS = "5 per minute; 30 per hour"

limiter = Limiter(get_remote_address, headers_enabled=True)


def register(app: Flask) -> None:
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", os.environ.get("CAIRN_RATELIMIT_STORAGE_URI", "memory://")
    )
    limiter.init_app(app)

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests) -> tuple[str, int]:
        return render_template("errors/too_many.html"), 429


def _email_key() -> str:
    """Per email, without keeping the email itself in the limiter's storage."""
    email = (request.form.get("email") or "").strip().lower()
    return "email:" + hashlib.sha256(email.encode()).hexdigest()


def limit_sign_in(view: F) -> F:
    """Limit sign-in attempts per address and per email (POST only)."""
    per_email = limiter.limit(SIGN_IN_PER_EMAIL, key_func=_email_key, methods=["POST"])(view)
    return cast(F, limiter.limit(SIGN_IN_PER_ADDRESS, methods=["POST"])(per_email))


def limit_submissions(limit: str = SUBMISSIONS_PER_ADDRESS) -> Callable[[F], F]:
    """Limit POSTs to a public form per address, e.g. `@limit_submissions()` on an
    enquiry view. GETs are never limited."""

    def decorate(view: F) -> F:
        return cast(F, limiter.limit(limit, methods=["POST"])(view))

    return decorate
