"""A short log with every kind of event the SQL read models handle, through the domain.

Several changes to one row sit close together in the log, so a batch holds a row's insert
and its later updates, deletes and re-inserts: what the batched projections must get right."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from cairn.domain.accounts.roles import Role
from cairn.domain.accounts.signins import record_sign_in, record_unlock
from cairn.domain.app import CairnApp
from cairn.domain.directory.other_provision import OtherService
from cairn.domain.directory.report import ProblemCategory
from cairn.domain.funding.commitment import Commitment
from cairn.domain.learning.content import ExperimentContent, ReflectionContent
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.reflection import Reflection
from cairn.domain.learning.vocabulary import ADAPT, HYPOTHESIS_TEST, TEAM
from tests.support.learning import heard_voice
from tests.support.providers import approve_with_checks


def write_varied_log(app: CairnApp) -> int:
    """Write the events; return the log's head."""
    admin = app.accounts.register(
        "admin@cic.example", "Admin", [Role.CIC_ADMIN], "a long enough password"
    ).id
    ann = app.accounts.register("ann@cic.example", "Ann", [], "a long enough password").id
    bob = app.accounts.register("bob@cic.example", "Bob", [], "a long enough password").id
    owner = app.accounts.register(
        "owner@cairn.example", "Pat", [Role.PROVIDER], "a long enough password"
    ).id

    # An account's own changes, close together: a batch holds the row's insert and updates.
    app.accounts.grant_role(bob, Role.PROVIDER)
    app.accounts.change_password(bob, "a long enough password", "another long password")
    app.accounts.disable(bob, "Left the CIC", by=admin)
    app.accounts.enable(bob, "Came back", by=admin)
    app.accounts.disable(bob, "Left again", by=admin)
    record_sign_in(app, ann, succeeded=False, reason="wrong-password")
    record_sign_in(app, ann, succeeded=True)
    record_unlock(app, ann, by=admin)

    providers = [
        app.directory.apply(
            name=f"Provider {n}",
            contact_name="Pat",
            email=f"p{n}@cairn.example",
            postcode="KA7 1AA",
            services=["gardening", "shopping"],
            account_id=owner if n == 0 else None,
        ).id
        for n in range(4)
    ]
    for provider_id in providers[:3]:
        approve_with_checks(app, provider_id, by=admin)
    app.directory.record_training(
        providers[0], by=admin, course="first-aid", completed_on=date(2026, 1, 5)
    )
    app.directory.propose_edit(providers[0], by=admin, changes={"name": "Carrick Care"})
    app.directory.approve_edit(providers[0], by=admin)
    # An application made online: its draft saved step by step, then sent.
    applicant = app.directory.start_application(
        email="drafter@cairn.example",
        contact_name="Dee Drafter",
        password="a long enough password",
        answers={"name": "Drafted Help"},
    ).id
    app.directory.save_draft(applicant, "services", {"services": ["gardening"]})
    # Emails' causes: an invitation taken up, a password reset, a renewal reminder.
    invitation = app.directory.invite(providers[2], by=admin).id
    app.directory.accept_invitation(
        invitation, password="a long enough password for p2", language="gd"
    )
    reset = app.resets.request_reset("ann@cic.example", "en")
    assert reset is not None
    app.resets.set_password(reset.id, "a new long enough password")
    app.directory.record_insurance(
        providers[0], by=admin, expires_on=app.clock().date() + timedelta(days=20)
    )
    app.directory.remind_renewals(app.clock().date(), [providers[0]])
    half_a_year = app.clock().date() + timedelta(days=200)
    app.directory.ask_for_confirmations(half_a_year, [providers[0]])
    app.directory.make_weekly_digest(app.clock().date(), {"applications": 1, "edits": 1})
    # Claims to look after a listing: one approved, one declined, one waiting.
    for n, decision in enumerate(("approve", "decline", None)):
        claim = app.directory.claim_listing(
            providers[1], name=f"Claimant {n}", email=f"c{n}@family.example", note="Mine"
        ).done.id
        if decision == "approve":
            app.directory.approve_claim(claim, by=admin)
        elif decision == "decline":
            app.directory.decline_claim(claim, by=admin, reason="Not known to them")
    app.directory.suspend(providers[1], by=admin, reason="Complaint")
    app.directory.withdraw(providers[3], by=admin, reason="Moved away")

    reported = app.directory.report_problem(
        providers[0],
        category=ProblemCategory.UNCLEAR.value,
        details="Which days?",
        reporter_email=None,
    ).id
    app.directory.resolve_report(reported, by=admin, note="Asked them")
    # The desk's own file: taken, given back, taken again, with a note.
    app.directory.assign(providers[1], by=admin, assignee=admin)
    app.directory.unassign(providers[1], by=admin)
    app.directory.assign(providers[1], by=admin, assignee=admin)
    app.directory.add_note(providers[1], by=admin, text="Called about the complaint")
    # Other provision: a source loaded, loaded again (replacing it), and one removed.
    lunch = OtherService("South Ayrshire Council", "Lunch club", ("KA7", "KA8"), ("companionship",))
    app.directory.load_other_provision("South Ayrshire Council", "csv", [lunch], by=admin)
    app.directory.load_other_provision(
        "south ayrshire council",
        "oruk",
        [lunch, OtherService("South Ayrshire Council", "Day centre", ("KA9",))],
        by=admin,
    )
    gone = app.directory.load_other_provision("Old list", "csv", [lunch], by=admin).id
    app.directory.remove_other_provision(gone, by=admin)
    app.directory.report_problem(
        providers[2],
        category=ProblemCategory.CONTACT.value,
        details="Nobody answers",
        reporter_email="someone@example.org",
    )

    answered = _enquiry(app, providers[0], "Ann")
    app.enquiries.claim_notification(answered, sender="worker-1")
    app.enquiries.record_notification_sent(answered, to="p0@cairn.example")
    app.enquiries.mark_answered(answered, by_account=owner)
    purged = _enquiry(app, providers[2], "Bob")
    app.enquiries.purge(
        purged,
        received_before=datetime.now(UTC) + timedelta(days=1),
        retention_days=365,
        shred=lambda _id: None,
    )
    _enquiry(app, providers[2], "Cat")

    app.enquiries.record_unmet_demand(
        district="KA7", services=["gardening", "shopping"], days=["mon"], times=["morning"]
    )
    app.enquiries.record_unmet_demand(district="KA8")
    # Feedback: one waiting, one dealt with, one deleted (its row goes).
    app.enquiries.send_feedback(verdict="easy", text="Found help quickly", page="/search")
    dealt = app.enquiries.send_feedback(verdict="mixed", text="The map was small").id
    app.enquiries.deal_with_feedback(dealt, by_account=owner)
    gone = app.enquiries.send_feedback(verdict="hard", text="Could not sign in").id
    app.enquiries.delete_feedback(gone, by_account=owner, shred=lambda _id: None)

    team = app.learning.form_team("Carrick", "Lifts", by=admin, lead_id=ann).id
    other = app.learning.form_team("Girvan", "Meals", by=admin).id
    app.learning.add_member(team, bob, by=ann)
    app.learning.add_member(team, bob, by=ann, as_lead=True)  # again, now as a lead
    app.learning.share(team, [other], everyone=False, by=ann)
    app.learning.share(team, [], everyone=True, by=ann)
    app.learning.share(other, [team], everyone=False, by=admin)
    app.learning.remove_member(team, bob, by=ann)
    app.learning.add_member(team, bob, by=ann)  # back again after leaving
    app.learning.add_member(other, ann, by=admin)
    app.learning.remove_member(other, ann, by=admin)

    reflection = app.learning.record_reflection(team, _reflection("Lifts"), by=ann).id
    app.learning.revise_reflection(
        reflection, _reflection("Lifts, revised", themes=("isolation",)), by=ann
    )
    app.learning.redact_reflection_version(reflection, 1, reason="Named a neighbour", by=admin)
    # Voices heard: one kept and corrected, one withdrawn (its rows emptied).
    for words in ("The bus is the hard part.", "Nobody asked me before."):
        app.learning.hear_voice(
            reflection,
            heard_voice(words=words, consent_on=app.clock().date() - timedelta(days=5)),
            by=ann,
        )
    kept, withdrawn = app.load(Reflection, reflection).voices
    app.learning.revise_voice_words(reflection, kept, "The bus is the hardest part.", by=ann)
    app.learning.withdraw_consent(reflection, withdrawn, app.clock().date(), by=ann)
    experiment = app.learning.propose_experiment(team, _experiment(), by=ann).id
    app.learning.start_experiment(experiment, by=ann)
    # Running: the lens is edited (its tag rows replaced), the plan stays as it was.
    app.learning.revise_experiment(
        experiment, replace(_experiment(), themes=("transport", "trust")), by=ann
    )
    observed = app.learning.add_observation(
        experiment, "Two came back", by=ann, role="practitioner", value=Decimal(2), unit="people"
    )
    app.learning.add_observation(experiment, "Three came back", by=bob, role="peer-worker")
    observation = next(iter(app.load(Experiment, observed.id).observations))
    app.learning.correct_observation(
        experiment,
        observation,
        "Four came back",
        by=bob,
        role="practitioner",
        value=Decimal(4),
        unit="people",
    )
    app.learning.amend_prediction(
        experiment,
        what_we_try="Lifts by phone",
        prediction="Half come back",
        signals="Who comes",
        reason="Too hopeful",
        by=ann,
    )
    app.learning.begin_sense_making(experiment, by=ann)
    app.learning.hold_sense_making(
        experiment,
        roles=("practitioner", "peer-worker"),
        notes="Phone first",
        voices=("peer-worker",),
        consent_recorded=True,
        by=ann,
    )
    app.learning.resume_experiment(experiment, reason="Another month", by=ann)
    app.learning.begin_sense_making(experiment, by=ann)
    app.learning.conclude_experiment(
        experiment,
        against_prediction="Half did",
        surprises="Phone calls",
        outcome=ADAPT,
        learned="Phone first",
        reason="Fewer no-shows",
        by=ann,
        next_try="Text reminders too",
        next_prediction="Fewer missed lifts",
    )
    # Another experiment builds on the first, then on both of its cycles.
    later = app.learning.propose_experiment(team, _experiment(), by=ann, builds_on=[experiment]).id
    cycles = [experiment, app.load(Experiment, experiment).next_id]
    app.learning.set_builds_on(later, [c for c in cycles if c is not None], by=ann)

    # The conversation: comments written, edited and removed, partners named and removed,
    # a review date set, moved, noticed and reviewed, and a person turning notices off.
    said = app.learning.comment(experiment, "Ask the drivers", by=bob).id
    app.learning.edit_comment(said, "Ask the drivers and the carers", by=bob)
    gone = app.learning.comment(reflection, "Too soon to say", by=ann).id
    app.learning.remove_comment(gone, by=ann)
    app.learning.name_partner(team, admin, by=ann)
    app.learning.remove_partner(team, admin, by=ann)
    app.learning.name_partner(other, ann, by=admin)
    today = app.clock().date()
    review = app.learning.set_review_date(experiment, today + timedelta(days=30), by=ann).id
    app.learning.set_review_date(experiment, today + timedelta(days=20), by=bob)
    app.learning.send_review_notices(today + timedelta(days=21), [review])
    app.learning.mark_reviewed(review, "Keep it", by=ann)
    app.learning.set_review_date(experiment, today + timedelta(days=60), by=ann)
    app.accounts.want_learning_notices(bob, False)
    app.accounts.want_learning_notices(bob, True)
    app.accounts.want_learning_notices(ann, False)

    # Funding: a fund and its allocations corrected, tiers, a commitment whose funds change,
    # spend and its correction, close together.
    fund = app.funding.open_fund(
        "ADP",
        "Fund",
        starts_on=date(2026, 4, 1),
        ends_on=date(2029, 3, 31),
        restricted=False,
        by=admin,
    ).id
    other_fund = app.funding.open_fund(
        "Council",
        "Small fund",
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        restricted=True,
        by=admin,
    ).id
    app.funding.correct_fund(
        fund,
        "ADP",
        "Test and learn fund",
        starts_on=date(2026, 4, 1),
        ends_on=date(2029, 3, 31),
        restricted=True,
        by=admin,
    )
    tier = app.funding.define_tier(1, "Universal", by=admin).id
    app.funding.define_tier(2, "Early help", by=admin)
    app.funding.correct_tier(tier, 1, "Universal and preventative", by=admin)
    app.funding.allocate(fund, tier, 2026, Decimal("30000"), by=admin)
    app.funding.allocate(fund, tier, 2026, Decimal("31000.50"), by=admin)
    commitment = app.funding.commit(
        experiment,
        tier_id=tier,
        starts_on=date(2026, 9, 1),
        months=36,
        parts={fund: Decimal("40000"), other_fund: Decimal("5000")},
        by=admin,
    ).id
    app.funding.correct_commitment(
        commitment,
        tier_id=tier,
        starts_on=date(2026, 9, 1),
        months=24,
        parts={fund: Decimal("45000")},
        by=admin,
    )
    app.funding.record_spend(commitment, Decimal("100"), on=date(2026, 10, 1), by=admin)
    spend_id = next(iter(app.load(Commitment, commitment).spend))
    app.funding.correct_spend(commitment, spend_id, Decimal("120"), on=date(2026, 10, 2), by=admin)
    return app.head()


def _enquiry(app: CairnApp, provider_id: UUID, name: str) -> UUID:
    return app.enquiries.send(
        provider_id,
        name=name,
        contact=f"{name.lower()}@example.org",
        message="Help with the garden, please",
        consent=True,
    ).id


def _reflection(title: str, **changes: object) -> ReflectionContent:
    fields: dict[str, object] = {
        "title": title,
        "happened_on": date(2026, 3, 1),
        "what_happened": "We asked people why they stopped coming.",
        "what_we_learned": "Asking for help has a cost.",
        "themes": ("transport",),
        "principles": ("person-led-care",),
        "visibility": TEAM,
    }
    fields.update(changes)
    return ReflectionContent(**fields)  # type: ignore[arg-type]


def _experiment() -> ExperimentContent:
    return ExperimentContent(
        kind=HYPOTHESIS_TEST,
        title="Community lifts",
        purpose="Keep people connected.",
        question="Will volunteer lifts bring people back?",
        what_we_try="Volunteer drivers booked by phone.",
        prediction="Most people come back weekly.",
        funding_amount=Decimal("18000.50"),
        funder="Carrick Learning Fund",
        visibility=TEAM,
        themes=("transport",),
        principles=("person-led-care",),
        voices=("unpaid-carer",),
        consent_recorded=True,
    )
