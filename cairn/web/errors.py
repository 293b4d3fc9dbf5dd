"""Error pages in plain English."""

from __future__ import annotations

from flask import Flask, make_response, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from cairn.web.api_answers import is_api_request, json_error


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Response:
        return _whole_page(render_template("errors/error.html", code=400, kind="csrf"), 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | Response:
        code = error.code or 500
        if is_api_request():  # an unknown path or a wrong method under the open API
            return json_error(error)
        if request_ctx.url_adapter is None:
            # No URL can be built (a Host header Werkzeug refuses, like a label of over 63
            # characters): the page's links would fail, so answer in plain text.
            return Response(f"{code} {error.name}\n", status=code, mimetype="text/plain")
        return _whole_page(render_template("errors/error.html", code=code, kind=str(code)), code)


def _whole_page(html: str, code: int) -> Response:
    """An error page answers the whole page. htmx swaps a 400 into the region that asked (a
    form's errors), so an error page sent to htmx says to take the whole page's place instead,
    and is never kept as the page at that address."""
    response = make_response(html, code)
    if request.headers.get("HX-Request") == "true":
        response.headers["HX-Retarget"] = "body"
        response.headers["HX-Reswap"] = "innerHTML"
        response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response
