"""When a provider works: day-and-time slots, and the older days-and-times shape they replace."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.domain.availability import (
    SLOTS,
    day_groups,
    parse_availability,
    read_availability,
    slots_for,
)
from cairn.domain.validation import DAYS, TIMES, Invalid


def test_a_slot_is_a_day_at_a_time_of_day() -> None:
    assert parse_availability("tue-morning;thu-evening") == ("tue-morning", "thu-evening")


def test_slots_are_put_in_week_order_without_repeats() -> None:
    assert parse_availability("sun-overnight;MON-Morning;mon-morning;mon_evening") == (
        "mon-morning",
        "mon-evening",
        "sun-overnight",
    )


def test_days_and_times_mean_every_listed_day_at_every_listed_time() -> None:
    assert parse_availability("mon;tue;morning;evening") == (
        "mon-morning",
        "mon-evening",
        "tue-morning",
        "tue-evening",
    )


def test_a_day_alone_is_that_whole_day_and_a_time_alone_is_every_day() -> None:
    assert parse_availability("sat") == tuple(f"sat-{t}" for t in TIMES)
    assert parse_availability("overnight") == tuple(f"{d}-overnight" for d in DAYS)


def test_slots_and_days_and_times_can_be_mixed() -> None:
    assert parse_availability("mon;morning;sat-evening") == ("mon-morning", "sat-evening")


def test_ticked_boxes_give_slots_too() -> None:
    assert parse_availability(["wed-afternoon", "fri-afternoon"]) == (
        "wed-afternoon",
        "fri-afternoon",
    )


def test_no_availability_gives_none() -> None:
    assert parse_availability("") == ()


def test_an_unknown_token_is_named_with_the_forms_that_work() -> None:
    with pytest.raises(Invalid) as refused:
        parse_availability("mon;Noon")
    assert refused.value.message == (
        "Noon is not a day, a time of day or a slot. Use mon to sun, morning, afternoon, "
        "evening or overnight, or both joined, like tue-morning"
    )
    with pytest.raises(Invalid):
        parse_availability("tue-noon")


def test_reading_what_was_recorded_never_fails() -> None:
    # Old events hold days and times apart; anything unknown is left out, not refused.
    assert read_availability(["tue", "morning", "lunchtime"]) == ("tue-morning",)
    assert read_availability(["tue-morning"]) == ("tue-morning",)


@given(st.lists(st.sampled_from(SLOTS)))
def test_slots_are_always_canonical(slots: list[str]) -> None:
    parsed = parse_availability(slots)
    assert parsed == tuple(s for s in SLOTS if s in slots)
    assert parse_availability(";".join(parsed)) == parsed
    assert read_availability(parsed) == parsed


@given(st.lists(st.sampled_from(DAYS)), st.lists(st.sampled_from(TIMES)))
def test_old_days_and_times_read_as_their_cross_product(days: list[str], times: list[str]) -> None:
    read = read_availability([*days, *times])
    if not days and not times:
        assert read == ()
    else:
        assert set(read) == set(slots_for(days, times))


def test_days_are_grouped_by_the_times_they_share() -> None:
    slots = (*parse_availability("mon;tue;wed;thu;fri;morning;afternoon"), "sat-evening")
    groups = day_groups(slots)
    assert [(g.days, g.times) for g in groups] == [
        (("mon", "tue", "wed", "thu", "fri"), ("morning", "afternoon")),
        (("sat",), ("evening",)),
    ]
    assert groups[0].is_run and not groups[1].is_run


def test_days_apart_are_not_a_run() -> None:
    (group,) = day_groups(parse_availability("mon;wed;fri;evening"))
    assert group.days == ("mon", "wed", "fri") and not group.is_run
