"""A provider's lifecycle: its statuses, what may be done in each, and where each action leads.

This is the one statement of the state machine. The aggregate's guards, the commands and the
admin page's buttons all read it, so a new status or a changed rule is made here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cairn.domain.errors import InvalidTransition
from cairn.domain.text import Text, _


class Status(StrEnum):
    APPLIED = "applied"
    UNDER_REVIEW = "under-review"
    INFO_REQUESTED = "info-requested"
    APPROVED = "approved"
    DECLINED = "declined"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


STATUS_LABELS = {
    Status.APPLIED: _("Awaiting review"),
    Status.UNDER_REVIEW: _("Under review"),
    Status.INFO_REQUESTED: _("More information requested"),
    Status.APPROVED: _("Approved"),
    Status.DECLINED: _("Declined"),
    Status.SUSPENDED: _("Suspended"),
    Status.WITHDRAWN: _("Withdrawn"),
    Status.REMOVED: _("Removed"),
}

# An application not yet decided; the applicant can still change it.
OPEN_APPLICATION = (Status.APPLIED, Status.UNDER_REVIEW, Status.INFO_REQUESTED)
# Decided and on the books: edits here go to review before the public sees them.
ON_THE_BOOKS = (Status.APPROVED, Status.SUSPENDED)
# Still the CIC's concern: checks may be recorded, and the provider may withdraw.
ACTIVE = (*OPEN_APPLICATION, *ON_THE_BOOKS)


class Action(StrEnum):
    """What may be done to a provider. The values of the CIC's decisions are the admin page's
    form actions."""

    START_REVIEW = "start-review"
    REQUEST_INFO = "request-info"
    PROVIDE_INFO = "provide-info"
    APPROVE = "approve"
    DECLINE = "decline"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    WITHDRAW = "withdraw"
    REMOVE = "remove"
    UPDATE_APPLICATION = "update-application"
    PROPOSE_EDIT = "propose-edit"
    CONFIRM_LISTING = "confirm-listing"
    RECORD_CHECK = "record-check"


@dataclass(frozen=True)
class Transition:
    allowed: tuple[Status, ...]  # the statuses the action may be taken in
    leads_to: Status | None  # the status after it; None: the status stays
    verb: Text  # "You cannot {verb} {name}: it is {status}."


TRANSITIONS: dict[Action, Transition] = {
    Action.START_REVIEW: Transition((Status.APPLIED,), Status.UNDER_REVIEW, _("start reviewing")),
    Action.REQUEST_INFO: Transition(
        (Status.APPLIED, Status.UNDER_REVIEW),
        Status.INFO_REQUESTED,
        _("ask for more information from"),
    ),
    Action.PROVIDE_INFO: Transition(
        (Status.INFO_REQUESTED,), Status.UNDER_REVIEW, _("answer a question for")
    ),
    Action.APPROVE: Transition(
        (Status.APPLIED, Status.UNDER_REVIEW), Status.APPROVED, _("approve")
    ),
    Action.DECLINE: Transition(OPEN_APPLICATION, Status.DECLINED, _("decline")),
    Action.SUSPEND: Transition((Status.APPROVED,), Status.SUSPENDED, _("suspend")),
    Action.REINSTATE: Transition((Status.SUSPENDED,), Status.APPROVED, _("reinstate")),
    Action.WITHDRAW: Transition(ACTIVE, Status.WITHDRAWN, _("withdraw")),
    Action.REMOVE: Transition(ON_THE_BOOKS, Status.REMOVED, _("remove")),
    Action.UPDATE_APPLICATION: Transition(OPEN_APPLICATION, None, _("change the application of")),
    Action.PROPOSE_EDIT: Transition(ON_THE_BOOKS, None, _("change the listing of")),
    Action.CONFIRM_LISTING: Transition(ON_THE_BOOKS, None, _("confirm the listing of")),
    Action.RECORD_CHECK: Transition(ACTIVE, None, _("record a check for")),
}

# The CIC's decisions, in the order the admin page shows their buttons.
ADMIN_DECISIONS = (
    Action.START_REVIEW,
    Action.REQUEST_INFO,
    Action.APPROVE,
    Action.DECLINE,
    Action.SUSPEND,
    Action.REINSTATE,
    Action.REMOVE,
)


def allows(status: str, action: Action) -> bool:
    return status in TRANSITIONS[action].allowed


def leads_to(action: Action) -> Status:
    """The status an action that changes the status leaves the provider in."""
    status = TRANSITIONS[action].leads_to
    assert status is not None, f"{action} does not change the status"
    return status


def admin_decisions(status: str) -> tuple[str, ...]:
    """The decisions the CIC may make about a provider in this status, in button order."""
    return tuple(action.value for action in ADMIN_DECISIONS if allows(status, action))


def required_reason(reason: str, for_what: str) -> str:
    """A decline, suspension, removal or rejected edit needs a reason: the person is told it."""
    if not reason.strip():
        raise InvalidTransition(_("Give a reason for {what}.").format(what=for_what))
    return reason.strip()
