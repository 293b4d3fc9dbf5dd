"""Other organisations' services, read from an Open Referral UK feed or a spreadsheet and kept
as a source that loading again replaces."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from cairn.domain.directory.other_provision import (
    OtherService,
    ProvisionSource,
    provision_source_id,
    start_source,
)
from cairn.domain.directory.provision_files import read_provision_file
from cairn.domain.errors import InvalidTransition
from cairn.domain.geo.places import packaged_gazetteer

GAZETTEER = packaged_gazetteer()
BY = uuid4()


def feed_service(name: str, **parts: object) -> dict[str, object]:
    return {"id": str(uuid4()), "name": name, **parts}


def read(text: str):  # type: ignore[no-untyped-def]
    return read_provision_file(text, GAZETTEER)


class TestAnOpenReferralFeed:
    def test_a_page_of_services_is_read_with_places_terms_and_organisation(self) -> None:
        page = {
            "total_items": 3,
            "contents": [
                feed_service(
                    "Lunch club",
                    url="https://lunch.example.org/",
                    organization={"name": "South Ayrshire Council"},
                    service_areas=[{"name": "South Ayrshire"}],
                    attributes=[{"taxonomy_term": {"code": "companionship", "name": "x"}}],
                ),
                feed_service(
                    "Befriending",
                    service_at_locations=[
                        {"location": {"addresses": [{"postal_code": "KA7 1AA"}]}}
                    ],
                    attributes=[{"taxonomy_term": {"code": "BEF", "name": "Shopping and errands"}}],
                ),
                feed_service("Leeds drop-in", service_areas=[{"name": "Leeds"}]),
            ],
        }
        parsed = read(json.dumps(page))
        assert parsed.kind == "oruk" and parsed.problems == ()
        lunch, befriending = parsed.services
        assert lunch.organisation == "South Ayrshire Council"
        assert lunch.districts == ("KA6", "KA7", "KA8", "KA9", "KA10", "KA19", "KA26")
        assert lunch.service_types == ("companionship",)
        assert lunch.url == "https://lunch.example.org/"
        assert befriending.districts == ("KA7",)
        assert befriending.service_types == ("shopping-errands",)  # matched by Cairn's label
        assert parsed.left_out == ("Leeds drop-in",)  # a feed may cover England too

    def test_newline_delimited_json_and_a_bare_list_are_read(self) -> None:
        services = [feed_service("A", service_areas=[{"name": "KA8"}]), feed_service("B")]
        lines = "\n".join(json.dumps(s) for s in services)
        assert [s.name for s in read(lines).services] == ["A"]
        assert read(lines).left_out == ("B",)
        assert [s.name for s in read(json.dumps(services)).services] == ["A"]

    def test_a_service_without_a_name_is_a_problem(self) -> None:
        parsed = read(json.dumps([feed_service("", service_areas=[{"name": "KA8"}])]))
        assert [p.line for p in parsed.problems] == [1]

    def test_a_file_that_is_not_json_says_so(self) -> None:
        parsed = read('{"contents": [')
        assert parsed.services == () and "not readable JSON" in parsed.problems[0].message

    def test_contact_details_are_not_copied(self) -> None:
        service = feed_service(
            "Lunch club", email="jo@example.org", service_areas=[{"name": "KA8"}]
        )
        (kept,) = read(json.dumps([service])).services
        assert "jo@example.org" not in repr(kept)


class TestASpreadsheet:
    HEADER = "organisation,service,areas,service_types,url\n"

    def test_rows_are_read_with_towns_districts_and_council_areas(self) -> None:
        parsed = read(
            self.HEADER
            + "Carrick Befrienders,Befriending,Ayr; KA26,Companionship,https://b.example.org\n"
            + '"VASA","Men\'s shed","North Ayrshire council area",,\n'
        )
        assert parsed.kind == "csv" and parsed.problems == ()
        befriending, shed = parsed.services
        assert befriending.districts == ("KA7", "KA8", "KA26")
        assert befriending.service_types == ("companionship",)
        assert "KA20" in shed.districts and shed.service_types == ()

    def test_every_bad_row_is_named_with_its_column_and_value_and_nothing_is_kept(self) -> None:
        parsed = read(
            self.HEADER
            + "Good Org,Good service,KA7,,\n"
            + "Bad Org,Somewhere else,Atlantis,,\n"
            + "Odd Org,Astrology,KA7,astrology,\n"
            + ",No organisation,KA7,,ftp://x.example\n"
        )
        found = [(p.line, p.column, p.value) for p in parsed.problems]
        assert found == [
            (3, "areas", "Atlantis"),
            (4, "service_types", "astrology"),
            (5, "organisation", ""),
            (5, "url", "ftp://x.example"),
        ]
        assert [s.name for s in parsed.services] == ["Good service"]  # the caller loads none

    def test_a_header_without_the_needed_columns_is_refused(self) -> None:
        parsed = read("name,postcode\nLunch club,KA7\n")
        assert parsed.services == ()
        assert "organisation, service, areas" in parsed.problems[0].message
        assert parsed.problems[0].message.endswith("it has no organisation, areas.")


class TestASource:
    lunch = OtherService("South Ayrshire Council", "Lunch club", ("KA7",))

    def test_one_record_per_source_name_whatever_its_case_or_spacing(self) -> None:
        assert provision_source_id("North  Ayrshire Council") == provision_source_id(
            "north ayrshire council"
        )

    def test_loading_again_replaces_what_it_held(self) -> None:
        source = start_source("SAC")
        source.load(by=BY, source_name="SAC", file_kind="csv", services=[self.lunch])
        other = OtherService("SAC", "Day centre", ("KA9",), ("personal-care",))
        source.load(by=BY, source_name="SAC", file_kind="oruk", services=[other])
        assert source.services == (other,)
        replayed: ProvisionSource | None = None
        for e in source.collect_events():  # the events alone rebuild it
            replayed = e.mutate(replayed)  # type: ignore[assignment]
        assert replayed is not None and replayed.services == (other,)

    def test_an_empty_file_is_refused(self) -> None:
        with pytest.raises(InvalidTransition, match="no services in Scotland"):
            start_source("SAC").load(by=BY, source_name="SAC", file_kind="csv", services=[])

    def test_a_removed_source_cannot_be_removed_again(self) -> None:
        source = start_source("SAC")
        source.load(by=BY, source_name="SAC", file_kind="csv", services=[self.lunch])
        source.remove(by=BY)
        assert source.services == () and source.removed
        with pytest.raises(InvalidTransition):
            source.remove(by=BY)
