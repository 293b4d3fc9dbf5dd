"""Every SQL read model Cairn keeps, found rather than listed.

A list kept by hand was copied wherever the read models were built, and one copy missed a
projection. Instead, every module under cairn.readmodels is imported, and each concrete
`Projection` subclass defined there is a read model: a new one joins by being written."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from functools import cache
from typing import Any

import cairn.readmodels
from cairn.readmodels.base import BatchedProjection, Projection

# Bases that are not read models themselves.
_BASES = frozenset({Projection, BatchedProjection})


def _subclasses(cls: type[Projection]) -> list[type[Projection]]:
    found: list[type[Projection]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


@cache
def projection_classes() -> tuple[type[Projection], ...]:
    """Every read model's class, in a stable order (by module, then name)."""
    for module in pkgutil.walk_packages(cairn.readmodels.__path__, "cairn.readmodels."):
        importlib.import_module(module.name)
    classes = {
        cls
        for cls in _subclasses(Projection)
        if cls not in _BASES
        # Only Cairn's own: a test's stand-in projection is not a read model.
        and cls.__module__.startswith("cairn.readmodels.")
        and not inspect.isabstract(cls)
    }
    return tuple(sorted(classes, key=lambda cls: (cls.__module__, cls.__qualname__)))


def sql_projections(app: Any) -> list[Projection]:
    """A fresh instance of every read model. A projection that reloads aggregates takes the
    application (anything with `.repository`) as its `app` argument; the rest take nothing."""
    made: list[Projection] = []
    for cls in projection_classes():
        factory: Callable[..., Projection] = cls
        wants_app = "app" in inspect.signature(cls).parameters
        made.append(factory(app) if wants_app else factory())
    return made
