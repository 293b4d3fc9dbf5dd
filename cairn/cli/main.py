"""The `cairn` command. Commands that serve pages build the Flask app; the rest do not."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from eventsourcing.persistence import OperationalError as EventStoreUnavailable
from flask import current_app
from flask.cli import ScriptInfo, routes_command, shell_command, with_appcontext
from sqlalchemy.exc import OperationalError as ReadModelsUnavailable
from tqdm import tqdm
from werkzeug.serving import run_simple

from cairn.bootstrap.readiness import hold_follower_lock
from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import ConfigError
from cairn.cli import context
from cairn.cli.context import runtime as _runtime
from cairn.cli.db import db_group
from cairn.cli.geo import geo_group
from cairn.cli.providers import (
    checks_group,
    import_providers_command,
    load_other_provision_command,
)
from cairn.cli.serve import die_with_parent, read_node_report, serve
from cairn.demo.directory import load_demo_data
from cairn.domain.accounts.roles import Role
from cairn.domain.errors import DomainError
from cairn.eventlog.runner import Runner
from cairn.infrastructure.backup import BackupError, check_passphrase, export_events, import_events
from cairn.jobs.enquiry_retention import purge_expired_enquiries
from cairn.operations.data_rights import erase_person, export_person_json, rebuild_read_models
from cairn.readmodels.accounts.queries import account_by_email


@click.group(
    name="cairn",
    help="Cairn: a micro-provider directory and learning system. Settings come from CAIRN_* "
    "environment variables (see README).",
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    # Flask's own commands (routes, shell) and ours that serve pages find the app here.
    ctx.obj = ScriptInfo(
        create_app=context.web_app, set_debug_flag=False, load_dotenv_defaults=False
    )


cli.add_command(routes_command)
cli.add_command(shell_command)


@cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@with_appcontext
def run_command(host: str, port: int) -> None:
    """Serve Cairn with its projections running in this process (development server)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    runtime = _runtime()  # the app's own
    # Embedded: this process keeps everything. External: only this node's search index.
    runtime.start("all" if runtime.settings.projections == "embedded" else "node")
    click.echo(f"Cairn is serving on http://{host}:{port}/ (press Ctrl+C to stop)")
    # Flask's app.run() refuses to start under its own CLI, so serve with Werkzeug directly.
    run_simple(host, port, app, use_reloader=False, threaded=True)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve with gunicorn workers and one projection process for this node (production)."""
    # The Runtime made here prepares the data directory or schema before any worker starts.
    serve(_runtime().settings, host, port, workers)


# -- projections --------------------------------------------------------------------


@cli.group("projections")
def projections_group() -> None:
    """Run, rebuild or inspect the read models."""


@projections_group.command("run")
@click.option(
    "--scope",
    type=click.Choice(["shared", "node", "all"]),
    default="shared",
    show_default=True,
    help="shared: the database's read models (one worker per database); node: this node's "
    "search indexes (one per web node); all: both.",
)
@click.option("--parent", type=int, default=None, hidden=True)  # set by `cairn serve`
def projections_run(scope: str, parent: int | None) -> None:
    """Follow the event log and keep the read models current, until stopped."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if parent is not None:
        die_with_parent(parent)
    runtime = _runtime()
    if scope in ("node", "all"):
        # Held until this process ends: the node's web workers read it as "followed".
        lock = hold_follower_lock(runtime.settings.index_dir)
        click.get_current_context().call_on_close(lock.close)
    runtime.start(scope)
    click.echo(f"Projections ({scope}) are following the event log (head {runtime.reader.head()}).")
    stop.wait()
    runtime.close()
    click.echo("Projections stopped.")


@projections_group.command("rebuild")
def projections_rebuild() -> None:
    """Refill every read model from the event log, safely on a live site: new tables fill
    beside the live ones and replace them in one transaction."""
    head = rebuild_everything(_runtime())
    click.echo(f"Rebuilt read models and the search indexes from {head} events.")


def rebuild_everything(runtime: Runtime) -> int:
    """Rebuild every read model and index from the log, a progress bar each; return the head."""
    labels = {
        id(runtime.sql_runner): "read models",
        id(runtime.index_runner): "search index",
        id(runtime.learning_runner): "learning index",
    }

    @contextmanager
    def bar(runner: Runner, head: int) -> Iterator[Callable[[int], object]]:
        label = labels.get(id(runner), "projection")
        with tqdm(total=head, unit="event", desc=f"Rebuilding {label}", file=sys.stderr) as shown:
            yield shown.update

    return rebuild_read_models(runtime, bar)


@projections_group.command("status")
@click.option(
    "--node",
    metavar="URL",
    default=None,
    help="Ask a running node (its address, like http://127.0.0.1:5000) for its own indexes' "
    "positions, through its /readyz, rather than read the indexes on this machine.",
)
def projections_status(node: str | None) -> None:
    """Each projection's position, the log's head and the lag."""
    if node is not None:
        _node_status(node)
        return
    runtime = _runtime()
    head = runtime.reader.head()
    click.echo(f"{'projection':<20} {'position':>10} {'lag':>8}")
    positions = {
        **runtime.sql_sink.positions(),
        runtime.index_sink.name: runtime.index_sink.position(),
        runtime.learning_index.name: runtime.learning_index.position(),
    }
    for name, position in positions.items():
        click.echo(f"{name:<20} {position:>10} {head - position:>8}")
    click.echo(f"{'log head':<20} {head:>10}")


def _node_status(node: str) -> None:
    """A node's own view (its indexes are its own: each node keeps a copy), as /readyz
    reports it; exit 1 when the node is not ready, as a script would want."""
    report = read_node_report(node)
    click.echo(f"{'projection':<20} {'position':>10} {'lag':>8}  kept by")
    for name, p in report["projections"].items():
        where = "this node" if p["followed_here"] else "the projection worker"
        click.echo(f"{name:<20} {p['position']:>10} {p['lag']:>8}  {where}")
    click.echo(f"{'log head':<20} {report['head']:>10}")
    if report["ready"]:
        click.echo(f"{node} is ready.")
        return
    click.echo(f"{node} is not ready: {'; '.join(report['problems'])}")
    raise SystemExit(1)


# -- accounts -----------------------------------------------------------------------


@cli.command("create-admin")
@click.argument("email")
@click.option("--name", "display_name", default="CIC administrator", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_admin(email: str, display_name: str, password_stdin: bool) -> None:
    """Create a CIC administrator account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    runtime = _runtime()
    try:
        runtime.app.accounts.register(email, display_name, [Role.CIC_ADMIN], password)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    for runner in runtime.runners:
        runner.catch_up()
    click.echo(f"Created CIC administrator {email.strip()}.")


@cli.command("demo-data")
def demo_data() -> None:
    """Load Cairn's fictional demo content (safe to run again: it adds nothing twice)."""
    runtime = _runtime()
    report = load_demo_data(runtime)
    click.echo(report)


cli.add_command(import_providers_command)
cli.add_command(load_other_provision_command)
cli.add_command(checks_group)
cli.add_command(geo_group)
cli.add_command(db_group)


@cli.group("enquiries")
def enquiries_group() -> None:
    """Look after enquiries from the public."""


@enquiries_group.command("purge")
def enquiries_purge() -> None:
    """Delete enquiries older than CAIRN_ENQUIRY_RETENTION_DAYS and shred their keys."""
    runtime = _runtime()
    runtime.sql_runner.catch_up()  # decide from a current read model
    days = runtime.settings.enquiry_retention_days
    purged = purge_expired_enquiries(runtime.app, runtime.read_engine, runtime.keys, days)
    runtime.sql_runner.catch_up()
    click.echo(f"Deleted {len(purged)} enquiries received more than {days} days ago.")


# -- backup and restore ---------------------------------------------------------------


PASSPHRASE_ENV = "CAIRN_BACKUP_PASSPHRASE"  # noqa: S105 (the name of a variable)


def _passphrase(passphrase_file: Path | None, *, confirm: bool) -> str:
    """The backup passphrase: from --passphrase-file, else CAIRN_BACKUP_PASSPHRASE (for
    scripts), else asked for at the terminal. Never taken from the command line itself,
    where other local users could read it in the process list."""
    if passphrase_file is not None:
        try:
            return passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as error:
            raise click.ClickException(
                f"Cannot read the passphrase file {passphrase_file}: {error.strerror}."
            ) from None
    from_env = context.settings().backup_passphrase
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise click.ClickException(
            f"A backup needs a passphrase: give --passphrase-file FILE or set {PASSPHRASE_ENV}."
        )
    return str(click.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm))


_passphrase_option = click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=f"Read the backup passphrase from this file (or set {PASSPHRASE_ENV}; "
    "otherwise it is asked for).",
)


@cli.command("export-events")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@_passphrase_option
def export_events_command(file: Path, passphrase_file: Path | None) -> None:
    """Write the whole event log and personal-data keys to FILE, encrypted under a passphrase."""
    passphrase = _passphrase(passphrase_file, confirm=True)
    runtime = _runtime()
    try:
        check_passphrase(passphrase)
        summary = export_events(runtime.app, file, runtime.keys, passphrase)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Exported {summary.events} events and {summary.keys} keys to {file}.")


@cli.command("import-events")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_passphrase_option
def import_events_command(file: Path, passphrase_file: Path | None) -> None:
    """Load FILE (made by export-events) into an empty store, then rebuild the read models."""
    passphrase = _passphrase(passphrase_file, confirm=False)
    runtime = _runtime()
    try:
        summary = import_events(runtime.app, file, runtime.keys, passphrase)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rebuild_everything(runtime)
    click.echo(f"Imported {summary.events} events and {summary.keys} keys; read models rebuilt.")


# -- people's data rights ----------------------------------------------------------------


@cli.command("export-person")
@click.argument("email")
def export_person_command(email: str) -> None:
    """Print, as JSON, everything Cairn holds about the person with EMAIL."""
    click.echo(export_person_json(_runtime(), email))


@cli.command("erase-person")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--by", "by_email", default=None, help="Email of the administrator doing it.")
def erase_person_command(email: str, yes: bool, by_email: str | None) -> None:
    """Erase the personal data of the person with EMAIL (destroys their keys; cannot be undone)."""
    runtime = _runtime()
    by = None
    if by_email:
        admin = account_by_email(runtime.read_engine, by_email)
        if admin is None:
            raise click.ClickException(f"No account has the email {by_email.strip()}.")
        by = admin.id
    if not yes:
        click.confirm(
            f"Erase the personal data of {email.strip()}? This cannot be undone", abort=True
        )
    erasure = erase_person(runtime, email, by=by)
    # The shared read models follow at once even with no server running; each node's search
    # indexes follow when its runner reaches the erasure.
    runtime.sql_runner.catch_up()
    if erasure.erasure_id is None:
        click.echo(f"Cairn holds no personal data for {email.strip()}; nothing to erase.")
        return
    click.echo(
        f"Erased {email.strip()}: {erasure.events_affected} events now read as erased. "
        "Every read model and search index, on every node, rewrites what it held when its "
        "runner reaches the erasure. Backups made before now still hold the keys: "
        "run this again after any restore."
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point: turn configuration and database problems into one clear line."""
    try:
        cli.main(args=argv, prog_name="cairn")
    except ConfigError as error:
        click.echo(f"cairn: {error}", err=True)
        sys.exit(2)
    except (EventStoreUnavailable, ReadModelsUnavailable) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        click.echo(
            f"cairn: the database is not available ({first}). Nothing was changed.", err=True
        )
        sys.exit(3)
