"""An export that is stopped leaves no file behind; one that is killed outright leaves
nothing readable: its temporary file is 0600 and encrypted from the first byte."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cairn.bootstrap.runtime import Runtime
from tests.support.stores import make_settings

PASS = "correct horse battery staple"

# The real `cairn export-events`, held just before it publishes its file, as a slow disk
# or a large log would hold it.
HELD_EXPORT = """
import sys, time
import cairn.infrastructure.backup as backup

def held(out, tmp_name, path):
    out.flush()
    print("WRITTEN", flush=True)
    time.sleep(60)

backup._publish = held
from cairn.cli.main import main
main(["export-events", sys.argv[1]])
"""


def start_export(data_dir: Path, target: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    env.update(
        {
            "CAIRN_ENV": "development",
            "CAIRN_DATA_DIR": str(data_dir),
            "CAIRN_BACKUP_PASSPHRASE": PASS,
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-c", HELD_EXPORT, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.strip() == "WRITTEN", process.stderr.read() if process.stderr else ""
    return process


@pytest.fixture
def data_dir(tmp_path: Path) -> tuple[Path, list[bytes]]:
    settings = make_settings("sqlite", tmp_path)
    runtime = Runtime(settings)
    try:
        for n in range(3):
            runtime.app.directory.apply(
                name=f"Kill Co {n}",
                contact_name=f"Killian {n}",
                email=f"kill{n}@cairn.example",
                postcode="KA7 1AA",
                services=["gardening"],
            )
        secrets = [key for _subject, key in runtime.keys.export_state().keys]
    finally:
        runtime.close()
    return settings.data_dir, secrets


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_export_leaves_no_file(
    tmp_path: Path, data_dir: tuple[Path, list[bytes]], sig: signal.Signals
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    process = start_export(data_dir[0], out / "cairn.events")
    assert [p.name[:14] for p in out.iterdir()] == [".cairn-export-"]
    process.send_signal(sig)
    process.wait(timeout=30)
    assert process.returncode != 0
    assert list(out.iterdir()) == []


def test_a_killed_export_leaves_nothing_readable(
    tmp_path: Path, data_dir: tuple[Path, list[bytes]]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    process = start_export(data_dir[0], out / "cairn.events")
    process.send_signal(signal.SIGKILL)  # no clean-up is possible
    process.wait(timeout=30)
    (leftover,) = list(out.iterdir())
    assert stat.S_IMODE(leftover.stat().st_mode) == 0o600
    data = leftover.read_bytes()
    assert len(data) > 1000  # it did hold the log
    for secret in [*data_dir[1], b"Killian", b"kill0@cairn.example", b"argon2"]:
        assert secret not in data
