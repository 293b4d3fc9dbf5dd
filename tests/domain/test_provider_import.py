"""Importing a CIC's spreadsheet: a bad file imports nothing, a good one is saved in batches,
no duplicates, check rules on approved rows."""

from __future__ import annotations

import io
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.csv_format import parse_provider_csv
from cairn.domain.directory.importer import (
    ImportInterrupted,
    import_providers,
    plan_import,
    save_plan,
)
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError
from tests.support.stores import SAMPLES, make_settings

TODAY = date(2026, 11, 23)
HEADER = (
    "name,contact_name,email,postcode,areas_covered,services,description,"
    "pvg_checked_on,insurance_expires_on,training,approved_on\n"
)


def run(runtime: Runtime, text: str, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return import_providers(runtime.app, io.StringIO(text), today=TODAY, dry_run=dry_run)


def run_file(runtime: Runtime, path: Path, dry_run: bool = False):  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as stream:
        return import_providers(runtime.app, stream, today=TODAY, dry_run=dry_run)


def row(
    email: str, pvg: str = "2026-03-01", insurance: str = "2027-03-01", approved: str = ""
) -> str:
    return (
        f"Test Care,Pat,{email},KA7 1AA,KA8,personal-care,Care around Ayr,"
        f"{pvg},{insurance},first-aid,{approved}\n"
    )


def test_the_sample_file_imports_24_providers_and_again_adds_nothing(runtime: Runtime) -> None:
    plan = run_file(runtime, SAMPLES / "providers-sample.csv")
    assert plan.ok, plan.errors
    assert plan.added == 24 and plan.new_approved == 20 and plan.new_applications == 4
    head = runtime.app.head()
    runtime.sql_runner.catch_up()

    again = run_file(runtime, SAMPLES / "providers-sample.csv")
    assert again.ok and again.added == 0 and len(again.skipped) == 24
    assert runtime.app.head() == head

    provider_id = runtime.app.directory.provider_for_email("hello@carrick-care-companions.example")
    assert provider_id is not None
    provider = runtime.app.load(Provider, provider_id)
    assert provider.status == Status.APPROVED and provider.approved_on == date(2026, 10, 1)
    listing = provider.public_listing()
    assert listing is not None
    assert listing.pvg_checked_on == date(2026, 3, 11)
    assert listing.insurance_expires_on == date(2027, 3, 21)
    assert [t.course for t in listing.training] == ["first-aid", "food-hygiene"]
    assert listing.areas_covered == ("KA7", "KA6")


def test_the_bad_sample_imports_nothing_and_names_all_four_bad_rows(runtime: Runtime) -> None:
    plan = run_file(runtime, SAMPLES / "providers-bad.csv")
    assert not plan.ok
    assert {error.line for error in plan.errors} == {3, 4, 5, 6}
    text = [str(error) for error in plan.errors]
    assert any(t.startswith("line 3: email:") for t in text)
    assert any(t.startswith("line 4: postcode:") for t in text)
    assert any(t.startswith("line 5: services:") and "astrology" in t for t in text)
    assert any(t.startswith("line 6: name:") for t in text)
    assert runtime.app.head() == 0


def test_an_approved_row_must_pass_the_check_rules(runtime: Runtime) -> None:
    text = (
        HEADER
        + row("ok@example.org", approved="2026-10-01")
        + row("lapsed@example.org", insurance="2026-11-01", approved="2026-10-01")
        + row("nopvg@example.org", pvg="", approved="2026-10-01")
        + row("oldpvg@example.org", pvg="2020-01-01", approved="2026-10-01")
        + row("future@example.org", approved="2027-01-01")
        + row("applicant@example.org", pvg="", insurance="")
    )
    plan = run(runtime, text)
    assert [str(e).split(":")[0:2] for e in plan.errors] == [
        ["line 3", " insurance_expires_on"],
        ["line 4", " pvg_checked_on"],
        ["line 5", " pvg_checked_on"],
        ["line 6", " approved_on"],
    ]
    assert runtime.app.head() == 0


def test_rows_without_approved_on_arrive_as_applications(runtime: Runtime) -> None:
    plan = run(runtime, HEADER + row("applicant@example.org", pvg="", insurance=""))
    assert plan.ok and plan.new_applications == 1
    provider_id = runtime.app.directory.provider_for_email("applicant@example.org")
    assert provider_id is not None
    provider = runtime.app.load(Provider, provider_id)
    assert provider.status == Status.APPLIED and provider.public_listing() is None


def test_a_dry_run_checks_everything_and_writes_nothing(runtime: Runtime) -> None:
    plan = run_file(runtime, SAMPLES / "providers-sample.csv", dry_run=True)
    assert plan.ok and plan.added == 24
    assert runtime.app.head() == 0


def test_a_provider_who_applied_online_is_matched_on_email_in_any_case(runtime: Runtime) -> None:
    runtime.app.directory.apply(
        name="Test Care",
        contact_name="Pat",
        email="Known@Example.org",
        postcode="KA7 1AA",
        services=["personal-care"],
    )
    plan = run(runtime, HEADER + row("known@example.org") + row("new@example.org"))
    assert plan.ok and plan.added == 1
    # The sheet describes them more fully than their application did: it is updated.
    assert [(c.record.email, c.reviewed_as) for c in plan.changed] == [
        ("known@example.org", "application")
    ]


def test_a_clash_while_saving_writes_nothing_at_all(runtime: Runtime) -> None:
    text = HEADER + row("first@example.org") + row("race@example.org")
    plan = plan_import(runtime.app, parse_provider_csv(io.StringIO(text)), today=TODAY)
    assert plan.ok
    runtime.app.directory.apply(
        name="Quick",
        contact_name="Q",
        email="race@example.org",
        postcode="KA7 1AA",
        services=["gardening"],
    )
    head = runtime.app.head()
    with pytest.raises(DomainError, match="nothing was imported"):
        save_plan(runtime.app, plan)
    assert runtime.app.head() == head
    assert runtime.app.directory.provider_for_email("first@example.org") is None


def rows(count: int, prefix: str = "bulk") -> str:
    return HEADER + "".join(row(f"{prefix}{n}@example.org") for n in range(count))


def test_a_file_is_saved_in_batches_each_with_whole_providers(runtime: Runtime) -> None:
    plan = plan_import(runtime.app, parse_provider_csv(io.StringIO(rows(5))), today=TODAY)
    saved: list[int] = []
    heads: list[int] = []

    def after_batch(count: int) -> None:
        saved.append(count)
        heads.append(runtime.app.head())

    save_plan(runtime.app, plan, batch=2, progress=after_batch)
    assert saved == [2, 2, 1]
    # Each batch was its own transaction: the log grew batch by batch.
    assert heads == sorted(heads) and len(set(heads)) == 3
    for n in range(5):
        assert runtime.app.directory.provider_for_email(f"bulk{n}@example.org") is not None


def test_a_clash_in_a_later_batch_keeps_the_earlier_ones_and_a_rerun_adds_the_rest(
    runtime: Runtime,
) -> None:
    text = rows(5)
    plan = plan_import(runtime.app, parse_provider_csv(io.StringIO(text)), today=TODAY)
    assert plan.ok and plan.added == 5
    # Someone applies online with the fourth row's email after the file was checked.
    runtime.app.directory.apply(
        name="Quick",
        contact_name="Q",
        email="bulk3@example.org",
        postcode="KA7 1AA",
        services=["gardening"],
    )
    with pytest.raises(ImportInterrupted, match="2 providers were imported") as raised:
        save_plan(runtime.app, plan, batch=2)
    assert raised.value.saved == 2
    found = [runtime.app.directory.provider_for_email(f"bulk{n}@example.org") for n in range(5)]
    assert [f is not None for f in found] == [True, True, False, True, False]

    again = run(runtime, text)
    # The two saved are left as they are; the online application differs from its row, so
    # the row becomes a change to that application, reviewed with it.
    assert again.ok and again.added == 2 and len(again.skipped) == 2
    assert [c.record.email for c in again.changed] == ["bulk3@example.org"]
    assert all(runtime.app.directory.provider_for_email(f"bulk{n}@example.org") for n in range(5))


@pytest.mark.postgres
def test_another_writer_is_not_held_up_for_the_whole_import(tmp_path: Path, pg_schema: str) -> None:
    """The PostgreSQL recorder locks the events table (EXCLUSIVE) per inserting transaction:
    a writer on another connection commits between the import's batches."""
    settings = make_settings("postgres", tmp_path, pg_schema)
    importer, other = Runtime(settings), Runtime(settings)
    try:
        plan = plan_import(importer.app, parse_provider_csv(io.StringIO(rows(6))), today=TODAY)
        written: list[tuple[int, float]] = []

        def write_elsewhere() -> None:
            started = time.monotonic()
            done = other.app.directory.apply(
                name="Meanwhile",
                contact_name="M",
                email="meanwhile@example.org",
                postcode="KA7 1AA",
                services=["gardening"],
            )
            written.append((done.position, time.monotonic() - started))

        heads: list[int] = []

        def after_batch(count: int) -> None:
            heads.append(importer.app.head())
            if len(heads) == 1:  # the import is under way: two batches still to write
                writer = threading.Thread(target=write_elsewhere)
                writer.start()
                writer.join(10)

        last = save_plan(importer.app, plan, batch=2, progress=after_batch)
        assert len(written) == 1, "the other writer did not finish while the import ran"
        position, _seconds = written[0]
        assert heads[0] < position < last
    finally:
        importer.close()
        other.close()


# -- rows for providers already in the directory -----------------------------------------------


def test_a_changed_row_becomes_a_listing_edit_for_review_not_a_live_change(
    runtime: Runtime,
) -> None:
    assert run(runtime, HEADER + row("listed@example.org", approved="2026-10-01")).ok
    provider_id = runtime.app.directory.provider_for_email("listed@example.org")
    assert provider_id is not None

    again = run(runtime, HEADER + row("listed@example.org", approved="2026-10-01"))
    assert (
        again.ok
        and again.added == 0
        and [r.email for r in again.unchanged] == ["listed@example.org"]
    )

    changed = HEADER + row("listed@example.org", approved="2026-10-01").replace(
        "Care around Ayr", "Care around Ayr and Prestwick"
    )
    plan = run(runtime, changed)
    assert plan.ok and not plan.unchanged
    [edit] = plan.changed
    assert edit.reviewed_as == "edit" and edit.name == "Test Care"
    assert [(c.field, c.before, c.after) for c in edit.changes] == [
        ("description", "Care around Ayr", "Care around Ayr and Prestwick")
    ]
    provider = runtime.app.load(Provider, provider_id)
    assert provider.description == "Care around Ayr"  # the public still sees the old one
    assert provider.pending_edit == {"description": "Care around Ayr and Prestwick"}

    # The same file again: those changes already wait, so nothing more is sent.
    assert [r.email for r in run(runtime, changed).unchanged] == ["listed@example.org"]


def test_a_bad_row_echoes_the_bad_value_and_names_the_provider(runtime: Runtime) -> None:
    bad = row("pat@example.org").replace("personal-care", "cheap-care")
    plan = run(runtime, HEADER + bad)
    [error] = plan.errors
    assert (error.line, error.column, error.value, error.provider) == (
        2,
        "services",
        "cheap-care",
        "Test Care",
    )
    assert str(error).endswith('(found "cheap-care", in the row for Test Care)')
    assert runtime.app.head() == 0


def test_a_row_for_a_declined_provider_is_refused_and_nothing_is_imported(
    runtime: Runtime,
) -> None:
    from uuid import uuid4

    done = runtime.app.directory.apply(
        name="Gone Care",
        contact_name="G",
        email="gone@example.org",
        postcode="KA7 1AA",
        services=["personal-care"],
    )
    runtime.app.directory.decline(done.id, by=uuid4(), reason="Outside the area")
    head = runtime.app.head()
    plan = run(runtime, HEADER + row("gone@example.org") + row("fresh@example.org"))
    assert [(e.line, e.column) for e in plan.errors] == [(2, "email")]
    assert "Gone Care is no longer in the directory or applying" in str(plan.errors[0])
    assert runtime.app.head() == head
