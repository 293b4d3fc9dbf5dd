"""The ndjson bulk export: every public service matching a request, one JSON object a line,
streamed from the search index as it is read, without paging (HSDS's `format=ndjson`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import stream_with_context
from werkzeug.wrappers import Response

from cairn.domain.directory.listing import PublicListing
from cairn.web.api.oruk import service

NDJSON = "application/x-ndjson"


def ndjson_services(
    listings: Iterable[PublicListing], profile_url: Callable[[Any], str]
) -> Response:
    """Each listing as the service `/services/{id}` answers, on a line of its own."""

    def lines() -> Iterator[str]:
        for listing in listings:
            shape = service(listing, profile_url(listing.provider_id))
            yield json.dumps(shape, ensure_ascii=False, separators=(",", ":")) + "\n"

    # stream_with_context: building each service's absolute URL needs the request.
    return Response(stream_with_context(lines()), mimetype=NDJSON)
