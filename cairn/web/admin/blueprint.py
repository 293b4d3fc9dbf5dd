"""The CIC's admin blueprint; its pages are in cairn.web.admin.routes and coverage_pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")
