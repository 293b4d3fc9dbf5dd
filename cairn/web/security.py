"""Security headers on every response, HTTPS awareness, and Secure cookies over HTTPS.

Generic by design: a blueprint added later gets all of this without doing anything."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

# No 'unsafe-inline' anywhere: templates carry no inline <script>, <style> or style="".
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Pages about people's care should not leak their address to other sites.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

HSTS = "max-age=31536000; includeSubDomains"


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def register(app: Flask, *, behind_proxy: bool) -> None:
    """`behind_proxy`: Settings.trust_proxy (CAIRN_TRUST_PROXY)."""
    app.session_interface = HttpsAwareSessionInterface()
    if behind_proxy:
        # Only then is X-Forwarded-Proto believed; otherwise anyone could claim HTTPS.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]

    @app.before_request
    def refuse_nul_in_query() -> None:
        # PostgreSQL text cannot hold NUL: a filter like ?q=%00 reached the query and made a
        # 500. No real link carries one, so refuse it for every route at once.
        if any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
            abort(
                400, description="A query parameter holds a NUL character, which no link carries."
            )

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
            _make_cookies_secure(response)  # any cookie a view set itself
        if _signed_in():
            # Someone else at a shared computer must not see these pages from the cache.
            response.headers["Cache-Control"] = "no-store"
        return response


def _signed_in() -> bool:
    user: Any = current_user
    try:
        return bool(user.is_authenticated)
    except Exception:  # no user could be loaded (e.g. the database is away)
        return False


def _make_cookies_secure(response: Response) -> None:
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        if "; secure" not in cookie.lower():
            cookie += "; Secure"
        response.headers.add("Set-Cookie", cookie)
