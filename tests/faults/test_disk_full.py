"""A full disk at start: one clear line and a non-zero exit (read-only is in test_cli)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.cli import assert_one_clear_line


def _small_disk() -> None:
    """Runs in the child: any file may grow to 1 KiB only, as if the disk were full.

    SIGXFSZ is ignored so the write fails with an error instead of killing the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def test_a_full_disk_at_start_gets_one_clear_line_and_exits_non_zero(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    env.update(CAIRN_ENV="test", CAIRN_DATA_DIR=str(tmp_path / "data"), CAIRN_SECRET_KEY="k" * 40)
    result = subprocess.run(
        [sys.executable, "-m", "cairn", "projections", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_small_disk,
        check=False,
    )
    assert_one_clear_line(result, "free some space", "CAIRN_DATA_DIR")
    assert result.returncode == 2
    # Nothing was half-created: no event store appeared in the data directory.
    assert not (tmp_path / "data" / "events.sqlite").exists()
