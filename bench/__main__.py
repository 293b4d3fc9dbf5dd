"""`python -m bench [--big]`: run every benchmark module in this folder."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if module.name.endswith("_bench"):
        importlib.import_module(f"bench.{module.name}").main(sys.argv[1:])
