"""The `cairn` command as a person at a terminal meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import assert_one_clear_line, cairn
from tests.support.stores import PG_URL, require_postgres


@pytest.fixture
def dev_env(tmp_path: Path) -> dict[str, str]:
    return {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "data")}


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("mysql://root@localhost/cairn", "CAIRN_DATABASE_URL"),
        ("not a url at all", "CAIRN_DATABASE_URL"),
        ("postgresql://127.0.0.1:5432", "names no database"),
    ],
)
def test_a_bad_database_url_gets_one_clear_line(
    dev_env: dict[str, str], url: str, hint: str
) -> None:
    result = cairn("projections", "status", env={**dev_env, "CAIRN_DATABASE_URL": url})
    assert_one_clear_line(result, hint)


def test_an_unreachable_database_gets_one_clear_line(dev_env: dict[str, str]) -> None:
    url = "postgresql://postgres@127.0.0.1:1/test"
    result = cairn("projections", "status", env={**dev_env, "CAIRN_DATABASE_URL": url})
    assert_one_clear_line(result, "Cannot reach PostgreSQL", "CAIRN_DATABASE_URL")


def test_a_missing_secret_key_outside_development_gets_one_clear_line(tmp_path: Path) -> None:
    result = cairn("projections", "status", env={"CAIRN_DATA_DIR": str(tmp_path)})
    assert_one_clear_line(result, "CAIRN_SECRET_KEY")


def test_a_read_only_data_dir_gets_one_clear_line(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = "/proc/cairn-cannot-write-here"
    else:
        target = str(tmp_path / "ro")
        Path(target).mkdir()
        Path(target).chmod(0o500)
    result = cairn(
        "projections",
        "status",
        env={"CAIRN_ENV": "test", "CAIRN_DATA_DIR": target, "CAIRN_SECRET_KEY": "k" * 40},
    )
    assert_one_clear_line(result, "CAIRN_DATA_DIR")


def test_create_admin_reads_the_password_from_stdin_and_refuses_a_duplicate(
    dev_env: dict[str, str],
) -> None:
    first = cairn(
        "create-admin",
        "ada@cic.example",
        "--password-stdin",
        env=dev_env,
        stdin="a-long-password-1\n",
    )
    assert first.returncode == 0, first.stderr
    assert "Created CIC administrator ada@cic.example" in first.stdout
    again = cairn(
        "create-admin",
        "ADA@cic.example",
        "--password-stdin",
        env=dev_env,
        stdin="a-long-password-1\n",
    )
    assert again.returncode != 0
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    short = cairn(
        "create-admin", "bob@cic.example", "--password-stdin", env=dev_env, stdin="short\n"
    )
    assert short.returncode != 0 and "at least 12" in short.stderr


def test_demo_data_loads_once_and_prints_the_admin_password(dev_env: dict[str, str]) -> None:
    first = cairn("demo-data", env=dev_env)
    assert first.returncode == 0, first.stderr
    assert "admin@cairn.example" in first.stdout and "password" in first.stdout
    status_after_first = cairn("projections", "status", env=dev_env).stdout
    second = cairn("demo-data", env=dev_env)
    assert second.returncode == 0
    assert "already there" in second.stdout
    assert cairn("projections", "status", env=dev_env).stdout == status_after_first


def test_status_shows_each_projection_position_head_and_lag(dev_env: dict[str, str]) -> None:
    cairn("demo-data", env=dev_env)
    status = cairn("projections", "status", env=dev_env).stdout
    assert "accounts" in status and "providers" in status and "log head" in status
    rebuilt = cairn("projections", "rebuild", env=dev_env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Rebuilt read models" in rebuilt.stdout
    assert cairn("projections", "status", env=dev_env).stdout == status


@pytest.mark.postgres
def test_the_cli_works_against_postgresql(dev_env: dict[str, str], pg_schema: str) -> None:
    require_postgres()
    env = {**dev_env, "CAIRN_DATABASE_URL": PG_URL, "CAIRN_DATABASE_SCHEMA": pg_schema}
    assert cairn("demo-data", env=env).returncode == 0
    status = cairn("projections", "status", env=env).stdout
    head = int(status.split("log head")[1].split()[0])
    assert head > 0
    assert all(int(line.split()[2]) == 0 for line in status.splitlines()[1:-1])


def test_routes_lists_the_pages(dev_env: dict[str, str]) -> None:
    result = cairn("routes", env=dev_env)
    assert result.returncode == 0
    assert "/admin/applications" in result.stdout and "/providers" in result.stdout


def test_the_projection_worker_never_builds_the_web_app(dev_env: dict[str, str]) -> None:
    # A command that serves no pages gets a Runtime without Flask (or any blueprint).
    probe = (
        "import sys\n"
        "from cairn.cli.main import main\n"
        "try:\n"
        "    main(['projections', 'status'])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "print(sorted(m for m in sys.modules if m.startswith('cairn.web')))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**env, **dev_env},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
