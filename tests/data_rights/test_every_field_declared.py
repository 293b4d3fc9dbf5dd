"""Every field of every event is either declared personal or known not to be.

Walks every `Aggregate.Event` subclass reachable from the domain packages. A field that is
neither declared personal (`cairn.domain.personal.personal`) nor in the allow-list below fails,
so a new field with a new name has to be decided on: encrypted under whose key, or listed
here with the reason it can never hold data about a person."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Iterator

from eventsourcing.domain import Aggregate

import cairn.domain
from cairn.domain.directory.applying import REQUIRED_ANSWERS
from cairn.domain.directory.provider import LISTING_FIELDS

# Field names that never hold personal data, with why. Keep it short and honest.
NOT_PERSONAL: dict[str, str] = {
    # The event machinery.
    "originator_id": "the record's id",
    "originator_version": "a count",
    "timestamp": "when",
    "originator_topic": "the class's name",
    # Ids, links and who acted (account ids are pseudonymous; erasure shreds what they point at).
    **dict.fromkeys(
        (
            "by",
            "account_id",
            "provider_id",
            "team_id",
            "team_ids",
            "experiment_ids",
            "formed_by",
            "observation_id",
            "session_id",
            "version_id",
            "previous_id",
            "next_id",
            "chain_id",
            "subjects",
            "records",
            "claim_id",
            "invitation_id",
            "evidence_id",
            "assignee",
            "item_id",
            "review_id",
            "members",
            "voice_id",
        ),
        "an id, a list of ids, or key subjects (pseudonyms, no data)",
    ),
    # Dates, counts, flags and vocabulary keys.
    **dict.fromkeys(
        (
            "on",
            "at",
            "until",
            "checked_on",
            "expires_on",
            "completed_on",
            "signed_on",
            "proposed_on",
            "consented_on",
            "consent_on",
            "cycle",
            "number",
            "current",
            "retention_days",
            "succeeded",
            "consent",
            "everyone",
            "as_lead",
            "step",
            "category",
            "outcome",
            "course",
            "role",
            "roles",
            "services",
            "days",
            "times",
            "district",
            "word_services",
            "areas_covered",
            "availability",
            "sds_options",
            "languages",
            "description_language",
            "language",
            "message_language",
            "amends",
            "account_version",
            "intake",
            "due_on",
            "week",
            "counts",
            "notify",
            "check",
            "stage",
            "price_per_hour",
            "verdict",
            "renewal_due",
            "standards_version",
            "evidence_type",
            "cover",
            "voices",
            "consent_recorded",
            "consent_how",
            "consent_covers",
            "withdrawn_on",
            "value",
            "item_kind",
            "wanted",
        ),
        "a date, count, flag, number, or key from a fixed vocabulary",
    ),
    "insurer": "the name of an insurance company",
    # The business's public listing (see docs/data-rights.md, Limits).
    **dict.fromkeys(
        ("name", "postcode", "description", "website"), "a business's listing or a team's name"
    ),
    # Decisions by the CIC, written about the business (docs/data-rights.md, Limits).
    "reason": "a decision reason by the CIC (a provider's own withdrawal reason is declared)",
    "note": "a CIC note on a decision (a note on a problem report is declared)",
    "page": "a path of Cairn's own pages, its query string dropped",
    "sender": "the name of the process sending a notification",
    "password_hash": "an argon2 hash: a credential, not data about the person",
    # Owned by the sign-in rework ("abuse"): a digest kept for lockout, documented there.
    "email_digest": "a digest of the email for lockout counting (being reworked)",
    # Team names and purposes are the organisation's.
    "purpose": "a learning team's purpose",
    # Other provision: organisations' published services (names, districts, service-type keys
    # and web addresses; a feed's contact details are not copied), and which file kind it was.
    **dict.fromkeys(
        ("source_name", "file_kind", "services"),
        "other organisations' published services, never about a person",
    ),
    # Funding is the partnership's public money: organisations, amounts, dates, ids.
    **dict.fromkeys(
        (
            "funder",
            "starts_on",
            "ends_on",
            "restricted",
            "tier_id",
            "year",
            "amount",
            "experiment_id",
            "months",
            "parts",
            "spend_id",
        ),
        "funding: a funder (an organisation), an amount, a date, a period or an id",
    ),
}

# Dict fields whose keys are declared one by one (`field.key`): the keys each may hold.
DICT_KEYS: dict[str, frozenset[str]] = {
    "changes": frozenset(LISTING_FIELDS),
    "before": frozenset(LISTING_FIELDS),
    "answers": frozenset({*LISTING_FIELDS, *REQUIRED_ANSWERS, "email"}),
}
# Keys of those dicts that are not personal (the listing's public fields).
NOT_PERSONAL_KEYS = frozenset(k for k in DICT_KEYS["answers"] if k in NOT_PERSONAL) | {
    "consent",
    "standards_version",
}

KNOWN_DICTS_IN_CLEAR = {"content"}  # checked through the declared `content.*` keys below


def event_classes() -> Iterator[type]:
    for info in pkgutil.walk_packages(cairn.domain.__path__, prefix="cairn.domain."):
        importlib.import_module(info.name)
    seen: set[type] = set()
    stack = list(Aggregate.__subclasses__())
    while stack:
        aggregate = stack.pop()
        stack.extend(aggregate.__subclasses__())
        if not aggregate.__module__.startswith("cairn.domain."):
            continue
        for value in vars(aggregate).values():
            if (
                isinstance(value, type)
                and issubclass(value, Aggregate.Event)
                and value.__module__.startswith("cairn.domain.")
                and value not in seen
            ):
                seen.add(value)
                yield value


def undeclared(event_class: type) -> list[str]:
    declared: tuple[str, ...] = getattr(event_class, "personal_fields", ())
    problems = []
    for field in dataclasses.fields(event_class):  # type: ignore[arg-type]
        name = field.name
        if name in declared or name in NOT_PERSONAL:
            continue
        keyed = {d.partition(".")[2] for d in declared if d.startswith(name + ".")}
        if keyed and name in DICT_KEYS:
            missing = DICT_KEYS[name] - keyed - NOT_PERSONAL_KEYS
            problems += [f"{name}.{key}" for key in sorted(missing)]
            continue
        if name in KNOWN_DICTS_IN_CLEAR and (keyed or "text" in declared):
            # Learning content: its free-text keys are declared, or (reflections) the words
            # travel apart in a declared `text` field; what stays in clear is vocabulary keys.
            continue
        problems.append(name)
    return [f"{event_class.__qualname__}.{p}" for p in problems]


def test_the_walk_finds_the_events_of_every_context() -> None:
    names = {cls.__qualname__ for cls in event_classes()}
    for expected in (
        "Account.Registered",
        "SignInAttempt.Recorded",
        "Erasure.Recorded",
        "Provider.ListingEditProposed",
        "ApplicationDraft.AnswersSaved",
        "ProblemReport.Reported",
        "Enquiry.Received",
        "UnmetDemandSignal.Recorded",
        "Reflection.Revised",
        "Experiment.ObservationAdded",
        "Team.Formed",
    ):
        assert expected in names


def test_every_field_of_every_event_is_declared_personal_or_known_not_to_be() -> None:
    problems = [problem for cls in event_classes() for problem in undeclared(cls)]
    assert problems == []


def test_a_new_field_with_an_unknown_name_fails() -> None:
    class Probe(Aggregate):
        @dataclasses.dataclass(frozen=True)
        class Noted(Aggregate.Event):
            by: object
            carer_name: str

    assert undeclared(Probe.Noted) == [f"{Probe.Noted.__qualname__}.carer_name"]


def test_a_personal_key_of_an_edit_left_out_fails() -> None:
    from cairn.domain.directory.provider import Provider

    class Probe(Aggregate):
        @dataclasses.dataclass(frozen=True)
        class Edited(Aggregate.Event):
            changes: dict[str, object]

    Probe.Edited.personal_fields = ("changes.phone",)  # type: ignore[attr-defined]
    assert f"{Probe.Edited.__qualname__}.changes.contact_name" in undeclared(Probe.Edited)
    assert undeclared(Provider.ListingEditProposed) == []
