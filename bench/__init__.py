"""Benchmarks: each prints figures and ratios measured in the same run (never a timed test)."""
