"""`cairn serve`: gunicorn workers plus one projection process for this node.

Web workers never follow the log themselves here: one sidecar process does, so a node's
search index has exactly one writer however many workers serve it. With
CAIRN_PROJECTIONS=embedded the sidecar also keeps the SQL read models; with `external` a
separate `cairn projections run` worker (one per database) does that.

`cairn serve` says it has started only once the node answers `/readyz` (its projections
current, its indexes opened), and tells systemd so then (Type=notify); until that moment
a load balancer or systemd should not send it people. The sidecar is watched all along: if
it dies it is started again, and meanwhile the node reports not ready."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from cairn.bootstrap.settings import DEVELOPMENT_BASE_URL, Settings

READY_POLL_SECONDS = 0.2
WAITING_NOTE_EVERY = 5.0  # how often, while waiting, to say what is still behind
SIDECAR_RESTART_BACKOFF = (0.5, 30.0)  # first and longest wait before starting it again


class CairnGunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # why here: each worker builds its own app (and Runtime); the master needs neither.
        from cairn.bootstrap.readiness import follower_running
        from cairn.bootstrap.settings import load_settings
        from cairn.web import create_app

        settings = load_settings()
        # The sidecar follows the log for this node: the worker is ready only while it runs.
        return create_app(
            settings, start_projections=False, liveness=follower_running(settings.index_dir)
        )


def sidecar_scope(settings: Settings) -> str:
    return "node" if settings.projections == "external" else "all"


def gunicorn_options(
    host: str,
    port: int,
    workers: int,
    timeout: int = 30,
    *,
    trust_proxy: bool = False,
    json_logs: bool = False,
) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": timeout,
        "graceful_timeout": 10,
        # With JSON logs the app writes one access line per request itself, with its id.
        "accesslog": None if json_logs else "-",
        "errorlog": "-",
        "loglevel": "warning",
        "child_exit": _forget_worker_metrics,
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
    # Only this process tells systemd it is ready, and only when /readyz says so: gunicorn
    # would say READY=1 as soon as it has booted, and children must not say anything.
    notify_socket = os.environ.pop("NOTIFY_SOCKET", None)
    # Every worker counts its requests in files here, summed when /metrics is scraped.
    metrics_dir = tempfile.mkdtemp(prefix="cairn-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    sidecar = Sidecar(
        [sys.executable, "-m", "cairn", "projections", "run", "--scope", sidecar_scope(settings)],
        dict(os.environ),
    )
    sidecar.start()
    watch = Watch(readyz_url(host, port), sidecar, notify_socket)
    watch.start()
    try:
        options = gunicorn_options(
            host,
            port,
            workers,
            timeout,
            trust_proxy=settings.trust_proxy,
            json_logs=settings.log_format == "json",
        )
        CairnGunicorn(options).run()
    finally:
        watch.stop()
        sidecar.stop()
        shutil.rmtree(metrics_dir, ignore_errors=True)


def _forget_worker_metrics(server: Any, worker: Any) -> None:
    """gunicorn's child_exit hook: a dead worker's live gauges no longer count."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def readyz_url(host: str, port: int) -> str:
    """Where this node's own /readyz answers, whatever address it listens on."""
    if host in ("", "0.0.0.0"):  # noqa: S104 - listening everywhere includes loopback
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/readyz"


def say(message: str) -> None:
    print(f"cairn serve: {message}", file=sys.stderr, flush=True)


class Sidecar:
    """The node's projection process, started again whenever it ends unasked."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.command = command
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._stopping = False
        self._wait = SIDECAR_RESTART_BACKOFF[0]
        self._next_start = 0.0
        self._started_at = 0.0

    def start(self) -> None:
        with self._lock:
            if self._stopping:
                return
            self.process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
                [*self.command, "--parent", str(os.getpid())], env=self.env
            )
            self._started_at = time.monotonic()

    def check(self) -> None:
        """Start the sidecar again if it has ended, waiting longer each time it ends soon."""
        process = self.process
        if process is None or process.poll() is None or self._stopping:
            return
        now = time.monotonic()
        if self._next_start == 0.0:
            if now - self._started_at > 60:
                self._wait = SIDECAR_RESTART_BACKOFF[0]  # it had been running well
            say(
                f"the projection process ended (exit status {process.returncode}); "
                f"starting it again in {self._wait:g} s"
            )
            self._next_start = now + self._wait
            self._wait = min(self._wait * 2, SIDECAR_RESTART_BACKOFF[1])
        if now >= self._next_start:
            self._next_start = 0.0
            self.start()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Watch(threading.Thread):
    """Waits until the node is ready and says so (a log line, and systemd's READY=1), then
    keeps the sidecar running."""

    def __init__(self, url: str, sidecar: Sidecar, notify_socket: str | None) -> None:
        super().__init__(name="cairn-serve-watch", daemon=True)
        self.url = url
        self.sidecar = sidecar
        self.notify_socket = notify_socket
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        say(f"waiting until the node is ready ({self.url})")
        last_note = time.monotonic()
        while not self._stopping.wait(READY_POLL_SECONDS):
            self.sidecar.check()
            ready, why = readiness_of(self.url)
            if ready:
                break
            if why and time.monotonic() - last_note >= WAITING_NOTE_EVERY:
                say(f"not ready yet: {why}")
                last_note = time.monotonic()
        else:
            return
        say(f"ready: serving on {self.url.removesuffix('/readyz')}/")
        if self.notify_socket:
            sd_notify(self.notify_socket, "READY=1\nSTATUS=Cairn is ready")
        while not self._stopping.wait(READY_POLL_SECONDS):
            self.sidecar.check()


def readiness_of(url: str) -> tuple[bool, str]:
    """Whether /readyz says ready, and if not, why (empty while nothing answers yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own address
            return response.status == 200, ""
    except urllib.error.HTTPError as error:
        try:
            problems = json.loads(error.read()).get("problems", [])
        except (ValueError, AttributeError):
            problems = []
        return False, "; ".join(str(p) for p in problems)
    except (OSError, ValueError):
        return False, ""  # gunicorn's workers are still starting


def read_node_report(node: str) -> dict[str, Any]:
    """A node's /readyz report (ready or not), for `cairn projections status --node`; a node
    that does not answer is one clear line and exit status 1."""
    url = node.rstrip("/") + "/readyz"
    if not url.startswith(("http://", "https://")):
        raise click.ClickException(
            f"--node takes the node's address, like http://127.0.0.1:5000 (not {node!r})"
        )
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - an http(s) URL
            body = response.read()
    except urllib.error.HTTPError as error:
        if error.code != 503:
            raise click.ClickException(
                f"{url} answered {error.code}, not a readiness report"
            ) from None
        body = error.read()
    except (OSError, ValueError) as error:
        raise click.ClickException(f"{url} does not answer ({error})") from None
    try:
        report: dict[str, Any] = json.loads(body)
        _shape = (report["projections"], report["head"], report["ready"])
    except (ValueError, KeyError, TypeError):
        raise click.ClickException(f"{url} did not answer with a readiness report") from None
    return report


def sd_notify(address: str, state: str) -> None:
    """Tell systemd (Type=notify) about this service; a lost message only delays startup."""
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(state.encode())
    except OSError as error:
        say(f"could not tell systemd the service is ready ({error})")


def die_with_parent(parent: int) -> None:
    """In the sidecar: end it if `cairn serve` (`parent`) is killed outright (Linux's
    PR_SET_PDEATHSIG), so no orphan keeps writing this node's indexes."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 is PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: systemd's control group still ends it with the service
    if os.getppid() != parent:  # the parent died before the request above was made
        os.kill(os.getpid(), signal.SIGTERM)
