"""The read-model catalogue holds every projection written under cairn.readmodels."""

from __future__ import annotations

import ast
from pathlib import Path

import cairn.readmodels
from cairn.readmodels.catalogue import projection_classes, sql_projections
from cairn.readmodels.directory.provider_accounts import ProviderAccountsProjection

READMODELS = Path(cairn.readmodels.__file__).parent
BASES = {"Projection", "BatchedProjection"}


def projections_in_the_source() -> set[str]:
    """Read from the files rather than imported, so a module nothing imports is seen too:
    every class whose base is a projection class, as `module.Class`."""
    found: dict[str, str] = {}
    for path in sorted(READMODELS.rglob("*.py")):
        module = ".".join(path.relative_to(READMODELS.parent.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name not in BASES:
                bases = {base.id for base in node.bases if isinstance(base, ast.Name)}
                if bases & (BASES | set(found)):
                    found[node.name] = module
    return {f"{module}.{name}" for name, module in found.items()}


def test_every_projection_in_cairn_readmodels_is_in_the_catalogue() -> None:
    catalogued = {f"{cls.__module__}.{cls.__qualname__}" for cls in projection_classes()}
    assert catalogued == projections_in_the_source()
    assert len(catalogued) >= 12  # not vacuous: the source scan found the read models


def test_each_read_model_is_made_once_with_a_name_of_its_own() -> None:
    app = object()
    made = sql_projections(app)
    names = [projection.name for projection in made]
    assert len(names) == len(set(names)) == len(projection_classes())
    # The one that reloads aggregates is given the application; the rest need nothing.
    (provider_accounts,) = [p for p in made if isinstance(p, ProviderAccountsProjection)]
    assert provider_accounts.app is app
