"""The search benchmark's distance rows: searches by place beside the same searches by one
district without distance, timed in the same run on the same index."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.search_data import PLACE_NAMES, TODAY, make_place_queries
from cairn.search.providers.query import SearchRequest
from cairn.search.providers.search import Directory

Timer = Callable[[Callable[[SearchRequest], object], list[SearchRequest]], list[float]]
Quantile = Callable[[list[float], float], float]


def print_distance_rows(directory: Directory, count: int, timings: Timer, p: Quantile) -> None:
    queries = make_place_queries(count, directory.gazetteer)
    print(
        f"\n  by place ({count} queries, warm)   {'p50 ms':>9}{'p95 ms':>9}"
        f"{'no-dist p50':>13}{'no-dist p95':>13}{'ratio p50':>11}{'ratio p95':>11}"
    )
    for kind in dict.fromkeys(kind for kind, _near, _plain in queries):
        near = [q for k, q, _plain in queries if k == kind]
        plain = [q for k, _near, q in queries if k == kind]
        ours = timings(lambda q: directory.search(q, TODAY), near)
        base = timings(lambda q: directory.search(q, TODAY), plain)
        print(
            f"  {kind:<32}{p(ours, 50):>9.2f}{p(ours, 95):>9.2f}{p(base, 50):>13.2f}"
            f"{p(base, 95):>13.2f}{p(ours, 50) / p(base, 50):>11.2f}"
            f"{p(ours, 95) / p(base, 95):>11.2f}"
        )
    resolving = []
    for _ in range(50):
        for name in PLACE_NAMES:
            start = time.perf_counter()
            directory.gazetteer.resolve(name)
            resolving.append((time.perf_counter() - start) * 1000)
    print(
        f"  resolving a place name alone: p50 {p(resolving, 50):.3f} ms, "
        f"p95 {p(resolving, 95):.3f} ms"
    )
    print(
        "  (no-dist = the same words and filters by the place's first district alone, as before "
        "distance; a place name is resolved as part of each search's parse, outside the timing)"
    )
