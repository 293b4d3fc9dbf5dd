"""`cairn serve`: gunicorn workers plus one projection process for this node.

Web workers never follow the log themselves here: one sidecar process does, so a node's
search index has exactly one writer however many workers serve it. With
CAIRN_PROJECTIONS=embedded the sidecar also keeps the SQL read models; with `external` a
separate `cairn projections run` worker (one per database) does that."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from cairn.bootstrap.settings import DEVELOPMENT_BASE_URL, Settings


class CairnGunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # why here: each worker builds its own app (and Runtime); the master needs neither.
        from cairn.web import create_app

        return create_app(start_projections=False)


def sidecar_scope(settings: Settings) -> str:
    return "node" if settings.projections == "external" else "all"


def gunicorn_options(
    host: str, port: int, workers: int, timeout: int = 30, *, trust_proxy: bool = False
) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": timeout,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "warning",
    }
    if not trust_proxy:
        # gunicorn itself believes X-Forwarded-Proto (and -Protocol, -Ssl) from 127.0.0.1 and
        # ::1 by default, so anyone on the machine, or a proxy that passes the client's header
        # through, could claim HTTPS. Without CAIRN_TRUST_PROXY nobody is trusted for them;
        # with it, the app's ProxyFix reads them (and gunicorn keeps its defaults).
        options["forwarded_allow_ips"] = ""
        options["secure_scheme_headers"] = {}
        options["forwarder_headers"] = ""
    return options


def serve(settings: Settings, host: str, port: int, workers: int, timeout: int = 30) -> None:
    if settings.environment != "production" and settings.base_url == DEVELOPMENT_BASE_URL:
        # A trial on another port still builds links that work (production must set it).
        os.environ["CAIRN_BASE_URL"] = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    sidecar = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "cairn", "projections", "run", "--scope", sidecar_scope(settings)],
        env=env,
    )
    try:
        options = gunicorn_options(host, port, workers, timeout, trust_proxy=settings.trust_proxy)
        CairnGunicorn(options).run()
    finally:
        sidecar.terminate()
        try:
            sidecar.wait(10)
        except subprocess.TimeoutExpired:
            sidecar.kill()
