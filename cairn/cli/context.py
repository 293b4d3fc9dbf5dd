"""What a `cairn` command works on: the settings and one Runtime, built on first use.

Only the commands that serve pages (`run`, `serve`, `routes`, `shell`) build the Flask app;
the rest, the projection worker among them, get a Runtime without Flask."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask.cli import ScriptInfo

from cairn.bootstrap.logs import configure_logging
from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings, load_settings

if TYPE_CHECKING:
    from flask import Flask


def _info() -> ScriptInfo:
    return click.get_current_context().ensure_object(ScriptInfo)


def settings() -> Settings:
    """The CAIRN_* settings, read once per command (ConfigError if they are wrong)."""
    data = _info().data
    if "settings" not in data:
        data["settings"] = load_settings()
        configure_logging(data["settings"].log_format)
    loaded: Settings = data["settings"]
    return loaded


def runtime() -> Runtime:
    """The command's Runtime, closed when the command ends."""
    data = _info().data
    if "runtime" not in data:
        built = Runtime(settings())
        data["runtime"] = built
        click.get_current_context().find_root().call_on_close(built.close)
    found: Runtime = data["runtime"]
    return found


def web_app() -> Flask:
    """The Flask app around the command's Runtime (for the commands that serve pages)."""
    # why here: importing the web layer (Flask and every blueprint) is paid only by them.
    from cairn.web import create_app

    current = runtime()
    # Commands drive projections themselves; `cairn run` starts them when it serves.
    return create_app(current.settings, current, start_projections=False)
