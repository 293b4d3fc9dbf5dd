"""How the open API answers anything, errors and redirects included: JSON with CORS open to
every site. Routing answers (an unknown path, a wrong method, the slash redirect) come before
any API view runs, so the site's own error handler asks here for paths under the API."""

from __future__ import annotations

import json

from flask import request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

API_PREFIX = "/api/oruk"


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def open_to_all(response: Response) -> Response:
    """CORS for everyone; a redirect says where in JSON too."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    response.headers.setdefault("Cache-Control", "public, max-age=60")
    if 300 <= response.status_code < 400 and response.mimetype != "application/json":
        where = response.headers.get("Location", "")
        response.set_data(
            json.dumps({"message": "This resource is at another address.", "location": where})
        )
        response.mimetype = "application/json"
    return response


def json_error(error: HTTPException) -> Response:
    """An HTTP error as the API's Error shape, keeping its headers (405's Allow)."""
    code = error.code or 500
    body = json.dumps({"message": error.description or error.name})
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    response = Response(body, status=code, headers=headers, mimetype="application/json")
    if code >= 500:
        response.headers["Cache-Control"] = "no-store"
    return open_to_all(response)
