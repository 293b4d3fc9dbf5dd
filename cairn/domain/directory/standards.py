"""The CIC's standards for micro-providers, versioned: the applicant reads one version and
signs it, and the record says which.

A new text gets a new number and date here (and its words on the standards page); what a
provider signed stays what they signed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StandardsVersion:
    number: int
    published_on: date


# Version 1: keeping people safe, honesty, PVG, insurance and training kept current, and
# telling the CIC about any concern (the text on /standards).
CURRENT_STANDARDS = StandardsVersion(number=1, published_on=date(2026, 12, 1))
