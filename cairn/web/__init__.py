"""The Flask app factory."""

from __future__ import annotations

import atexit

from flask import Flask

from cairn.bootstrap.readiness import Liveness, Readiness
from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings, load_settings
from cairn.web import (
    errors,
    i18n,
    learning,
    observability,
    ratelimit,
    readiness,
    security,
    templating,
    unavailable,
    uploads,
)
from cairn.web.accounts import routes as accounts
from cairn.web.accounts.email_changes import bp as email_changes_bp
from cairn.web.accounts.email_checks import bp as email_checks_bp
from cairn.web.accounts.resets import bp as resets_bp
from cairn.web.admin import (
    audit,
    check_pages,  # noqa: F401 - its routes join the admin blueprint
)
from cairn.web.admin import routes as admin
from cairn.web.admin.claims import bp as claim_review_bp
from cairn.web.admin.demand import bp as demand_bp
from cairn.web.admin.feedback import bp as feedback_bp
from cairn.web.admin.invitations import bp as invite_bp
from cairn.web.admin.lockouts import bp as lockouts_bp
from cairn.web.admin.mail import bp as mail_bp
from cairn.web.api.routes import bp as api_bp
from cairn.web.auth import load_user
from cairn.web.extensions import babel, csrf, htmx, login_manager
from cairn.web.i18n import choose_locale
from cairn.web.provider import routes as provider
from cairn.web.provider.claims import bp as claims_bp
from cairn.web.provider.enquiries import bp as enquiries_bp
from cairn.web.provider.invitations import bp as invitations_bp
from cairn.web.provider.listing_check import bp as listing_check_bp
from cairn.web.public import routes as public
from cairn.web.public.pages import bp as pages_bp
from cairn.web.public.search import bp as search_bp
from cairn.web.public.shortlist import bp as shortlist_bp


def create_app(
    settings: Settings | None = None,
    runtime: Runtime | None = None,
    *,
    start_projections: bool | None = None,
    testing: bool = False,
    liveness: Liveness | None = None,
) -> Flask:
    """Build the web app. Raises ConfigError (one clear message) on bad settings.

    `liveness` says whether whatever follows the log for this node outside this process
    (`cairn serve`'s sidecar) is running; projections started here are checked here."""
    settings = settings or load_settings()
    runtime = runtime or Runtime(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=testing,
        WTF_CSRF_TIME_LIMIT=None,
        # Flask accepts a signed cookie for this long; the server-side session ends sooner.
        PERMANENT_SESSION_LIFETIME=settings.session_lifetime_hours * 3600,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES="translations",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        # Off only for load tests and browser journeys that post from one address.
        RATELIMIT_ENABLED=settings.rate_limits,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
    )
    app.extensions["cairn"] = runtime
    # First: every request gets its id and is counted, whichever hook answers it.
    observability.register(app, settings, runtime)

    babel.init_app(app, locale_selector=choose_locale)
    uploads.register(app)  # before CSRF protection, which reads the body
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = ""

    login_manager.user_loader(load_user)

    app.register_blueprint(public.bp)
    app.register_blueprint(provider.bp)
    app.register_blueprint(admin.bp)  # with its check_pages
    app.register_blueprint(accounts.bp)
    app.register_blueprint(resets_bp)
    app.register_blueprint(email_checks_bp)
    app.register_blueprint(email_changes_bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(shortlist_bp)
    app.register_blueprint(enquiries_bp)
    app.register_blueprint(demand_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(lockouts_bp)
    app.register_blueprint(invite_bp)
    app.register_blueprint(claim_review_bp)
    app.register_blueprint(claims_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(listing_check_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # read-only GETs, open to every site
    app.register_blueprint(learning.bp)
    app.register_blueprint(learning.funding_bp)
    errors.register(app)

    unavailable.register(app)
    security.register(app, behind_proxy=settings.trust_proxy)
    ratelimit.register(app)

    templating.register(app)
    i18n.register(app)

    embedded = settings.projections == "embedded"
    if start_projections if start_projections is not None else embedded:
        runtime.start()
        atexit.register(runtime.close)
    elif start_projections is None:
        # External projections still leave each web node its own search index to follow.
        runtime.start("node")
        atexit.register(runtime.close)
    scope = "all" if embedded else "node"
    if liveness is None:
        liveness = _runners_alive(runtime)
    checker = Readiness(runtime, scope=scope, liveness=liveness)
    readiness.register(app, checker)
    return app


def _runners_alive(runtime: Runtime) -> Liveness:
    """The runners this process follows the log with (none: nothing to check), asked each
    time, since `cairn run` starts them after building the app."""

    def check() -> str | None:
        stopped = [r.sink.name for r in runtime.following if not r.alive]
        return f"not following the log: {', '.join(stopped)}" if stopped else None

    return check
