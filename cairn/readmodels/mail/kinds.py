"""Every kind of email Cairn sends: one name each, used by the outbox and the sender."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    APPLICATION_RECEIVED = "application-received"
    INFORMATION_REQUESTED = "information-requested"
    APPROVED = "approved"
    DECLINED = "declined"
    SUSPENDED = "suspended"
    REINSTATED = "reinstated"
    INVITATION = "invitation"
    CLAIM_RECEIVED = "claim-received"  # to the claimant: the CIC will check
    CLAIM_DECLINED = "claim-declined"
    RENEWAL_REMINDER = "renewal-reminder"
    CONFIRMATION_REQUEST = "confirmation-request"
    WEEKLY_DIGEST = "weekly-digest"  # one row per CIC administrator
    PASSWORD_RESET = "password-reset"  # noqa: S105 (a kind of email, not a password)
    EMAIL_CHECK = "email-check"  # "confirm your email address"
    EMAIL_CHANGE_LINK = "email-change-link"  # to the new address: confirm it
    EMAIL_CHANGE_NOTICE = "email-change-notice"  # to the current one: someone asked
    EMAIL_CHANGED = "email-changed"  # to the previous one: it is done
    ENQUIRY_RECEIVED = "enquiry-received"
    # To the person who enquired, at the email they gave for it:
    ENQUIRY_COPY = "enquiry-copy"
    ENQUIRY_REPLY = "enquiry-reply"
    ENQUIRY_DECLINED = "enquiry-declined"
    # To each member of a learning team (one row each), unless they turned them off:
    LEARNING_COMMENT = "learning-comment"
    REVIEW_DUE = "review-due"


TO_ENQUIRER = frozenset({Kind.ENQUIRY_COPY, Kind.ENQUIRY_REPLY, Kind.ENQUIRY_DECLINED})

# Sent to a team's members, as accounts that may have turned learning notices off.
LEARNING_NOTICES = frozenset({Kind.LEARNING_COMMENT, Kind.REVIEW_DUE})
