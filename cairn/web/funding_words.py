"""Funding's records and events in plain words: one copy, read by the audit log (admin) and
by the history on the funding recording pages (learning), which do not import each other."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

RECORDS = {
    "Fund": _l("Fund"),
    "SupportTiers": _l("Tiers of support"),
    "Commitment": _l("Funding commitment"),
}

EVENTS = {
    "Fund.Opened": _l("Recorded a fund"),
    "Fund.Corrected": _l("Corrected the fund"),
    "Fund.Allocated": _l("Allocated the fund to a tier for a financial year"),
    "Fund.AllocationCorrected": _l("Corrected an allocation of the fund"),
    "SupportTiers.Started": _l("Began the tiers of support"),
    "SupportTiers.TierDefined": _l("Defined a tier of support"),
    "SupportTiers.TierCorrected": _l("Corrected a tier of support"),
    "Commitment.Made": _l("Committed funding to an experiment"),
    "Commitment.Corrected": _l("Corrected the funding commitment"),
    "Commitment.SpendRecorded": _l("Recorded spend against the commitment"),
    "Commitment.SpendCorrected": _l("Corrected spend against the commitment"),
}
