"""`cairn db init` and `cairn db check`: the database's tables, made once per release."""

from __future__ import annotations

import click

from cairn.bootstrap import schema
from cairn.cli import context
from cairn.readmodels.database import make_engine


@click.group("db")
def db_group() -> None:
    """The database's tables: made once per release, not on every start."""


@db_group.command("init")
def init_command() -> None:
    """Create the tables this release needs (safe to run again; run it after an upgrade,
    before starting the processes)."""
    current = context.settings()
    engine = make_engine(current.read_models_url(), schema=current.database_schema)
    try:
        already = schema.is_current(engine, schema.files_of(current))
    finally:
        engine.dispose()
    context.runtime()  # builds every table it lacks, under the schema lock
    if already:
        click.echo(f"The schema was already current ({schema.fingerprint()[:12]}).")
    else:
        click.echo(f"Created the schema for this release ({schema.fingerprint()[:12]}).")


@db_group.command("check")
def check_command() -> None:
    """Exit 0 if the tables are this release's, 1 if `cairn db init` has still to run."""
    current = context.settings()
    engine = make_engine(current.read_models_url(), schema=current.database_schema)
    try:
        ok = schema.is_current(engine, schema.files_of(current))
    finally:
        engine.dispose()
    if not ok:
        click.echo("The schema is not this release's: run `cairn db init`.", err=True)
        raise SystemExit(1)
    click.echo(f"The schema is current ({schema.fingerprint()[:12]}).")
