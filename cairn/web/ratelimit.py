"""Rate limits on everything the public can POST, counted in the shared store.

Each limited view is wrapped by `limit_posts`, which counts POSTs only (looking is never
limited) and marks the view with its rules, so tests/security can walk the URL map and
refuse a public POST route that has none. Counts live in cairn.infrastructure.ratelimit_store:
shared by every worker (the database, or Redis when CAIRN_RATELIMIT_STORAGE_URI is set), never a
silent per-process default. If the store does not answer, the request is refused with a
503 page rather than let through uncounted.

Keys are keyed digests (HMAC under the app's secret) of the address or email, so the store
holds neither, and a digest cannot be tested against a list of emails without the secret."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import TooManyRequests

from cairn.bootstrap.settings import ConfigError
from cairn.infrastructure.ratelimit_store import (
    Count,
    CounterStore,
    StoreUnavailable,
    check_uri,
    open_store,
)

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)

# Sign-in: generous for a person who mistypes, hard on a script guessing passwords.
SIGN_IN_PER_ADDRESS = "10 per minute; 100 per hour"
SIGN_IN_PER_EMAIL = "10 per minute; 50 per hour"
# Public forms (applications, enquiries, problem reports, unmet demand): per address.
SUBMISSIONS_PER_ADDRESS = "5 per minute; 30 per hour"
# Switching language is harmless but still a POST anyone can send.
LANGUAGE_PER_ADDRESS = "60 per minute"
# Saving to and removing from a shortlist: quick clicks, but not a flood.
SHORTLIST_PER_ADDRESS = "60 per minute; 600 per hour"

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RULE = re.compile(r"^\s*(\d+)\s+per\s+(\d+\s+)?(second|minute|hour|day)s?\s*$")


@dataclass(frozen=True)
class Rule:
    hits: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.hits} per {self.seconds}s"


def parse_rules(text: str) -> tuple[Rule, ...]:
    """'5 per minute; 30 per hour' → two rules; also '5 per 10 minutes'."""
    rules = []
    for part in text.split(";"):
        match = _RULE.match(part)
        if match is None:
            raise ValueError(f"not a rate limit: {part!r}")
        count, multiple, unit = match.groups()
        rules.append(Rule(int(count), int(multiple or 1) * _UNITS[unit]))
    return tuple(rules)


class RateLimits:
    """One app's view of the shared store."""

    def __init__(self, store: CounterStore, secret: str) -> None:
        self.store = store
        self._secret = hashlib.sha256(("cairn:rate-limits:" + secret).encode()).digest()

    def now(self) -> float:
        return self.store.clock()

    def digest(self, value: str) -> str:
        return hmac.new(self._secret, value.encode(), hashlib.sha256).hexdigest()[:32]

    def hit(self, scope: str, rule: Rule, subject: str) -> Count | None:
        """Count one hit; the count if it is over the rule, else None."""
        count = self.store.incr(f"rl:{scope}:{rule.seconds}:{self.digest(subject)}", rule.seconds)
        return count if count.hits > rule.hits else None

    def allow(self, scope: str, rules: str, subject: str) -> bool:
        """Count one hit against every rule; False if any is exceeded."""
        over = [self.hit(scope, rule, subject) for rule in parse_rules(rules)]
        return not any(over)


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def rate_limits() -> RateLimits:
    """The app's limits, opened on first use so settings can still be changed after
    create_app (tests point two apps at one store this way)."""
    limits: RateLimits | None = current_app.extensions.get("cairn_ratelimits")
    if limits is None:
        runtime = current_app.extensions["cairn"]
        settings = runtime.settings
        clock = runtime.app.clock  # the domain's clock, so tests can move time
        store = open_store(
            current_app.config["RATELIMIT_STORAGE_URI"],
            postgres_engine=runtime.read_engine if settings.uses_postgres else None,
            data_dir=settings.data_dir,
            clock=lambda: clock().timestamp(),
        )
        limits = RateLimits(store, current_app.config["SECRET_KEY"])
        current_app.extensions["cairn_ratelimits"] = limits
    return limits


def address() -> str:
    return request.remote_addr or "unknown"


def email_of_form() -> str:
    return "email:" + (request.form.get("email") or "").strip().lower()


def limit_posts(
    rules: str, *, key: Callable[[], str] = address, scope: str | None = None
) -> Callable[[F], F]:
    """Limit POSTs to a view, per address unless `key` says otherwise. Stackable."""
    parsed = parse_rules(rules)

    def decorate(view: F) -> F:
        name = scope or f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if request.method == "POST" and enabled():
                limits = rate_limits()
                subject = key()
                for rule in parsed:
                    over = limits.hit(name, rule, subject)
                    if over is not None:
                        wait = max(1, int(over.resets_at - limits.now()) + 1)
                        raise TooManyRequests(retry_after=wait)
            return view(*args, **kwargs)

        marks: tuple[Rule, ...] = getattr(view, "rate_limits", ())
        wrapped.rate_limits = (*marks, *parsed)  # type: ignore[attr-defined]
        return cast(F, wrapped)

    return decorate


def limit_sign_in(view: F) -> F:
    """Limit sign-in attempts per address and per email (POST only)."""
    per_email = limit_posts(SIGN_IN_PER_EMAIL, key=email_of_form, scope="sign-in-email")(view)
    return limit_posts(SIGN_IN_PER_ADDRESS, scope="sign-in-address")(per_email)


def limit_submissions(limit: str = SUBMISSIONS_PER_ADDRESS) -> Callable[[F], F]:
    """Limit POSTs to a public form per address, e.g. `@limit_submissions()`."""
    return limit_posts(limit)


def register(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "")  # create_app sets it from the settings
    problem = check_uri(app.config["RATELIMIT_STORAGE_URI"])
    if problem:
        raise ConfigError(problem)

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests) -> tuple[str, int, dict[str, str]]:
        headers = {k: v for k, v in error.get_headers() if k == "Retry-After"}
        return render_template("errors/too_many.html"), 429, headers

    @app.errorhandler(StoreUnavailable)
    def store_unavailable(error: StoreUnavailable) -> tuple[str, int, dict[str, str]]:
        # Refuse rather than let the request through uncounted.
        log.warning("rate-limit store unavailable: %s", error)
        return render_template("errors/busy.html"), 503, {"Retry-After": "60"}
