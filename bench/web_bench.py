"""The search page's htmx partial under gunicorn, beside a bare Flask view of the same rows.

    python -m bench.web_bench [--big]

Both servers run under gunicorn with the same worker count on loopback; a fixed pool of
client threads requests each for the same time. Prints requests/second for both, their
ratio (goal >= 0.5), errors, and the resident memory of Cairn's web workers."""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import print_table
from bench.goals import record
from tests.support.topology import free_port, wait_until_up

BARE_APP = '''
import sqlite3
from flask import Flask, render_template_string
app = Flask(__name__)
DB = {db!r}
PAGE = """<ol>{{% for r in rows %}}<li><h2>{{{{ r[0] }}}}</h2><p>{{{{ r[1] }}}}</p><p>{{{{ r[2] }}}}</p></li>{{% endfor %}}</ol>"""
@app.get("/search")
def search():
    with sqlite3.connect(DB) as conn:
        rows = conn.execute(
            "SELECT name, services, district FROM providers WHERE status = 'approved' "
            "ORDER BY name LIMIT 20").fetchall()
    return render_template_string(PAGE, rows=rows)
'''


def hammer(port: int, path: str, seconds: float, clients: int) -> tuple[float, int]:
    done = 0
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        nonlocal done, errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            try:
                conn.request("GET", path, headers={"HX-Request": "true"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                done += ok
                errors += not ok

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done / (time.monotonic() - started), errors


def children_rss_mib(parent: int) -> dict[str, tuple[float, float]]:
    """Resident memory (all, and private heap) of `parent`'s children, the largest of each
    kind: the gunicorn web workers, and the projection sidecar `cairn serve` starts beside
    them. The rest of a worker's resident memory is file-backed (the mapped search index and
    the libraries), which the kernel shares between every process on the node."""
    found: dict[str, tuple[float, float]] = {
        "web worker": (0.0, 0.0),
        "projection sidecar": (0.0, 0.0),
    }
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() != str(parent):
            continue
        kind = "projection sidecar" if b"projections" in command else "web worker"
        found[kind] = max(found[kind], (_mib(fields, "VmRSS"), _mib(fields, "RssAnon")))
    return found


def _mib(status: dict[str, str], name: str) -> float:
    """A /proc/PID/status memory line ('123456 kB') in MiB."""
    return int(status.get(name, "0 kB").split()[0]) / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", action="store_true")
    args, _ = parser.parse_known_args(argv)
    providers = 100_000 if args.big else 5_000
    with tempfile.TemporaryDirectory(prefix="cairn-web-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
        env.update(CAIRN_ENV="test", CAIRN_DATA_DIR=tmp, CAIRN_SECRET_KEY="bench-" + "k" * 40)
        cairn = [sys.executable, "-m", "cairn"]
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--providers", str(providers)],
            env=env,
            check=True,
        )
        subprocess.run(
            [*cairn, "projections", "rebuild"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port, bare_port = free_port(), free_port()
        server = subprocess.Popen(
            [*cairn, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        Path(tmp, "bare_app.py").write_text(
            BARE_APP.format(db=str(Path(tmp, "read-models.sqlite")))
        )
        bare = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                "2",
                "-k",
                "gthread",
                "--threads",
                "4",
                "-b",
                f"127.0.0.1:{bare_port}",
                "--chdir",
                tmp,
                "bare_app:app",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}")
            time.sleep(1)
            path = "/search?service=personal-care&postcode=KA7"
            hammer(port, path, 2, 4)  # warm the workers' searchers
            cairn_rps, cairn_errors = hammer(port, path, 10, 8)
            for _ in range(50):
                try:
                    http.client.HTTPConnection("127.0.0.1", bare_port).request("GET", "/search")
                    break
                except OSError:
                    time.sleep(0.2)
            hammer(bare_port, "/search", 2, 4)
            bare_rps, bare_errors = hammer(bare_port, "/search", 10, 8)
            # `cairn serve` runs gunicorn in-process: its workers are children of server.pid,
            # and so is the projection sidecar, which is not a web worker: told apart here.
            rss = children_rss_mib(server.pid)
        finally:
            for process in (server, bare):
                process.terminate()
                process.wait(20)
    ratio = cairn_rps / bare_rps
    record(
        "web",
        "search htmx partial ≥ 0.5 of a bare Flask view's requests/s",
        f"{ratio:.2f} ({cairn_rps:.0f} of {bare_rps:.0f} req/s)",
        ratio >= 0.5,
        f"{providers} providers, gunicorn 2 workers",
    )
    record(
        "web",
        "no errors under that load",
        f"{cairn_errors} errors",
        cairn_errors == 0,
        f"{providers} providers",
    )
    print_table(
        f"Search htmx partial under gunicorn (2 workers), {providers} providers",
        [
            "server",
            "req/s",
            "errors",
            "ratio (goal >= 0.5)",
            "web worker RSS MiB (private heap)",
        ],
        [
            [
                "Cairn /search partial",
                f"{cairn_rps:.0f}",
                str(cairn_errors),
                f"{cairn_rps / bare_rps:.2f}",
                f"{rss['web worker'][0]:.0f} ({rss['web worker'][1]:.0f})",
            ],
            ["bare Flask, same rows", f"{bare_rps:.0f}", str(bare_errors), "1.00", "-"],
        ],
    )
    sidecar = rss["projection sidecar"]
    print(
        f"  projection sidecar (not a web worker): RSS {sidecar[0]:.0f} MiB "
        f"(private heap {sidecar[1]:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
