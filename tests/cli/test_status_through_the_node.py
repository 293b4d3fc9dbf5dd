"""`cairn projections status --node URL`: each node keeps its own indexes, so their positions
are asked of the node itself (its /readyz), not read from whatever folder the command sees."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cairn.bootstrap.runtime import Runtime
from cairn.web import create_app
from tests.support.cli import assert_one_clear_line, cairn
from tests.support.directory import applied_provider
from tests.support.stores import make_settings


def _node(runtime: Runtime) -> Iterator[str]:
    app = create_app(runtime.settings, runtime, start_projections=False, testing=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def node_runtime(tmp_path: Path) -> Iterator[Runtime]:
    runtime = Runtime(make_settings("sqlite", tmp_path, CAIRN_READY_MAX_LAG="0"))
    yield runtime
    runtime.close()


def test_a_current_node_reports_its_own_indexes_and_says_it_is_ready(
    node_runtime: Runtime,
) -> None:
    applied_provider(node_runtime, name="Glen Care")
    for runner in node_runtime.runners:
        runner.catch_up()
    head = node_runtime.app.head()
    for url in _node(node_runtime):
        result = cairn("projections", "status", "--node", url, env={})
        assert result.returncode == 0, result.stderr
        lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
        assert lines["search-index"][:2] == [str(head), "0"]
        assert "this node" in " ".join(lines["learning-index"])
        assert f"{url} is ready." in result.stdout


def test_a_node_behind_says_what_is_behind_and_exits_1(node_runtime: Runtime) -> None:
    applied_provider(node_runtime, name="Glen Care")  # nobody follows the log for it yet
    for url in _node(node_runtime):
        result = cairn("projections", "status", "--node", url, env={})
        assert result.returncode == 1
        assert f"{url} is not ready:" in result.stdout
        assert "search-index is 2 events behind" in result.stdout


@pytest.mark.parametrize(
    ("node", "words"),
    [("http://127.0.0.1:9", "does not answer"), ("127.0.0.1:5000", "--node takes")],
    ids=["nobody-there", "not-an-address"],
)
def test_a_node_that_cannot_be_asked_gets_one_clear_line(node: str, words: str) -> None:
    assert_one_clear_line(cairn("projections", "status", "--node", node, env={}), words)
