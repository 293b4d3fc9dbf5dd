"""Several threads and processes command one aggregate at once.

Exactly one wins each version; the others get the conflict message; no event is lost."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from pathlib import Path
from uuid import UUID

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError, DuplicateEmail, InvalidTransition, StaleState
from tests.support.providers import record_current_checks

THREADS = 8
PROCESSES = 4


def new_provider(runtime: Runtime, n: int) -> UUID:
    """An application with its checks recorded, so approving it is allowed: at version 3."""
    pid = runtime.app.directory.apply(
        name=f"Race {n}",
        contact_name="Pat",
        email=f"race{n}@cairn.example",
        postcode="KA7 1AA",
        services=["gardening"],
    ).id
    record_current_checks(runtime.app, pid)
    return pid


READY = 3  # applied, PVG check recorded, insurance recorded


def race(count: int, attempt: object) -> list[str]:
    """Run `attempt(i)` in `count` threads released together; return their outcomes."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = [""] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            attempt(i)  # type: ignore[operator]
            outcomes[i] = "won"
        except StaleState as error:
            outcomes[i] = "stale:" + error.message
        except InvalidTransition:
            outcomes[i] = "too-late"
        except DuplicateEmail:
            outcomes[i] = "duplicate"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_threads_deciding_the_same_version_one_wins_the_rest_are_told(runtime: Runtime) -> None:
    admin = runtime.app.accounts.register(
        "a@cic.example", "A", [Role.CIC_ADMIN], "a long enough password"
    ).id
    rounds = 5
    for n in range(rounds):
        pid = new_provider(runtime, n)
        outcomes = race(
            THREADS,
            lambda i, pid=pid: (
                runtime.app.directory.approve(pid, by=admin, expected_version=READY)
                if i % 2
                else runtime.app.directory.decline(
                    pid, by=admin, reason="full", expected_version=READY
                )
            ),
        )
        counts = Counter(o.split(":")[0] for o in outcomes)
        assert counts == {"won": 1, "stale": THREADS - 1}, outcomes
        assert all("changed while you were looking" in o for o in outcomes if o != "won")
        provider = runtime.app.load(Provider, pid)
        assert provider.version == READY + 1 and provider.status in (
            Status.APPROVED,
            Status.DECLINED,
        )


def test_threads_without_an_expected_version_still_never_lose_an_event(runtime: Runtime) -> None:
    admin = runtime.app.accounts.register(
        "a@cic.example", "A", [Role.CIC_ADMIN], "a long enough password"
    ).id
    before = runtime.app.head()
    rounds = 6
    wins = 0
    for n in range(rounds):
        pid = new_provider(runtime, n)
        outcomes = race(THREADS, lambda i, pid=pid: runtime.app.directory.approve(pid, by=admin))
        # Losers either lost the save (stale) or loaded after the winner (too late).
        assert set(outcomes) <= {"won", "stale:" + StaleState().message, "too-late"}
        assert outcomes.count("won") == 1, outcomes
        wins += 1
    # Every saved event is in the log: an application and its email claim, two checks and one
    # approval per round.
    # (Count them: PostgreSQL may skip ids that a refused save had reserved.)
    saved = runtime.app.recorder.select_notifications(
        start=before, limit=10_000, inclusive_of_start=False
    )
    assert len(saved) == rounds * 5 == rounds * 4 + wins
    runtime.sql_runner.catch_up()
    assert runtime.sql_sink.position() == runtime.app.head()


def test_threads_registering_one_email_make_exactly_one_account(runtime: Runtime) -> None:
    outcomes = race(
        THREADS,
        lambda i: runtime.app.accounts.register(
            f"Same{'ONE' if i % 2 else 'one'}@cairn.example",
            f"Person {i}",
            [],
            "a long enough password",
        ),
    )
    assert Counter(outcomes) == {"won": 1, "duplicate": THREADS - 1}, outcomes


def _decide_in_process(settings: Settings, pid: str, admin: str, barrier: object) -> str:
    runtime = None
    try:
        for attempt in range(3):  # start-up may race the others' table checks; not under test
            try:
                runtime = Runtime(settings)
                break
            except Exception:
                if attempt == 2:
                    raise
        assert runtime is not None
        barrier.wait(60)  # type: ignore[attr-defined]
        runtime.app.directory.approve(UUID(pid), by=UUID(admin), expected_version=READY)
        return "won"
    except StaleState:
        return "stale"
    except DomainError as error:
        return "other:" + error.message
    except Exception as error:  # returned, not raised: an unpicklable error would hang the pool
        return f"error:{type(error).__name__}: {error}"
    finally:
        if runtime is not None:
            runtime.close()


def test_processes_deciding_the_same_version_one_wins(runtime: Runtime, tmp_path: Path) -> None:
    admin = runtime.app.accounts.register(
        "a@cic.example", "A", [Role.CIC_ADMIN], "a long enough password"
    ).id
    pid = new_provider(runtime, 1)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(PROCESSES)
        with context.Pool(PROCESSES) as pool:
            outcomes = pool.starmap_async(
                _decide_in_process,
                [(runtime.settings, str(pid), str(admin), barrier)] * PROCESSES,
                chunksize=1,
            ).get(timeout=180)
    assert Counter(outcomes) == {"won": 1, "stale": PROCESSES - 1}, outcomes
    assert runtime.app.load(Provider, pid).version == READY + 1
