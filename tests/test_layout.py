"""Tests share helpers through tests/support only: no test file imports a test module or a
conftest.py, where a helper would hide among tests and fixtures would be registered twice."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_module(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, `from tests.x import test_y` counted as `tests.x.test_y`."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def forbidden_imports(path: Path) -> list[str]:
    return [
        name
        for name in imported_modules(path)
        if name.split(".")[0] == "tests" and _is_test_module(name)
    ]


def test_no_test_file_imports_a_test_module_or_a_conftest() -> None:
    found = {
        str(path.relative_to(TESTS)): bad
        for path in sorted(TESTS.rglob("*.py"))
        if (bad := forbidden_imports(path))
    }
    assert not found, f"import shared helpers from tests/support instead: {found}"


def test_the_check_sees_both_kinds_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from tests.web.conftest import sign_in\n"
        "from tests.cli import test_cli\n"
        "import tests.conftest\n"
        "from tests.support.web import sign_in\n",
        encoding="utf-8",
    )
    assert forbidden_imports(sample) == [
        "tests.web.conftest",
        "tests.cli.test_cli",
        "tests.conftest",
    ]


def test_every_folder_of_tests_is_a_package() -> None:
    """Test modules in different folders share names (test_cli, test_index); each folder
    needs an __init__.py so they import as different modules."""
    folders = {path.parent for path in TESTS.rglob("test_*.py")} - {TESTS}
    missing = sorted(
        str(folder.relative_to(TESTS))
        for folder in folders
        if not (folder / "__init__.py").exists() and "__pycache__" not in folder.parts
    )
    assert not missing, f"add an __init__.py to: {missing}"
