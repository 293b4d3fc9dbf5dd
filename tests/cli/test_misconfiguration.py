"""Every misconfiguration is one line and a non-zero exit, never a traceback; help needs no
configuration at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import assert_one_clear_line, cairn

SECRET = "misconfiguration-test-secret-0123456789"


@pytest.fixture
def production(tmp_path: Path) -> dict[str, str]:
    return {
        "CAIRN_ENV": "production",
        "CAIRN_DATA_DIR": str(tmp_path / "data"),
        "CAIRN_SECRET_KEY": SECRET,
        "CAIRN_BASE_URL": "https://cairn.example.org",
    }


@pytest.mark.parametrize("args", [("--help",), ("serve", "--help"), ("projections", "--help")])
def test_help_needs_no_settings_at_all(args: tuple[str, ...]) -> None:
    result = cairn(*args, env={})  # production by default, and no secret key
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
    assert result.stderr == ""


def test_a_malformed_smtp_url_is_one_line(production: dict[str, str]) -> None:
    result = cairn("projections", "status", env={**production, "CAIRN_SMTP_URL": "smtp://mail:abc"})
    assert_one_clear_line(result, "CAIRN_SMTP_URL", "not a number")


def test_a_password_sent_in_the_clear_is_refused(production: dict[str, str]) -> None:
    url = "smtp://cairn:secret@mail.example.org?starttls=0"
    result = cairn("projections", "status", env={**production, "CAIRN_SMTP_URL": url})
    assert_one_clear_line(result, "CAIRN_SMTP_URL", "unencrypted")
    assert "secret" not in result.stderr


def test_production_needs_the_base_url(production: dict[str, str]) -> None:
    env = {k: v for k, v in production.items() if k != "CAIRN_BASE_URL"}
    result = cairn("projections", "status", env=env)
    assert_one_clear_line(result, "CAIRN_BASE_URL")


def test_an_unknown_rate_limit_store_is_one_line(production: dict[str, str]) -> None:
    env = {**production, "CAIRN_RATELIMIT_STORAGE_URI": "memcached://127.0.0.1:11211"}
    assert_one_clear_line(cairn("projections", "status", env=env), "CAIRN_RATELIMIT_STORAGE_URI")


def test_the_documented_redis_setting_works(production: dict[str, str]) -> None:
    env = {**production, "CAIRN_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}
    result = cairn("projections", "status", env=env)
    assert result.returncode == 0, result.stderr
    assert "log head" in result.stdout


def test_redis_missing_after_all_is_one_line(production: dict[str, str], tmp_path: Path) -> None:
    # As if the redis package had been removed from the environment.
    hide = tmp_path / "hide-redis"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['redis'] = None\n")
    env = {
        **production,
        "CAIRN_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "PYTHONPATH": str(hide),
    }
    assert_one_clear_line(cairn("projections", "status", env=env), "redis package")
