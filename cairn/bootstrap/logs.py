"""Log lines as JSON (CAIRN_LOG_FORMAT=json): one object a line, for a log shipper.

With the default `text`, logging is left as Python has it (warnings and errors, plain, on
standard error). The web layer adds the request's id to every line logged while serving it
(`add_context`), so one request's lines can be found together."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

# Each returns fields to add to a line logged now (the web layer's: the request id).
_contexts: list[Callable[[], dict[str, Any]]] = []


def add_context(fields: Callable[[], dict[str, Any]]) -> None:
    if fields not in _contexts:
        _contexts.append(fields)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for fields in _contexts:
            line.update(fields())
        line.update(getattr(record, "fields", {}))  # log.info(..., extra={"fields": {...}})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


_HANDLER_NAME = "cairn-json"


def configure_logging(log_format: str) -> None:
    """Once per process; a second call (another app in the same process) changes nothing."""
    if log_format != "json":
        return
    root = logging.getLogger()
    if any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
