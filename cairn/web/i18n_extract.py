"""A Babel extractor for the service-type list (cairn/domain/data/service-types.csv).

Service types are data, not code, so `pybabel extract` cannot see their names through `_()`.
This extractor hands Babel each label and description, with the key as a translator comment;
the keys themselves are never translated (they appear in URLs, imports and the API).
Registered in babel.cfg under [extractors].
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any


def extract_service_types(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yields (line, function name, message, translator comments) as Babel expects."""
    text = fileobj.read().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        line = reader.line_num
        key = row["key"].strip()
        yield line, "gettext", row["label"].strip(), [f"Name of the service type '{key}'."]
        description = row["description"].strip()
        if description:
            yield line, "gettext", description, [f"Description of the service type '{key}'."]
