"""Settings, read only from the environment (prefix CAIRN_)."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from cairn.infrastructure.mail import BadSmtpUrl, parse_smtp_url
from cairn.infrastructure.ratelimit_store import check_uri

ENVIRONMENTS = ("development", "production", "test")
MIN_SECRET_KEY_LENGTH = 32  # in production; it signs sessions and CSRF tokens


class ConfigError(Exception):
    """A setting is missing or wrong; the message says what to set."""


@dataclass(frozen=True)
class Settings:
    environment: str
    data_dir: Path
    database_url: URL | None  # None: SQLite files under data_dir
    database_schema: str
    secret_key: str
    projections: str  # "embedded" or "external"
    poll_interval: float
    index_dir: Path
    rate_limits: bool = True
    # Absolute links (the ORUK API's, exports) start with this, never with the request's
    # Host header: API answers are publicly cached, so a spoofed Host would be served to all.
    base_url: str = "http://127.0.0.1:5000"
    enquiry_retention_days: int = 365  # enquiries are deleted (and their keys shredded) after
    # Sessions end after this long without a request (CIC administrators sooner), and after
    # the lifetime whatever happens; the server checks both (webapp/sessions.py).
    session_idle_minutes: int = 240
    admin_idle_minutes: int = 30
    session_lifetime_hours: int = 12
    # Believe X-Forwarded-Proto/-For only behind a proxy that sets them (CAIRN_TRUST_PROXY=1).
    trust_proxy: bool = False
    # "": the database (or the rate-limits file) shared by every worker; else redis://… etc.
    ratelimit_storage_uri: str = ""
    # "": mail is kept locally. Else smtp://[user:password@]host[:port] (STARTTLS unless
    # ?starttls=0) or smtps://… (cairn/infrastructure/mail.py).
    smtp_url: str = ""
    mail_from: str = "Cairn <no-reply@cairn.invalid>"
    # For scripts only; otherwise `cairn export-events` asks (never a command-line argument).
    backup_passphrase: str = field(default="", repr=False)
    # None: the well-known demo password, which `cairn demo-data` refuses in production.
    demo_password: str | None = field(default=None, repr=False)
    # A node is ready (/readyz) while every projection it runs is at most this many events
    # behind the log's head; beyond it, search pages say "catching up" and the API answers 503.
    ready_max_lag: int = 50
    # "": /metrics answers 404. Else Prometheus scrapes it with "Authorization: Bearer <token>".
    metrics_token: str = field(default="", repr=False)
    log_format: str = "text"  # or "json": one JSON object a line, with the request's id

    @property
    def uses_postgres(self) -> bool:
        return self.database_url is not None

    @property
    def events_path(self) -> Path:
        return self.data_dir / "events.sqlite"

    @property
    def keys_path(self) -> Path:
        """Personal-data keys: a file apart from the events (cairn/infrastructure/keystore.py)."""
        return self.data_dir / "keys.sqlite"

    @property
    def read_models_path(self) -> Path:
        return self.data_dir / "read-models.sqlite"

    @property
    def geo_path(self) -> Path:
        """Postcode district centres installed by `cairn geo load` (else the shipped copy)."""
        return self.data_dir / "geo" / "outcodes.csv"

    @property
    def sessions_path(self) -> Path:
        """SQLite: sign-in sessions in their own file, untouched by read-model rebuilds."""
        return self.data_dir / "sessions.sqlite"

    @property
    def files_path(self) -> Path:
        """SQLite: uploaded evidence, sealed, in a file of its own (infrastructure.sealed_files)."""
        return self.data_dir / "files.sqlite"

    def read_models_url(self) -> str:
        if self.database_url is None:
            return f"sqlite:///{self.read_models_path}"
        return self.database_url.set(drivername="postgresql+psycopg").render_as_string(
            hide_password=False
        )

    def postgres_conninfo(self) -> str:
        assert self.database_url is not None
        return self.database_url.set(drivername="postgresql").render_as_string(hide_password=False)

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing library's settings for this configuration."""
        if self.database_url is None:
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.events_path),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        url = self.database_url
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.database or "",
            "POSTGRES_HOST": url.host or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": url.username or "postgres",
            "POSTGRES_PASSWORD": str(url.password or ""),
            "POSTGRES_SCHEMA": self.database_schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_PRE_PING": "y",
            # The library ends a session idle inside a transaction after 5 s by default; a
            # process starved of CPU between two statements of one write (a loaded machine)
            # lost its connection that way. Still a net for a leaked transaction.
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
        }


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    environment = env.get("CAIRN_ENV", "production").strip() or "production"
    if environment not in ENVIRONMENTS:
        raise ConfigError(
            f"CAIRN_ENV is {environment!r}; set it to one of {', '.join(ENVIRONMENTS)}."
        )
    data_dir = Path(env.get("CAIRN_DATA_DIR", "instance")).expanduser().resolve()
    database_url = _parse_database_url(env.get("CAIRN_DATABASE_URL", "").strip())
    schema = env.get("CAIRN_DATABASE_SCHEMA", "public").strip() or "public"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
        raise ConfigError(
            "CAIRN_DATABASE_SCHEMA must be a plain lower-case PostgreSQL name, like cairn."
        )
    projections = env.get("CAIRN_PROJECTIONS", "embedded").strip() or "embedded"
    if projections not in ("embedded", "external"):
        raise ConfigError("CAIRN_PROJECTIONS must be 'embedded' (the default) or 'external'.")
    if projections == "external" and database_url is None:
        raise ConfigError(
            "CAIRN_PROJECTIONS=external needs PostgreSQL: set CAIRN_DATABASE_URL=postgresql://…"
        )
    try:
        poll_interval = float(env.get("CAIRN_POLL_INTERVAL", "0.5"))
    except ValueError:
        raise ConfigError("CAIRN_POLL_INTERVAL must be a number of seconds, like 0.5.") from None
    if not 0.01 <= poll_interval <= 60:
        raise ConfigError("CAIRN_POLL_INTERVAL must be between 0.01 and 60 seconds.")
    index_dir = Path(env.get("CAIRN_INDEX_DIR", str(data_dir / "search-index"))).resolve()
    rate_limits = env.get("CAIRN_RATE_LIMITS", "on").strip().lower()
    if rate_limits not in ("on", "off"):
        raise ConfigError("CAIRN_RATE_LIMITS must be 'on' (the default) or 'off'.")
    try:
        retention = int(env.get("CAIRN_ENQUIRY_RETENTION_DAYS", "365"))
    except ValueError:
        retention = 0
    if not 1 <= retention <= 3650:
        raise ConfigError(
            "CAIRN_ENQUIRY_RETENTION_DAYS must be a whole number of days from 1 to 3650 "
            "(the default is 365)."
        )
    smtp_url = env.get("CAIRN_SMTP_URL", "").strip()
    if smtp_url:
        try:
            parse_smtp_url(smtp_url)
        except BadSmtpUrl as error:
            raise ConfigError(str(error)) from None
    ratelimit_storage_uri = env.get("CAIRN_RATELIMIT_STORAGE_URI", "").strip()
    problem = check_uri(ratelimit_storage_uri)
    if problem:
        raise ConfigError(problem)
    metrics_token = env.get("CAIRN_METRICS_TOKEN", "").strip()
    if metrics_token and (len(metrics_token) < 16 or any(c.isspace() for c in metrics_token)):
        raise ConfigError(
            "CAIRN_METRICS_TOKEN must be at least 16 characters with no spaces "
            '(python -c "import secrets; print(secrets.token_urlsafe(32))").'
        )
    log_format = env.get("CAIRN_LOG_FORMAT", "text").strip().lower() or "text"
    if log_format not in ("text", "json"):
        raise ConfigError("CAIRN_LOG_FORMAT must be 'text' (the default) or 'json'.")
    return Settings(
        metrics_token=metrics_token,
        log_format=log_format,
        trust_proxy=env.get("CAIRN_TRUST_PROXY", "").strip().lower() in ("1", "true", "yes"),
        ratelimit_storage_uri=ratelimit_storage_uri,
        smtp_url=smtp_url,
        mail_from=env.get("CAIRN_MAIL_FROM", "").strip() or "Cairn <no-reply@cairn.invalid>",
        backup_passphrase=env.get("CAIRN_BACKUP_PASSPHRASE", ""),
        demo_password=env.get("CAIRN_DEMO_PASSWORD") or None,
        session_idle_minutes=_whole_number(env, "CAIRN_SESSION_IDLE_MINUTES", 240, 5, 24 * 60),
        admin_idle_minutes=_whole_number(env, "CAIRN_ADMIN_IDLE_MINUTES", 30, 5, 24 * 60),
        session_lifetime_hours=_whole_number(env, "CAIRN_SESSION_LIFETIME_HOURS", 12, 1, 24 * 30),
        ready_max_lag=_whole_number(env, "CAIRN_READY_MAX_LAG", 50, 0, 1_000_000),
        rate_limits=rate_limits == "on",
        environment=environment,
        data_dir=data_dir,
        database_url=database_url,
        database_schema=schema,
        secret_key=_secret_key(env, environment, data_dir),
        projections=projections,
        poll_interval=poll_interval,
        index_dir=index_dir,
        enquiry_retention_days=retention,
        base_url=_base_url(env, environment),  # after the secret: that message comes first
    )


def _whole_number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ConfigError(
            f"{name} must be a whole number from {low} to {high} (the default is {default})."
        )
    return value


DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"  # `cairn run`'s address; `cairn serve` sets its own


def _base_url(env: Mapping[str, str], environment: str) -> str:
    raw = env.get("CAIRN_BASE_URL", "").strip()
    if not raw:
        if environment == "production":
            raise ConfigError(
                "CAIRN_BASE_URL is not set: set it to the address people use, like "
                "https://cairn.example.org (absolute links are built from it, not the Host header)."
            )
        return DEVELOPMENT_BASE_URL
    parts = urlsplit(raw)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username is not None
        or any(c.isspace() for c in raw)
    ):
        raise ConfigError(
            "CAIRN_BASE_URL must be a plain http:// or https:// address with no query, "
            "like https://cairn.example.org"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ConfigError("CAIRN_BASE_URL has a port that is not a number.") from None
    return raw.rstrip("/")


def _parse_database_url(raw: str) -> URL | None:
    if not raw:
        return None
    hint = (
        "set CAIRN_DATABASE_URL to postgresql://USER@HOST:PORT/DATABASE "
        "(or unset it to use SQLite under CAIRN_DATA_DIR)"
    )
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(f"CAIRN_DATABASE_URL is not a database URL: {hint}.") from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise ConfigError(
            f"CAIRN_DATABASE_URL uses {url.get_backend_name()!r}, which Cairn does not "
            f"support: {hint}."
        )
    if not url.database:
        raise ConfigError(f"CAIRN_DATABASE_URL names no database: {hint}.")
    return url.set(drivername="postgresql")


def _secret_key(env: Mapping[str, str], environment: str, data_dir: Path) -> str:
    key = env.get("CAIRN_SECRET_KEY", "").strip()
    if key:
        if len(key) < MIN_SECRET_KEY_LENGTH and environment == "production":
            raise ConfigError(
                f"CAIRN_SECRET_KEY is too short: use at least {MIN_SECRET_KEY_LENGTH} random "
                "characters."
            )
        return key
    if environment == "production":
        raise ConfigError(
            "CAIRN_SECRET_KEY is not set: set it to a long random string "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))"), '
            "or set CAIRN_ENV=development for a local trial."
        )
    # Development and tests: a key kept beside the data, so sign-ins survive restarts.
    key_file = data_dir / ".secret_key"
    try:
        if key_file.exists():
            return key_file.read_text().strip()
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key
    except OSError as error:
        raise ConfigError(
            f"Cannot write to the data directory {data_dir} ({error.strerror}): "
            "set CAIRN_DATA_DIR to a writable folder."
        ) from None
