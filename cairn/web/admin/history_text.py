"""A provider's events told in plain language: who, when, what changed (before -> after), why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import format_currency, format_date, gettext
from flask_babel import lazy_gettext as _l

from cairn.domain.directory.checks import IMPORT_ACTOR, SYSTEM_ACTOR
from cairn.domain.directory.report import CATEGORY_LABELS
from cairn.readmodels.directory.queries import HistoryEntry
from cairn.web.directory_labels import training_label
from cairn.web.listing_changes import field_label, show_value


def _(text: str, **values: Any) -> str:
    return str(gettext(text, **values))


# Who, when no account's name says it (the audit log names actors with these too).
AUTOMATIC = _l("Cairn (automatic)")
BULK_IMPORT = _l("Bulk import")
MEMBER_OF_PUBLIC = _l("A member of the public")
ACCOUNT_GONE = _l("Someone whose account is gone")

SUMMARIES = {
    "Applied": _l("Applied to join the directory"),
    "ApplicationUpdated": _l("Changed the application"),
    "ReviewStarted": _l("Started reviewing the application"),
    "InformationRequested": _l("Asked for more information"),
    "InformationProvided": _l("Answered the request for information"),
    "Approved": _l("Approved the provider: the listing is public"),
    "Declined": _l("Declined the application"),
    "Suspended": _l("Suspended the provider: the listing is hidden"),
    "Reinstated": _l("Reinstated the provider: the listing is public again"),
    "Withdrawn": _l("Withdrew from the directory"),
    "Removed": _l("Removed the provider from the directory"),
    "PvgRecorded": _l("Recorded a PVG check"),
    "InsuranceRecorded": _l("Recorded public liability insurance"),
    "TrainingRecorded": _l("Recorded training"),
    "StandardsSigned": _l("Recorded the signed standards agreement"),
    "ListingHidden": _l("Hid the listing from the public: the insurance has expired"),
    "ListingShown": _l("Showed the listing again: the insurance is renewed"),
    "ListingEditProposed": _l("Sent changes to the listing for review"),
    # A second edit while one waits: the same event, amending what waits.
    "ListingEditAmended": _l("Changed the changes waiting for review: these now wait instead"),
    "ListingEditApproved": _l("Approved changes to the listing: they are now public"),
    "ListingEditRejected": _l("Turned down changes to the listing"),
    "ListingConfirmed": _l("Confirmed the listing is still accurate"),
    "ProblemReported": _l("A member of the public reported a problem"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Told:
    at: Any
    who: str
    what: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    changes: list[Change] = field(default_factory=list)


def _who(entry: HistoryEntry) -> str:
    if entry.actor_id == SYSTEM_ACTOR or entry.kind in ("ListingHidden", "ListingShown"):
        return str(AUTOMATIC)
    if entry.actor_id == IMPORT_ACTOR:
        return str(BULK_IMPORT)
    if entry.actor_id is None:
        return str(MEMBER_OF_PUBLIC) if entry.kind == "ProblemReported" else _("The applicant")
    return entry.actor or str(ACCOUNT_GONE)


def _summary_key(entry: HistoryEntry) -> str:
    if entry.kind == "ListingEditProposed" and entry.details.get("amends"):
        return "ListingEditAmended"
    return entry.kind


def _day(value: str | None) -> str:
    return format_date(date.fromisoformat(value), "long") if value else ""


def _check_notes(kind: str, d: dict[str, Any]) -> list[tuple[str, str]]:
    """A check's details as the admin page shows them: dates in words, courses by name.
    Events from before a detail was asked lack it, and it is left out."""
    notes: list[tuple[str, str]] = []
    if kind == "PvgRecorded":
        if d.get("membership_number"):
            notes.append((_("Membership number"), d["membership_number"]))
        notes.append((_("Checked on"), _day(d["checked_on"])))
        if d.get("renewal_due"):
            notes.append((_("Renewal due"), _day(d["renewal_due"])))
    elif kind == "InsuranceRecorded":
        for key, label in (("insurer", _("Insurer")), ("policy_number", _("Policy number"))):
            if d.get(key):
                notes.append((label, d[key]))
        if d.get("cover"):
            notes.append((_("Cover"), format_currency(Decimal(d["cover"]), "GBP")))
        notes.append((_("Expires on"), _day(d["expires_on"])))
    elif kind == "TrainingRecorded":
        notes.append((_("Course"), training_label(d["course"])))
        notes.append((_("Completed on"), _day(d.get("completed_on")) or _("date not recorded")))
        if d.get("expires_on"):
            notes.append((_("Expires on"), _day(d["expires_on"])))
    elif kind == "Applied" and d.get("consented_on"):
        if d.get("standards_version"):
            signed = _(
                "version %(n)s, on %(d)s", n=d["standards_version"], d=_day(d["consented_on"])
            )
        else:
            signed = _day(d["consented_on"])
        notes.append((_("Signed the standards"), signed))
    elif kind == "StandardsSigned":
        notes.append((_("Signed on"), _day(d["signed_on"])))
        if d.get("standards_version"):
            notes.append((_("Version"), str(d["standards_version"])))
    if d.get("evidence_id"):
        notes.append((_("Evidence"), _("a file was uploaded")))
    return notes


def tell(entry: HistoryEntry) -> Told:
    d = entry.details
    notes: list[tuple[str, str]] = []
    changes: list[Change] = []
    if d.get("reason"):
        notes.append((_("Reason"), d["reason"]))
    if "question" in d:
        notes.append((_("Question"), d["question"]))
    if "answer" in d:
        notes.append((_("Answer"), d["answer"]))
    if d.get("note"):
        notes.append((_("Note"), d["note"]))
    notes += _check_notes(entry.kind, d)
    if entry.kind == "ListingHidden" and d.get("on"):
        # The sweep's own line: when it hid the listing (the CLI names it the same day).
        notes.append((_("Hidden on"), d["on"]))
    if entry.kind == "Approved" and d.get("on"):
        notes.append((_("Approved on"), d["on"]))
    if entry.kind == "ProblemReported":
        category = CATEGORY_LABELS.get(d["category"], d["category"])
        notes.append((_("Problem"), _(category)))
        if d.get("details"):
            notes.append((_("Details"), d["details"]))
    for name, after in (d.get("changes") or {}).items():
        before = (d.get("before") or {}).get(name)
        changes.append(Change(field_label(name), show_value(name, before), show_value(name, after)))
    return Told(
        at=entry.at,
        who=_who(entry),
        what=str(SUMMARIES.get(_summary_key(entry), entry.kind)),
        notes=notes,
        changes=changes,
    )
