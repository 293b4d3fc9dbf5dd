"""`cairn import-providers`, `cairn load-other-provision` and `cairn checks sweep`: jobs for a
terminal or for cron."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from tqdm import tqdm

from cairn.cli.context import runtime as _runtime
from cairn.domain.clock import today as today_of
from cairn.domain.directory.checks import IMPORT_ACTOR
from cairn.domain.directory.csv_format import parse_provider_csv
from cairn.domain.directory.importer import IMPORT_BATCH, plan_import, save_plan
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.provision_files import read_provision_file
from cairn.domain.errors import DomainError
from cairn.jobs.checks_sweep import sweep_checks


@click.command("import-providers")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Check the file and say what would change; save nothing."
)
def import_providers_command(csv_file: Path, dry_run: bool) -> None:
    """Import providers from a CSV file (see shared/samples/README.md).

    The whole file is checked first and a bad one imports nothing; a good one is saved in
    batches, so other writers never wait for the whole file. Safe to run again."""
    runtime = _runtime()
    today = today_of(runtime.app.clock)
    with csv_file.open(encoding="utf-8", newline="") as stream:
        parsed = parse_provider_csv(stream)
    # The bar shows itself only at a terminal, and only for files big enough to wait for.
    with tqdm(
        total=len(parsed.records),
        unit="row",
        desc="Checking rows",
        file=sys.stderr,
        disable=None if len(parsed.records) >= 200 else True,
    ) as bar:
        plan = plan_import(runtime.app, parsed, today=today, progress=bar.update)
    if not plan.ok:
        for error in plan.errors:
            click.echo(str(error), err=True)
        rows = len({error.line for error in plan.errors})
        raise click.ClickException(
            f"Nothing was imported: {rows} {'row has' if rows == 1 else 'rows have'} problems. "
            "Correct them and run the import again."
        )
    summary = (
        f"{plan.added} new ({plan.new_approved} approved, {plan.new_applications} "
        f"awaiting review); {len(plan.changed)} changed (sent to the review queue); "
        f"{len(plan.unchanged)} already in the directory as they are (matched on email)"
    )
    for row in plan.changed:
        fields = ", ".join(change.field for change in row.changes)
        click.echo(f"  line {row.record.line}: {row.name}: {fields}")
    if dry_run:
        click.echo(f"Dry run, nothing was saved. The file is fine: {summary}.")
        return
    try:
        with tqdm(
            total=plan.added,
            unit="provider",
            desc="Saving",
            file=sys.stderr,
            disable=None if plan.added >= IMPORT_BATCH else True,
        ) as bar:
            save_plan(runtime.app, plan, progress=bar.update)
    except DomainError as error:
        runtime.sql_runner.catch_up()  # what was saved before the clash shows at once
        raise click.ClickException(error.message) from None
    runtime.sql_runner.catch_up()
    click.echo(f"Imported {csv_file.name}: {summary}.")


@click.group("checks")
def checks_group() -> None:
    """Provider checks: the sweep that hides listings whose insurance has lapsed."""


@checks_group.command("sweep")
@click.option(
    "--today",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Sweep as if it were this date (YYYY-MM-DD); normally today.",
)
def sweep_command(on: object) -> None:
    """Hide every listing whose insurance has run out (run daily, for example from cron)."""
    runtime = _runtime()
    runtime.sql_runner.catch_up()
    day: date | None = on.date() if on is not None else None  # type: ignore[attr-defined]
    hidden = sweep_checks(runtime.app, runtime.read_engine, day)
    runtime.sql_runner.catch_up()
    click.echo(
        f"Hid {len(hidden)} {'listing' if len(hidden) == 1 else 'listings'} with lapsed insurance"
        + (":" if hidden else ".")
    )
    # Which ones, so whoever reads cron's mail knows whom to call about their insurance.
    for provider_id in hidden:
        provider = runtime.app.load(Provider, provider_id)
        ran_out = provider.insurance_expires_on
        click.echo(
            f"  {provider.name} ({provider.postcode}), insurance ran out"
            f" {ran_out.isoformat() if ran_out else 'on an unknown day'}: {provider_id}"
        )


@click.command("load-other-provision")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="Who publishes it, like 'North Ayrshire Council'.")
def load_other_provision_command(file: Path, source: str) -> None:
    """Load other organisations' services (an Open Referral UK feed saved as JSON, or a CSV
    with organisation, service, areas, service_types, url) for the coverage board. Loading
    a source again under the same name replaces what it held."""
    runtime = _runtime()
    parsed = read_provision_file(file.read_text(encoding="utf-8-sig"), runtime.directory.gazetteer)
    if parsed.problems:
        for problem in parsed.problems:
            where = f"line {problem.line}" + (f": {problem.column}" if problem.column else "")
            found = f' (found "{problem.value}")' if problem.value else ""
            click.echo(f"{where}: {problem.message}{found}", err=True)
        raise click.ClickException("Nothing was loaded. Correct the file and load it again.")
    try:
        done = runtime.app.directory.load_other_provision(
            source, parsed.kind, list(parsed.services), by=IMPORT_ACTOR
        )
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    runtime.wait_for(done.position)
    click.echo(f"Loaded {len(parsed.services)} services from {source}.")
    if parsed.left_out:
        click.echo(
            f"{len(parsed.left_out)} name no place in Scotland and were left out: "
            + ", ".join(parsed.left_out[:20])
            + (" …" if len(parsed.left_out) > 20 else "")
        )
