"""The audit log's rows told in plain language: who did it, what happened, to which record.

A provider's events keep the words their history uses (history_text.SUMMARIES); every other
event has its words here. An event with none yet is shown by its name, split into words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask_babel import lazy_gettext as _l

from cairn.domain.directory.checks import IMPORT_ACTOR, SYSTEM_ACTOR
from cairn.web import funding_words
from cairn.web.admin.history_text import (
    ACCOUNT_GONE,
    AUTOMATIC,
    BULK_IMPORT,
    MEMBER_OF_PUBLIC,
    SUMMARIES,
)

NOBODY = _l("Nobody signed in")

RECORDS = {
    "Account": _l("Account"),
    "ApplicationDraft": _l("Application in progress"),
    "ConfirmationRequest": _l("Listing check"),
    "DeskFile": _l("The desk’s file on a provider"),
    "EmailChange": _l("Change of email address"),
    "EmailCheck": _l("Email address check"),
    "EmailIndex": _l("Email address"),
    "Enquiry": _l("Enquiry"),
    "Erasure": _l("Erasure"),
    "Experiment": _l("Test-and-learn experiment"),
    "Feedback": _l("Feedback"),
    "Invitation": _l("Invitation"),
    "ListingClaim": _l("Request to look after a listing"),
    "PasswordReset": _l("Password reset"),
    "ProblemReport": _l("Problem report"),
    "Provider": _l("Provider"),
    "ProviderEmailClaim": _l("Provider’s email address"),
    "Reflection": _l("Learning reflection"),
    "RenewalReminder": _l("Renewal reminder"),
    "SignInAttempt": _l("Sign-in"),
    "SignInUnlock": _l("Sign-in lockout"),
    "Team": _l("Learning team"),
    "UnmetDemandSignal": _l("Search that found nobody"),
    "WeeklyDigest": _l("Weekly summary email"),
    **funding_words.RECORDS,
}

EVENTS = {
    "Account.Registered": _l("Made an account"),
    "Account.EmailConfirmed": _l("Confirmed the email address"),
    "Account.EmailChanged": _l("Changed the email address"),
    "Account.PasswordChanged": _l("Changed the password"),
    "Account.RoleGranted": _l("Gave the account a role"),
    "Account.Disabled": _l("Disabled the account"),
    "Account.Enabled": _l("Enabled the account again"),
    "ApplicationDraft.Started": _l("Started an application"),
    "ApplicationDraft.AnswersSaved": _l("Saved answers to the application"),
    "ApplicationDraft.Submitted": _l("Sent the application"),
    "ConfirmationRequest.Sent": _l("Asked the provider to confirm their listing"),
    "DeskFile.Opened": _l("Opened the desk’s file on a provider"),
    "DeskFile.Assigned": _l("Assigned a provider’s queue items, or gave them back"),
    "DeskFile.NoteAdded": _l("Wrote an internal note about a provider"),
    "EmailChange.Requested": _l("Asked to change the email address"),
    "EmailChange.Made": _l("Confirmed the new email address"),
    "EmailCheck.Sent": _l("Sent a link to confirm the email address"),
    "EmailIndex.Claimed": _l("Took the email address for an account"),
    "EmailIndex.Released": _l("Let the email address go"),
    "EmailIndex.Reclaimed": _l("Took the email address for an account again"),
    "Enquiry.Received": _l("Sent an enquiry to a provider"),
    "Enquiry.Read": _l("Read the enquiry"),
    "Enquiry.Answered": _l("Marked the enquiry as answered"),
    "Enquiry.Replied": _l("Replied to the enquiry"),
    "Enquiry.Declined": _l("Declined the enquiry"),
    "Enquiry.NotificationClaimed": _l("Began emailing the provider about the enquiry"),
    "Enquiry.NotificationSent": _l("Emailed the provider about the enquiry"),
    "Enquiry.Purged": _l("Deleted the enquiry’s words: kept long enough"),
    "Erasure.Recorded": _l("Erased a person’s personal data"),
    "Experiment.Proposed": _l("Proposed an experiment"),
    "Experiment.Revised": _l("Changed the experiment"),
    "Experiment.Started": _l("Started the experiment"),
    "Experiment.ObservationAdded": _l("Added an observation"),
    "Experiment.ObservationCorrected": _l("Corrected an observation"),
    "Experiment.PredictionAmended": _l("Amended the experiment’s prediction"),
    "Experiment.SenseMakingBegun": _l("Began making sense of the experiment"),
    "Experiment.SenseMakingHeld": _l("Recorded a sense-making session"),
    "Experiment.Resumed": _l("Took the experiment back to running"),
    "Experiment.Concluded": _l("Concluded the experiment"),
    "Experiment.BuildsOnSet": _l("Named the experiments it builds on"),
    "Feedback.Received": _l("Sent feedback about the service"),
    "Feedback.DealtWith": _l("Marked feedback as dealt with"),
    "Feedback.Deleted": _l("Deleted feedback"),
    "Invitation.Sent": _l("Invited a provider to make an account"),
    "Invitation.Accepted": _l("Accepted the invitation and made an account"),
    "ListingClaim.Made": _l("Asked to look after a listing"),
    "ListingClaim.Approved": _l("Approved the request to look after a listing"),
    "ListingClaim.Declined": _l("Declined the request to look after a listing"),
    "PasswordReset.Requested": _l("Asked to reset the password"),
    "PasswordReset.Used": _l("Chose a new password from the reset link"),
    "Provider.AccountLinked": _l("Linked the provider to an account"),
    "Provider.IntakeSet": _l("Said whether they are taking on new people"),
    "Provider.IntakeLapsed": _l("The “full until” day came: no longer shown as full"),
    "ProblemReport.Reported": _l("Reported a problem with a listing"),
    "ProblemReport.Resolved": _l("Dealt with a problem report"),
    "ProviderEmailClaim.Claimed": _l("Took the email address for a provider"),
    "Reflection.Recorded": _l("Recorded a learning reflection"),
    "Reflection.Revised": _l("Revised the learning reflection"),
    "Reflection.VersionRedacted": _l("Redacted a version of the reflection"),
    "RenewalReminder.Due": _l("Reminded the provider that a check runs out soon"),
    "SignInAttempt.Recorded": _l("Tried to sign in"),
    "SignInUnlock.Unlocked": _l("Unlocked sign-in for the account"),
    "Team.Formed": _l("Formed a learning team"),
    "Team.MemberAdded": _l("Added a member to the team"),
    "Team.MemberRemoved": _l("Removed a member from the team"),
    "Team.SharingChanged": _l("Changed what the team shares"),
    "UnmetDemandSignal.Recorded": _l("Searched and found nobody"),
    "WeeklyDigest.Made": _l("Made the weekly summary email"),
    **funding_words.EVENTS,
}

# Done by Cairn itself (the sweep, reminders, retention, mail), though their events have no `by`.
AUTOMATIC_EVENTS = frozenset(
    {
        "Provider.ListingHidden",
        "Provider.ListingShown",
        "Provider.IntakeLapsed",
        "ConfirmationRequest.Sent",
        "Enquiry.NotificationClaimed",
        "Enquiry.NotificationSent",
        "Enquiry.Purged",
        "RenewalReminder.Due",
        "WeeklyDigest.Made",
    }
)
# Made by someone who need not sign in.
PUBLIC_EVENTS = frozenset(
    {
        "Enquiry.Received",
        "Feedback.Received",
        "ListingClaim.Made",
        "ProblemReport.Reported",
        "UnmetDemandSignal.Recorded",
    }
)


def what_happened(kind: str) -> str:
    """ "Provider.Approved" in words."""
    aggregate_type, _dot, event_name = kind.partition(".")
    if aggregate_type == "Provider" and event_name in SUMMARIES:
        return str(SUMMARIES[event_name])
    if kind in EVENTS:
        return str(EVENTS[kind])
    record = RECORDS.get(aggregate_type, aggregate_type)
    return f"{record}: {_words(event_name)}"


def _words(name: str) -> str:
    """ "ListingEditProposed" -> "listing edit proposed"."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def kinds_by_record(kinds: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The filter's choices: each kind of record, with its events in words, A to Z."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for kind in kinds:
        aggregate_type = kind.partition(".")[0]
        record = str(RECORDS.get(aggregate_type, aggregate_type))
        groups.setdefault(record, []).append((kind, what_happened(kind)))
    return [
        (record, sorted(choices, key=lambda choice: choice[1].casefold()))
        for record, choices in sorted(groups.items(), key=lambda group: group[0].casefold())
    ]


@dataclass(frozen=True)
class AuditLine:
    at: Any
    who: str
    what: str
    record: str  # the kind of record
    record_name: str | None  # its name where it has one
    record_id: UUID
    opens: str | None  # "provider" or "account": the record has a page of its own


def _who(row: Any, kind: str) -> str:
    if row.actor == SYSTEM_ACTOR or kind in AUTOMATIC_EVENTS:
        return str(AUTOMATIC)
    if row.actor == IMPORT_ACTOR:
        return str(BULK_IMPORT)
    if row.actor is None:
        return str(MEMBER_OF_PUBLIC if kind in PUBLIC_EVENTS else NOBODY)
    return row.display_name or str(ACCOUNT_GONE)


def tell_audit(row: Any) -> AuditLine:
    kind = f"{row.aggregate_type}.{row.event_name}"
    return AuditLine(
        at=row.at,
        who=_who(row, kind),
        what=what_happened(kind),
        record=str(RECORDS.get(row.aggregate_type, row.aggregate_type)),
        record_name=row.provider_name or row.account_name or row.draft_owner_name,
        record_id=row.aggregate_id,
        opens="provider" if row.provider_name else "account" if row.account_name else None,
    )
