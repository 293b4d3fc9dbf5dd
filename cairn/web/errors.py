"""Error pages in plain English."""

from __future__ import annotations

from flask import Flask, render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/error.html", code=400, kind="csrf"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | Response:
        code = error.code or 500
        if request_ctx.url_adapter is None:
            # No URL can be built (a Host header Werkzeug refuses, like a label of over 63
            # characters): the page's links would fail, so answer in plain text.
            return Response(f"{code} {error.name}\n", status=code, mimetype="text/plain")
        return render_template("errors/error.html", code=code, kind=str(code)), code
