"""/healthz, /readyz, and a node that is behind saying "catching up" rather than answer
with part of the directory."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.web import create_app
from tests.support.directory import applied_provider, approve, catch_up
from tests.support.stores import make_settings


@pytest.fixture
def behind(tmp_path: Path) -> Iterator[tuple[Runtime, Flask]]:
    """A node whose projections nobody runs yet, allowed no lag at all."""
    runtime = Runtime(make_settings("sqlite", tmp_path, CAIRN_READY_MAX_LAG="0"))
    app = create_app(runtime.settings, runtime, start_projections=False, testing=True)
    yield runtime, app
    runtime.close()


def list_providers(runtime: Runtime, how_many: int) -> None:
    for _ in range(how_many):
        approve(runtime, applied_provider(runtime, name="Glen Care").id)


def test_healthz_answers_without_asking_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_a_node_that_is_current_is_ready(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["ready"] is True and body["database"] == "ok" and body["behind"] == []
    assert {"search-index", "learning-index"} <= set(body["projections"])


def test_a_node_behind_refuses_search_and_the_api_until_it_has_caught_up(
    behind: tuple[Runtime, Flask],
) -> None:
    runtime, app = behind
    list_providers(runtime, 3)
    client = app.test_client()

    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.headers["Retry-After"]
    assert "search-index" in ready.json["behind"]
    assert ready.json["projections"]["search-index"]["lag"] == runtime.app.head()

    page = client.get("/search?q=glen")
    assert page.status_code == 503
    assert "Cairn is catching up" in page.get_data(as_text=True)
    assert "provider found" not in page.get_data(as_text=True)
    assert page.headers["Retry-After"]

    api = client.get("/api/oruk/services")
    assert api.status_code == 503
    assert api.headers["Retry-After"] and api.headers["Cache-Control"] == "no-store"
    assert "catching up" in json.loads(api.get_data())["message"]
    # The API's description of itself holds no listings, so it still answers.
    assert client.get("/api/oruk/").status_code == 200

    catch_up(runtime)
    assert client.get("/readyz").status_code == 200
    found = client.get("/search?q=glen")
    assert found.status_code == 200
    assert "3 providers found" in found.get_data(as_text=True)
    assert client.get("/api/oruk/services").json["total_items"] == 3


def test_an_htmx_search_while_catching_up_replaces_the_whole_page(
    behind: tuple[Runtime, Flask],
) -> None:
    runtime, app = behind
    list_providers(runtime, 1)
    response = app.test_client().get("/search?q=glen", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert response.headers["HX-Retarget"] == "body"


def test_stopped_projections_make_the_node_not_ready(app: Flask, runtime: Runtime) -> None:
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    runtime.index_runner.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert any("search-index" in problem for problem in response.json["problems"])


def test_an_unreadable_database_is_not_ready_and_says_so(
    behind: tuple[Runtime, Flask],
) -> None:
    runtime, app = behind
    runtime.reader.head = broken  # type: ignore[method-assign]
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
    assert app.test_client().get("/healthz").status_code == 200


def broken(*args: object, **kwargs: object) -> None:
    raise OSError("disk I/O error")


def test_a_node_still_warming_its_index_is_not_ready_until_the_warm_up_ends(
    behind: tuple[Runtime, Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big index takes seconds to warm: meanwhile the node says so, then it is ready."""
    import cairn.bootstrap.readiness as readiness

    runtime, app = behind
    catch_up(runtime)
    monkeypatch.setattr(readiness, "WARM_UP_WAIT_SECONDS", 0.0)
    go_on = threading.Event()
    warm_up = runtime.directory.warm_up

    def slow_warm_up(stop: threading.Event | None = None) -> object:
        go_on.wait(10)
        return warm_up(stop)

    monkeypatch.setattr(runtime.directory, "warm_up", slow_warm_up)
    client = app.test_client()
    warming = client.get("/readyz")
    assert warming.status_code == 503
    assert "the search index is warming up" in warming.json["problems"]
    go_on.set()
    assert runtime.directory.warmed.wait(10)
    assert client.get("/readyz").status_code == 200


def test_a_deleted_index_folder_is_rebuilt_in_the_background_while_the_node_is_not_ready(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An operator deletes a node's index folder: search says "catching up", never a 500 or
    part of the directory, until the runner has refilled both indexes from the log; then
    everything is found again, new listings too."""
    import shutil

    runtime = Runtime(make_settings("sqlite", tmp_path))
    app = create_app(runtime.settings, runtime, start_projections=True, testing=True)
    try:
        list_providers(runtime, 3)
        client = app.test_client()
        assert _eventually(lambda: client.get("/readyz").status_code == 200)
        index_dir = Path(runtime.settings.index_dir)
        shutil.rmtree(index_dir, ignore_errors=True)  # the runner may already be rebuilding

        def recovered() -> bool:
            page = client.get("/search?q=glen")
            assert page.status_code in (200, 503), page.status_code
            if page.status_code == 503:
                assert "Cairn is catching up" in page.get_data(as_text=True)
                return False
            assert "3 providers found" in page.get_data(as_text=True)  # never part of it
            return client.get("/readyz").status_code == 200

        assert _eventually(recovered, timeout=20)
        list_providers(runtime, 1)
        assert _eventually(
            lambda: "4 providers found" in client.get("/search?q=glen").get_data(as_text=True)
        )
        assert runtime.learning_index.position() == runtime.app.head()
        assert any("gone or unreadable: rebuilding it" in r.getMessage() for r in caplog.records)
    finally:
        runtime.close()


def _eventually(check: object, timeout: float = 10.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False
