"""The provider lifecycle is stated once, and the admin page's buttons follow from it."""

from __future__ import annotations

import pytest

from cairn.domain.directory.lifecycle import (
    ACTIVE,
    TRANSITIONS,
    Action,
    Status,
    admin_decisions,
    allows,
    leads_to,
)


def test_the_cic_is_offered_each_decision_the_lifecycle_allows_in_button_order() -> None:
    assert admin_decisions(Status.APPLIED) == ("start-review", "request-info", "approve", "decline")
    assert admin_decisions(Status.UNDER_REVIEW) == ("request-info", "approve", "decline")
    assert admin_decisions(Status.INFO_REQUESTED) == ("decline",)
    assert admin_decisions(Status.APPROVED) == ("suspend", "remove")
    assert admin_decisions(Status.SUSPENDED) == ("reinstate", "remove")


@pytest.mark.parametrize("status", [Status.DECLINED, Status.WITHDRAWN, Status.REMOVED])
def test_a_provider_that_has_left_is_offered_no_decision_and_takes_no_checks(
    status: Status,
) -> None:
    assert admin_decisions(status) == ()
    assert status not in ACTIVE
    assert not allows(status, Action.RECORD_CHECK)


def test_a_status_read_back_from_a_row_is_compared_as_its_text() -> None:
    assert allows("approved", Action.SUSPEND) and not allows("approved", Action.APPROVE)


@pytest.mark.parametrize("action", [a for a in Action if TRANSITIONS[a].leads_to is not None])
def test_every_action_that_moves_a_provider_leads_out_of_where_it_may_start(
    action: Action,
) -> None:
    # Nothing loops back to where it stands, so a repeated click is refused, not repeated.
    assert leads_to(action) not in TRANSITIONS[action].allowed
