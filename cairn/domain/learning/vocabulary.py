"""The fixed words of the learning system: principles, voices, visibility, stages.

Keys are stable (they are stored in events); labels are what people read and are marked for
translation with the domain's no-op `_`, then translated at display.
"""

from __future__ import annotations

from cairn.domain.validation import _

# The nine principles of ethical commissioning, in the order the Scottish guidance gives them.
PRINCIPLES: dict[str, str] = {
    "person-led-care": _("Person-led care"),
    "human-rights": _("Human rights"),
    "lived-experience": _("Involvement of lived experience"),
    "high-quality-care": _("High-quality care"),
    "outcomes": _("Outcomes"),
    "shared-accountability": _("Shared accountability"),
    "fair-work": _("Fair work"),
    "financial-transparency": _("Financial transparency and sustainable pricing"),
    "climate-circular-economy": _("Climate and circular economy"),
}

# Whose voices informed a reflection: roles only, never names.
VOICES: dict[str, str] = {
    "person-using-support": _("Person using support"),
    "unpaid-carer": _("Unpaid carer"),
    "family-member": _("Family member"),
    "peer-worker": _("Peer worker"),
    "provider": _("Provider"),
    "practitioner": _("Practitioner"),
    "commissioner": _("Commissioner"),
    "community-member": _("Community member"),
}

# Accounts from these voices are someone's own life: consent must be recorded for them.
LIVED_EXPERIENCE_VOICES = frozenset(
    {"person-using-support", "unpaid-carer", "family-member", "peer-worker"}
)

# How a person whose words a reflection keeps gave their consent (issue #20, part 7).
CONSENT_WAYS: dict[str, str] = {
    "spoken": _("They said so, and we noted it at the time"),
    "written": _("In writing, or on a signed consent form"),
    "easy-read": _("On an easy-read consent form"),
    "through-someone": _("Through someone who speaks for them: a carer, advocate or guardian"),
}

# Who may read a reflection or an experiment, from narrowest to widest.
TEAM = "team"
SHARED = "shared"
SIGNED_IN = "signed-in"
PUBLIC = "public"
VISIBILITY: dict[str, str] = {
    TEAM: _("Our team only"),
    # Partnership leads read across the teams, and learning partners a team names read its
    # shared learning too (docs/security.md, docs/learning.md): the label says so.
    SHARED: _("Our team, the teams we share with, our learning partners and the partnership leads"),
    SIGNED_IN: _("Everyone signed in to Cairn, providers too"),
    PUBLIC: _("Public: anyone, without signing in"),
}
# Shared beyond the teams: on the open learning page (public, and signed-in for those signed in).
BEYOND_TEAMS = (SIGNED_IN, PUBLIC)

HYPOTHESIS_TEST = "hypothesis-test"
SYSTEM_PROBE = "system-probe"
EXPERIMENT_KINDS: dict[str, str] = {
    HYPOTHESIS_TEST: _("Hypothesis test"),
    SYSTEM_PROBE: _("System probe"),
}

PROPOSED = "proposed"
RUNNING = "running"
MAKING_SENSE = "making-sense"
CONCLUDED = "concluded"
STAGES: dict[str, str] = {
    PROPOSED: _("Proposed"),
    RUNNING: _("Running"),
    MAKING_SENSE: _("Making sense"),
    CONCLUDED: _("Concluded"),
}

ADOPT = "adopt"
ADAPT = "adapt"
ABANDON = "abandon"
OUTCOMES: dict[str, str] = {
    ADOPT: _("Adopt"),
    ADAPT: _("Adapt"),
    ABANDON: _("Abandon"),
}

# Offered as suggestions; themes stay free tags.
THEME_SUGGESTIONS = (
    "loneliness",
    "carers",
    "transport",
    "rural-access",
    "hospital-discharge",
    "continuity-of-care",
    "workforce",
    "trust",
    "digital-inclusion",
    "prevention",
    "paperwork",
    "self-directed-support",
)
