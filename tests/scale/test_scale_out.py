"""The scale-out topology: a change made through one web node is seen through another."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.stores import PG_URL, SAMPLES
from tests.support.topology import Browserish, cairn_command, scale_out

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def eventually(check: object, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.25)
    return False


def test_a_suspension_through_one_node_leaves_search_on_the_other(
    pg_schema: str, tmp_path: Path
) -> None:
    with scale_out(PG_URL, pg_schema, tmp_path) as topology:
        env = topology.env
        imported = subprocess.run(
            cairn_command("import-providers", str(SAMPLES / "providers-sample.csv")),
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert imported.returncode == 0, imported.stderr
        created = subprocess.run(
            cairn_command("create-admin", "scale@cic.example", "--password-stdin"),
            env=env,
            input="a-long-admin-pass-phrase\n",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert created.returncode == 0, created.stderr

        node_a, node_b = (Browserish(url) for url in topology.nodes)

        def listed_on_b() -> bool:
            return "Carrick Care Companions" in node_b.get("/search?q=Carrick")[1]

        # Node B's own index follower picks up the import.
        assert eventually(listed_on_b), "node B never listed the imported provider"

        # Sign in and act through node A.
        status, page = node_a.get("/sign-in")
        status, _ = node_a.post(
            "/sign-in",
            {
                "email": "scale@cic.example",
                "password": "a-long-admin-pass-phrase",
                "csrf_token": Browserish.token(page),
            },
        )
        assert status == 200  # followed the redirect to the admin's landing page
        _, results = node_a.get("/search?q=Carrick")
        provider_id = re.search(r'href="/providers/([0-9a-f-]{36})[?"]', results)
        assert provider_id, "no profile link in node A's results"
        pid = provider_id.group(1)
        _, admin_page = node_a.get(f"/admin/providers/{pid}")
        version = re.search(r'name="version"[^>]*value="(\d+)"', admin_page)
        assert version, "no version on the admin page"
        status, after = node_a.post(
            f"/admin/providers/{pid}/suspend",
            {
                "version": version.group(1),
                "text": "Checking a complaint",
                "csrf_token": Browserish.token(admin_page),
            },
        )
        assert status == 200, after[:500]
        assert "suspended" in after.lower()

        # Node B, with its own index and workers, stops showing it.
        assert eventually(lambda: not listed_on_b()), "node B still lists a suspended provider"
        assert node_b.get(f"/providers/{pid}")[0] == 410  # no longer listed
        # And the session made on node A is good on node B (shared secret and accounts).
        node_b.jar = node_a.jar
        node_b.opener = node_a.opener
        assert "Suspended" in node_b.get(f"/admin/providers/{pid}")[1]
