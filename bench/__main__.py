"""`python -m bench [--big]`: run every benchmark module in this folder, then print every goal
beside its figure and whether it was met."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from bench.goals import print_summary

for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if module.name.endswith("_bench"):
        importlib.import_module(f"bench.{module.name}").main(sys.argv[1:])
print_summary()
