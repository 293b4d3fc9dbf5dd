"""The benchmarks still run and print every figure they promise, at a tiny size.

No figure is checked here (these machines are noisy; benchmarks print, tests never time):
this only keeps `make bench` working as the code under it changes."""

from __future__ import annotations

import pytest

from bench import goals, index_bench, projection_bench, ryw_bench, search_bench
from bench.search_data import EVERYDAY_AND_PLAIN

pytestmark = pytest.mark.slow


def test_the_search_benchmark_prints_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    search_bench.main(["--listings", "600", "--queries", "24", "--seconds", "0.3"])
    printed = capsys.readouterr().out
    for row in (
        "without facets",
        "with facet counts",
        "facets, words unread",
        "facets, after warm-up",
        "warm-up:",
        "facets, warm cache",
        "first search after a write",
        "nearest first",
        "within 5 miles",
        "any distance",
        "place name",
        "resolving a place name alone",
        "htmx results fragment",
    ):
        assert row in printed
    for everyday, plain in EVERYDAY_AND_PLAIN:  # the synonym rows
        assert everyday in printed and plain in printed


def test_the_projection_benchmark_prints_a_ratio_per_store(
    capsys: pytest.CaptureFixture[str],
) -> None:
    projection_bench.main(["--providers", "30", "--learning-events", "120"])
    printed = capsys.readouterr().out
    assert "ratio (goal >= 0.5)" in printed
    assert "sqlite" in printed


def test_the_read_your_writes_benchmark_prints_its_percentiles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ryw_bench.main(["--commands", "6"])
    printed = capsys.readouterr().out
    assert "p95 ms" in printed
    assert "sqlite" in printed


def test_the_index_benchmark_prints_each_build_beside_the_document_rate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    index_bench.main(["--listings", "200", "--batches"])
    printed = capsys.readouterr().out
    for row in ("documents only (baseline)", "a commit per 1,000 (old)", "one writer, one process"):
        assert row in printed
    assert "ratio" in printed and "goal" in printed


def test_the_summary_names_every_goal_checked_beside_its_figure(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(goals, "_GOALS", [])
    index_bench.main(["--listings", "200"])
    projection_bench.main(["--providers", "30", "--learning-events", "120"])
    capsys.readouterr()
    goals.print_summary()
    printed = capsys.readouterr().out
    assert "goals met" in printed.splitlines()[1]
    for goal in (
        "rebuild 100,000 listings in ≤ 30 s",
        "sqlite rebuild ≥ 0.5 of raw read-and-decode",
        "sqlite rebuild memory flat",
    ):
        assert goal in printed
    areas = {g.area for g in goals.recorded()}
    assert areas == {"index", "projections"}
    assert all(g.measured_at for g in goals.recorded())  # the size each figure comes from
