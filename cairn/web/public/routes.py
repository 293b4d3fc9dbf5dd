"""Pages anyone can see."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from cairn.domain.directory.lifecycle import Status
from cairn.domain.service_types import all_service_types
from cairn.readmodels.directory.queries import providers_by_status
from cairn.readmodels.paging import clamp_page
from cairn.web.commanding import runtime
from cairn.web.i18n import is_language, remember_language
from cairn.web.ratelimit import LANGUAGE_PER_ADDRESS, limit_posts
from cairn.web.redirects import safe_local_path

bp = Blueprint("public", __name__, template_folder="templates")


@bp.get("/")
def home() -> str:
    return render_template("public/home.html")


@bp.get("/providers")
def providers() -> str:
    page = providers_by_status(
        runtime().read_engine, Status.APPROVED, clamp_page(request.args.get("page"))
    )
    labels = {t.key: t.label for t in all_service_types()}
    return render_template("public/providers.html", page=page, labels=labels)


@bp.post("/language")
@limit_posts(LANGUAGE_PER_ADDRESS)
def language() -> Response:
    """Switch language and come back to the same page, query string and all."""
    response = redirect(safe_local_path(request.form.get("next")) or url_for("public.home"))
    chosen = request.form.get("lang")
    if chosen is not None and is_language(chosen):
        remember_language(response, chosen)
    return response


# The sign-in page imports this name; both follow only a safe local path.
_same_site = safe_local_path
