"""The benchmark's synonym rows: everyday words beside the plain label of what they mean.

An everyday word ("hoovering") widens to its service (OR with the `services` keyword term),
so it does a little more work than the label ("help at home"); the rows say how much."""

from __future__ import annotations

from collections.abc import Callable

from bench.search_data import EVERYDAY_AND_PLAIN, TODAY, everyday_queries
from cairn.search.providers.query import SearchRequest
from cairn.search.providers.search import Directory

Timings = Callable[[Callable[[SearchRequest], object], list[SearchRequest]], list[float]]
Percentile = Callable[[list[float], float], float]


def print_synonym_rows(directory: Directory, timings: Timings, p: Percentile) -> None:
    def new_search(query: SearchRequest) -> object:
        directory.forget_recent_searches()
        return directory.search(query, TODAY)

    def warm(query: SearchRequest) -> object:
        return directory.search(query, TODAY)

    print(
        f"\n  {'everyday words':<28}{'plain label':<18}{'new p50':>9}{'new p95':>9}"
        f"{'warm p50':>10}{'warm p95':>10}{'ratio p95':>11}{'found':>8}"
    )
    for everyday, plain in EVERYDAY_AND_PLAIN:
        rows = []
        for text in (everyday, plain):
            queries = everyday_queries(text)
            found = directory.search(queries[0], TODAY, with_facets=False).total
            rows.append((timings(new_search, queries), timings(warm, queries), found))
        (ours_new, ours_warm, ours_found), (plain_new, plain_warm, plain_found) = rows
        for label, other, new, hot, found in (
            (everyday, plain, ours_new, ours_warm, ours_found),
            ("", plain, plain_new, plain_warm, plain_found),
        ):
            ratio = f"{p(new, 95) / p(plain_new, 95):>11.2f}" if label else f"{'':>11}"
            print(
                f"  {label:<28}{other if not label else '':<18}{p(new, 50):>9.2f}"
                f"{p(new, 95):>9.2f}{p(hot, 50):>10.2f}{p(hot, 95):>10.2f}{ratio}{found:>8,}"
            )
    print(
        "  (each row: 60 searches, the words alone, with an area, with an area and a day; "
        "'new': no remembered match for the words, postings warm; 'warm': the same words "
        "searched before in this generation; ratio = everyday words' new p95 / the plain "
        "label's; found = results for the words alone)"
    )
