"""The one background loop: each job on its own interval, a failure never stops the others."""

from __future__ import annotations

from cairn.jobs.loop import FIRST_RUN_AFTER_SECONDS, Job, JobsLoop


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_job_runs_soon_after_start_then_on_its_own_interval() -> None:
    clock = Clock()
    ran: list[str] = []
    loop = JobsLoop(
        [
            Job("sweep", 3600, lambda: ran.append("sweep")),
            Job("mail", 5, lambda: ran.append("mail")),
        ],
        monotonic=clock,
    )
    loop.start()
    loop.stop()  # the thread is not needed: run_due is driven by hand below
    assert loop.run_due() == []
    clock.now += FIRST_RUN_AFTER_SECONDS
    assert loop.run_due() == ["sweep", "mail"]
    clock.now += 5
    assert loop.run_due() == ["mail"]
    clock.now += 3600
    assert loop.run_due() == ["sweep", "mail"]
    assert ran == ["sweep", "mail", "mail", "sweep", "mail"]


def test_a_failing_job_is_tried_again_and_the_others_still_run() -> None:
    clock = Clock()
    ran: list[str] = []

    def broken() -> None:
        raise OSError("the database went away")

    loop = JobsLoop(
        [Job("broken", 10, broken), Job("fine", 10, lambda: ran.append("fine"))], monotonic=clock
    )
    loop.start()
    loop.stop()
    clock.now += 10
    assert loop.run_due() == ["broken", "fine"]
    clock.now += 10
    assert loop.run_due() == ["broken", "fine"]
    assert ran == ["fine", "fine"]
