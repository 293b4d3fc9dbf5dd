"""The public funding page: what public experiments are funded, running or concluded."""

from __future__ import annotations

from decimal import Decimal

from flask import render_template

from cairn.readmodels.learning import queries as q
from cairn.web.commanding import runtime
from cairn.web.learning.common import funding_bp


@funding_bp.get("/funding")
def funding() -> str:
    rows = q.funded_in_public(runtime().read_engine)
    total = sum((r.funding_amount for r in rows if r.funding_amount is not None), Decimal(0))
    return render_template("learning/funding.html", rows=rows, total=total)
