"""Who may use which route: the table the authorization matrix test checks.

ADD AN ENTRY HERE FOR EVERY NEW ROUTE. The test walks `app.url_map`; a route (endpoint and
method) without an entry fails it, and so does an entry for a route that no longer exists.

Each entry maps an endpoint to {method: {role: expected status}}. GETs are sent with no
query string; POSTs with a valid CSRF token and otherwise empty form, so "allowed" usually
means 200/302 for GET and 400 (form errors) or 302 (refused with a message) for POST.
Helpers below build the common shapes. If your route needs a URL argument, add a way to
make it to URL_VALUES (keyed by the argument name in the rule) from the `World`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import Flask
from werkzeug.routing import Rule

from cairn.domain.accounts.roles import Role
from cairn.domain.learning.reflection import Reflection
from cairn.web.api.oruk import TAXONOMY_ID, stable_id
from tests.support.learning import experiment, heard_voice, reflection
from tests.support.providers import approve_with_checks

ANONYMOUS = "anonymous"
PROVIDER = "provider"
TEAM_A = "team member of team A"
TEAM_B = "team member of team B"
ADMIN = "CIC admin"
LEAD = "partnership lead"  # in no team: reads each team's 'shared' learning, records funding
ROLES = (ANONYMOUS, PROVIDER, TEAM_A, TEAM_B, ADMIN, LEAD)

# How each signed-in role is made (email, roles). Team membership comes from the learning
# context: when teams exist, put these two accounts in team A and team B in build_world.
ACCOUNTS: dict[str, tuple[str, tuple[Role, ...]]] = {
    PROVIDER: ("provider@matrix.example", (Role.PROVIDER,)),
    TEAM_A: ("team-a@matrix.example", (Role.TEAM_MEMBER,)),
    TEAM_B: ("team-b@matrix.example", (Role.TEAM_MEMBER,)),
    ADMIN: ("admin@matrix.example", (Role.CIC_ADMIN,)),
    LEAD: ("lead@matrix.example", (Role.PARTNERSHIP_LEAD,)),
}

SIGN_IN_REDIRECT = 302  # signed-out people are sent to the sign-in page


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(*roles: str, ok: int = 200, others: int = 403) -> dict[str, int]:
    """Allowed for `roles`; other signed-in people get 403; signed-out go to sign in."""
    table = {role: (ok if role in roles else others) for role in ROLES}
    if ANONYMOUS not in roles:
        table[ANONYMOUS] = SIGN_IN_REDIRECT
    return table


def signed_in(ok: int = 200) -> dict[str, int]:
    return only(PROVIDER, TEAM_A, TEAM_B, ADMIN, LEAD, ok=ok)


@dataclass
class World:
    """Things that exist before the matrix runs, for URL arguments."""

    account_ids: dict[str, UUID] = field(default_factory=dict)
    provider_id: UUID | None = None  # an application made by the PROVIDER account
    extra: dict[str, Any] = field(default_factory=dict)  # for other contexts' ids


def build_world(runtime: Any, world: World) -> None:
    """Create what URL_VALUES need. Accounts already exist in `world.account_ids`.

    The PROVIDER account runs a listed provider (checks recorded, approved) with an enquiry
    and a problem report; TEAM_A is a member (not lead) of team A, which has a reflection
    and an experiment; TEAM_B is a member of team B. A spare member of team A is there to be
    removed, so removing them never changes who the matrix's roles are."""
    app = runtime.app
    admin = world.account_ids[ADMIN]
    done = app.directory.apply(
        name="Matrix Care",
        contact_name="Morag Matrix",
        email="provider@matrix.example",
        postcode="KA7 1AA",
        services=["gardening"],
        account_id=world.account_ids[PROVIDER],
    )
    world.provider_id = done.id
    approve_with_checks(app, done.id, by=admin)
    world.extra["enquiry_id"] = app.enquiries.send(
        done.id, name="Nan Enquirer", contact="nan@matrix.example", message="Help", consent=True
    ).id
    world.extra["report_id"] = app.directory.report_problem(
        done.id, category="contact-details-wrong", details="Old phone", reporter_email=None
    ).id
    spare = app.accounts.register(
        "spare@matrix.example", "Spare", [Role.TEAM_MEMBER], "a long enough password"
    )
    world.extra["spare_id"] = spare.id
    team_a = app.learning.form_team("Team A", "Lifts", by=admin).id
    for member in (world.account_ids[TEAM_A], spare.id):
        app.learning.add_member(team_a, member, by=admin)
    team_b = app.learning.form_team("Team B", "Carers", by=admin).id
    app.learning.add_member(team_b, world.account_ids[TEAM_B], by=admin)
    world.extra["team_id"] = team_a
    world.extra["team_b_id"] = team_b
    world.extra["reflection_id"] = app.learning.record_reflection(
        team_a, reflection(), by=world.account_ids[TEAM_A]
    ).id
    app.learning.hear_voice(
        world.extra["reflection_id"], heard_voice(), by=world.account_ids[TEAM_A]
    )
    [world.extra["voice_id"]] = app.load(Reflection, world.extra["reflection_id"]).voices
    last = app.learning.propose_experiment(team_a, experiment(), by=world.account_ids[TEAM_A])
    world.extra["experiment_id"] = last.id
    # The spare member's comment: nobody the matrix signs in as may change it.
    world.extra["comment_id"] = app.learning.comment(last.id, "A comment", by=spare.id).id
    # Funding, recorded by the CIC administrator: a fund, a tier and a commitment.
    fund = app.funding.open_fund(
        "Matrix ADP",
        "Matrix fund",
        starts_on=date(2026, 4, 1),
        ends_on=date(2029, 3, 31),
        restricted=False,
        by=admin,
    ).id
    world.extra["fund_id"] = fund
    world.extra["tier_id"] = app.funding.define_tier(1, "Universal", by=admin).id
    world.extra["commitment_id"] = app.funding.commit(
        last.id,
        tier_id=world.extra["tier_id"],
        starts_on=date(2026, 9, 1),
        months=12,
        parts={fund: Decimal("1000")},
        by=admin,
    ).id
    world.extra["feedback_id"] = app.enquiries.send_feedback(
        verdict="easy", text="Found help quickly", page="/search"
    ).id
    runtime.wait_for(app.head())
    # The approval's email, kept on this machine (no mail server here): one to open.
    runtime.mail_sender.run_once()
    from cairn.readmodels.mail.local_mail import local_messages

    world.extra["local_message_id"] = local_messages(runtime.read_engine)[0].id


URL_VALUES: dict[str, Callable[[World], Any]] = {
    "provider_id": lambda w: w.provider_id,
    "source_id": lambda w: UUID("00000000-0000-4000-8000-00000000c0de"),  # no such source
    "service_id": lambda w: str(w.provider_id),
    "filename": lambda w: "cairn.css",
    "action": lambda w: "approve",
    "feedback_id": lambda w: w.extra["feedback_id"],
    "step": lambda w: "services",
    "report_id": lambda w: w.extra["report_id"],
    "enquiry_id": lambda w: w.extra["enquiry_id"],
    "team_id": lambda w: w.extra["team_id"],  # team A's: team B's member must be kept out
    "account_id": lambda w: w.extra["spare_id"],
    "reflection_id": lambda w: w.extra["reflection_id"],
    "experiment_id": lambda w: w.extra["experiment_id"],
    "fund_id": lambda w: w.extra["fund_id"],
    "tier_id": lambda w: w.extra["tier_id"],
    "commitment_id": lambda w: w.extra["commitment_id"],
    "observation_id": lambda w: UUID(int=1),  # no such observation
    "number": lambda w: 1,  # a version of the reflection
    "token": lambda w: "not-a-token",  # an emailed link that was altered: refused, for anyone
    "key": lambda w: "approved/nothing/1",  # no such email waits to be tried again
    "message_id": lambda w: w.extra["local_message_id"],
    "claim_id": lambda w: UUID(int=7),  # no such claim: refused with a message
    "decision": lambda w: "approve",
    "taxonomy_id": lambda w: TAXONOMY_ID,
    # The PROVIDER's listing (postcode KA7 1AA) at its own district, and its organization.
    "service_at_location_id": lambda w: stable_id("service_at_location", w.provider_id, "KA7"),
    "organization_id": lambda w: stable_id("organization", w.provider_id),
    "term": lambda w: "gardening",  # a service-type key: still read as its term
    "check": lambda w: "pvg",
    "comment_id": lambda w: w.extra["comment_id"],
    "voice_id": lambda w: w.extra["voice_id"],
    "review_id": lambda w: UUID(int=11),  # no such review
    "file_id": lambda w: UUID(int=9),  # no such file: 404, and never for anyone but the CIC
}


def learning_members(ok: int = 200) -> dict[str, int]:
    """Pages for anyone in the learning system (a team member, a partnership lead or a CIC
    admin); what each sees on them is filtered by what they may read."""
    return only(TEAM_A, TEAM_B, ADMIN, LEAD, ok=ok)


def partnership(ok: int = 200) -> dict[str, int]:
    """The partnership's own pages and forms: partnership leads and CIC admins."""
    return only(ADMIN, LEAD, ok=ok)


def team_a_only(ok: int = 200, others: int = 403) -> dict[str, int]:
    """Team A's own learning: team B, the CIC admin and the partnership lead are kept out
    (`others`: 404 where even the thing's existence must not leak)."""
    table = only(TEAM_A, ok=ok)
    table[TEAM_B] = table[ADMIN] = table[LEAD] = others
    return table


def readable_by_team_a() -> dict[str, int]:
    """A page of team A's team-only item, open to whoever its visibility lets read it."""
    table = team_a_only(others=404)
    table[PROVIDER] = 404
    return table


def team_managers(ok: int) -> dict[str, int]:
    """Changing who is in team A and what it shares: its lead or a CIC admin (and for its
    members, a partnership lead) only (TEAM_A is a member, not the lead). Other learning
    members are refused by the domain with the message "Only a team lead ... can do that",
    shown the same way as a form error (`ok`), so the matrix cannot tell them apart by
    status; the learning view tests check the message."""
    return learning_members(ok=ok)


def provider_account(ok: int = 200) -> dict[str, int]:
    return only(PROVIDER, ok=ok)


STAFF_TO_HOME = 302  # a staff account is told to sign out before applying as a provider

EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "static": {"GET": everyone(200)},
    # -- public pages ------------------------------------------------------------------------
    "public.home": {"GET": everyone(200)},
    "public.providers": {"GET": everyone(200)},
    "public.language": {"POST": everyone(302)},
    "search.search": {"GET": everyone(200)},
    "search.profile": {"GET": everyone(200)},
    "pages.privacy": {"GET": everyone(200)},
    "pages.standards": {"GET": everyone(200)},
    # -- emailed links: a forgotten password, an invitation (a bad link is 410 for anyone) ----
    "resets.forgotten": {"GET": everyone(200), "POST": everyone(400)},
    "resets.sent": {"GET": everyone(200)},
    "resets.new_password": {"GET": everyone(410), "POST": everyone(410)},
    "email_checks.confirm": {"GET": everyone(410), "POST": everyone(410)},
    "email_checks.send_again": {"POST": signed_in(302)},
    "email_changes.ask": {"POST": signed_in(400)},
    "email_changes.use": {"GET": everyone(410), "POST": everyone(410)},
    "invitations.accept": {"GET": everyone(410), "POST": everyone(410)},
    "listing_check.check": {"GET": everyone(410), "POST": everyone(410)},
    "listing_check.intake": {"POST": everyone(410)},
    "claims.claim": {"GET": everyone(200), "POST": everyone(400)},
    "shortlist.show": {"GET": everyone(200)},
    "shortlist.shared": {"GET": everyone(200)},
    "shortlist.add": {"POST": everyone(302)},  # the listed provider is saved
    "shortlist.remove": {"POST": everyone(302)},
    "shortlist.keep": {"POST": everyone(302)},
    "shortlist.email": {"POST": everyone(404)},  # no mail server is configured here
    "pages.accessibility": {"GET": everyone(200)},
    "pages.feedback": {"GET": everyone(200), "POST": everyone(400)},
    "pages.feedback_sent": {"GET": everyone(200)},
    # "Tell the CIC I could not find help": back to the search (a signal only if it is empty).
    "search.could_not_find": {"POST": everyone(302)},
    "funding.funding": {"GET": everyone(200)},
    "funding.years_download": {"GET": everyone(200)},
    "funding.experiments_download": {"GET": everyone(200)},
    "funding.json_download": {"GET": everyone(200)},
    # -- recording funding: the CIC administrator; an empty form is refused with messages --
    "funding.record_home": {"GET": partnership()},
    "funding.new_fund": {"GET": partnership(), "POST": partnership(ok=400)},
    "funding.fund_page": {"GET": partnership(), "POST": partnership(ok=400)},
    "funding.allocate": {"POST": partnership(ok=400)},
    "funding.tiers_page": {"GET": partnership(), "POST": partnership(ok=400)},
    "funding.correct_tier": {"POST": partnership(ok=400)},
    "funding.new_commitment": {"GET": partnership(), "POST": partnership(ok=400)},
    "funding.commitment_page": {"GET": partnership(), "POST": partnership(ok=400)},
    "funding.record_spend": {"POST": partnership(ok=400)},
    "funding.correct_spend": {"POST": partnership(ok=400)},
    "provider.report": {"GET": everyone(200), "POST": everyone(400)},
    "provider.report_sent": {"GET": everyone(200)},
    "enquiries.send": {"POST": everyone(400)},
    "enquiries.sent": {"GET": everyone(200)},
    # -- the ORUK API is open data ---------------------------------------------------------
    # For load balancers and systemd: the process answers; the node is current.
    "health.healthz": {"GET": everyone(200)},
    "health.readyz": {"GET": everyone(200)},
    # Only for Prometheus with CAIRN_METRICS_TOKEN (a bearer token); for everyone else, none.
    "metrics.metrics": {"GET": everyone(404)},
    "api.info": {"GET": everyone(200)},
    "api.openapi": {"GET": everyone(200)},
    "api.services": {"GET": everyone(200)},
    "api.one_service": {"GET": everyone(200)},
    "api.taxonomies": {"GET": everyone(200)},
    "api.terms": {"GET": everyone(200)},
    "api.one_taxonomy": {"GET": everyone(200)},
    "api.one_term": {"GET": everyone(200)},
    "api.services_at_locations": {"GET": everyone(200)},
    "api.one_service_at_location": {"GET": everyone(200)},
    "api.organizations": {"GET": everyone(200)},
    "api.one_organization": {"GET": everyone(200)},
    # -- signing in ------------------------------------------------------------------------
    "accounts.login": {"GET": everyone(200), "POST": everyone(400)},
    "accounts.logout": {"POST": everyone(302)},
    # -- a person's own account; administrators managing accounts -------------------------
    "accounts.account": {"GET": signed_in(200)},
    "accounts.change_password": {"POST": signed_in(400)},  # empty form: errors
    "accounts.sign_out_everywhere": {"POST": signed_in(302)},  # the matrix signs in again
    "accounts.learning_notices": {"POST": signed_in(400)},  # neither on nor off: refused
    "accounts.manage": {"GET": only(ADMIN)},
    "accounts.managed": {"GET": only(ADMIN)},  # the spare account
    "accounts.disable": {"POST": only(ADMIN, ok=400)},  # no reason given
    "accounts.enable": {"POST": only(ADMIN, ok=400)},
    # The spare account becomes a partnership lead (a redirect back to its page).
    "accounts.make_partnership_lead": {"POST": only(ADMIN, ok=302)},
    # -- applying: anyone may start; a provider with a listing goes to its dashboard --------
    "provider.apply": {
        "GET": {**everyone(STAFF_TO_HOME), ANONYMOUS: 200, PROVIDER: 302},
        "POST": {**everyone(STAFF_TO_HOME), ANONYMOUS: 400, PROVIDER: 400},
    },
    "provider.applied": {"GET": everyone(200)},
    # After the first step, the same page for every email: sign in to carry on.
    "provider.started": {"GET": everyone(200)},
    # The provider has a listing and no draft, so the later steps send them back to /apply.
    "provider.step": {"GET": provider_account(302), "POST": provider_account(302)},
    "provider.check": {"GET": provider_account(302), "POST": provider_account(302)},
    # -- a provider's own listing and inbox --------------------------------------------------
    "provider.dashboard": {"GET": provider_account()},
    "provider.edit_listing": {"GET": provider_account(), "POST": provider_account(400)},
    # An empty decision is refused with a message and a redirect to the dashboard.
    "provider.answer": {"POST": provider_account(302)},
    "provider.confirm": {"POST": provider_account(302)},
    "provider.withdraw": {"POST": provider_account(302)},
    "enquiries.provider_inbox": {"GET": provider_account()},
    "enquiries.mark_answered": {"POST": provider_account(302)},
    "enquiries.enquiry": {"GET": provider_account()},
    "provider.set_intake": {"POST": provider_account(400)},
    "enquiries.reply": {"POST": provider_account(400)},
    "enquiries.decline": {"POST": provider_account(400)},
    # -- the CIC's workspace -----------------------------------------------------------------
    "admin.index": {"GET": only(ADMIN, ok=302)},
    "admin.queue": {"GET": only(ADMIN)},
    # Asked with nothing to compare against: nothing to tell (204).
    "admin.queue_news": {"GET": only(ADMIN, ok=204)},
    "admin.applications": {"GET": only(ADMIN)},
    "admin.provider": {"GET": only(ADMIN)},
    "admin.coverage_table": {"GET": only(ADMIN)},
    "admin.coverage_csv": {"GET": only(ADMIN)},
    # Without ?district= it names no cell: 404 for the admin, still hidden from others.
    "admin.coverage_providers": {"GET": only(ADMIN, ok=404)},
    # An empty decision is refused with a message and a redirect back to the provider.
    "admin.decide": {"POST": only(ADMIN, ok=302)},
    "admin.record_check": {"POST": only(ADMIN, ok=400)},  # an empty form: its mistakes shown
    "admin.evidence": {"GET": only(ADMIN, ok=404)},
    "admin.resolve_report": {"POST": only(ADMIN, ok=302)},
    "admin.assign": {"POST": only(ADMIN, ok=302)},
    "admin.unassign": {"POST": only(ADMIN, ok=302)},
    "admin.add_note": {"POST": only(ADMIN, ok=302)},
    # GET shows the decision; an empty POST (no version) is refused on the page.
    "admin.confirm_decision": {"GET": only(ADMIN), "POST": only(ADMIN, ok=400)},
    # An empty POST has no file (preview) or no stash (apply): refused on the page.
    "admin.import_upload": {"GET": only(ADMIN)},
    "admin.import_preview": {"POST": only(ADMIN, ok=400)},
    "admin.import_apply": {"POST": only(ADMIN, ok=400)},
    # Other provision: an empty POST has no source name; the world has no source to remove.
    "admin.other_provision": {"GET": only(ADMIN)},
    "admin.load_other_provision": {"POST": only(ADMIN, ok=400)},
    "admin.confirm_remove_other_provision": {"GET": only(ADMIN, ok=404)},
    "admin.remove_other_provision": {"POST": only(ADMIN, ok=404)},
    "admin.coverage_other": {"GET": only(ADMIN, ok=404)},
    "audit.log": {"GET": only(ADMIN)},
    "demand.unmet_demand": {"GET": only(ADMIN)},
    "feedback.list_feedback": {"GET": only(ADMIN)},
    # Done (or refused with a message, once deleted), and a redirect back to the list.
    "feedback.deal_with": {"POST": only(ADMIN, ok=302)},
    "feedback.delete": {"POST": only(ADMIN, ok=302)},
    "lockouts.lockouts": {"GET": only(ADMIN)},
    "invite.invitations": {"GET": only(ADMIN)},
    "invite.invite_all": {"POST": only(ADMIN, ok=302)},
    "invite.invite_one": {"POST": only(ADMIN, ok=302)},
    "claim_review.claims": {"GET": only(ADMIN)},
    "claim_review.decide": {"POST": only(ADMIN, ok=302)},
    "mail.outbox": {"GET": only(ADMIN)},
    "mail.retry": {"POST": only(ADMIN, ok=302)},
    "mail.local": {"GET": only(ADMIN)},
    "mail.local_one": {"GET": only(ADMIN)},
    "lockouts.unlock": {"POST": only(ADMIN, ok=302)},
    # -- the learning system -----------------------------------------------------------------
    "learning.home": {"GET": learning_members()},
    "learning.search": {"GET": learning_members()},
    "learning.new_team": {"GET": partnership(), "POST": partnership(ok=400)},
    "learning.new_account": {"GET": partnership(), "POST": partnership(ok=400)},
    "learning.partnership": {"GET": partnership()},
    # Team A's pages: other teams see the team, and only what it shares with them.
    "learning.team": {"GET": learning_members()},
    "learning.timeline": {"GET": learning_members()},
    "learning.board": {"GET": learning_members()},
    "learning.themes": {"GET": learning_members()},
    "learning.principles": {"GET": learning_members()},
    "learning.changes": {"GET": learning_members()},
    "learning.report": {"GET": learning_members()},
    "learning.export_csv": {"GET": learning_members()},
    "learning.add_member": {"POST": team_managers(ok=400)},
    "learning.remove_member": {"POST": team_managers(ok=302)},
    "learning.sharing": {"POST": team_managers(ok=400)},
    "learning.add_partner": {"POST": team_managers(ok=400)},
    "learning.remove_partner": {"POST": team_managers(ok=302)},  # the spare is no partner
    # The conversation: comments need only that the item can be read (an empty one: 400).
    "learning.comment_on_experiment": {"POST": team_a_only(ok=400, others=404) | {PROVIDER: 404}},
    "learning.comment_on_reflection": {"POST": team_a_only(ok=400, others=404) | {PROVIDER: 404}},
    # Only its author may change a comment (the spare member's, here).
    "learning.edit_comment": {"GET": signed_in(403), "POST": signed_in(403)},
    "learning.remove_comment": {"POST": signed_in(403)},
    "learning.review_experiment": {"POST": team_a_only(ok=400, others=404)},
    "learning.review_reflection": {"POST": team_a_only(ok=400, others=404)},
    "learning.mark_reviewed": {"POST": only(TEAM_A, TEAM_B, ADMIN, LEAD, ok=404)},
    "learning.new_reflection": {"GET": team_a_only(), "POST": team_a_only(ok=400)},
    "learning.new_experiment": {"GET": team_a_only(), "POST": team_a_only(ok=400)},
    "learning.open_learning": {"GET": everyone(200)},
    # Team A's reflection and experiment (team-only): to anyone else signed in they do not
    # exist; the signed-out are asked to sign in (a public one they could read).
    "learning.reflection": {"GET": readable_by_team_a()},
    "learning.versions": {"GET": readable_by_team_a()},
    # Redacting a version: team A's lead only (TEAM_A is a plain member: 403); to team B
    # and the CIC admin, who cannot read this team-only reflection, it does not exist.
    "learning.redact_version": {
        "GET": team_a_only(ok=403, others=404),
        "POST": team_a_only(ok=403, others=404),
    },
    "learning.edit_reflection": {
        "GET": team_a_only(others=404),
        "POST": team_a_only(ok=400, others=404),
    },
    # Voices heard in it: its team's members keep, correct and withdraw them (an empty form
    # is refused with a message: 400); to those who cannot read it, it does not exist.
    "learning.hear_voice": {
        "GET": team_a_only(others=404),
        "POST": team_a_only(ok=400, others=404),
    },
    "learning.edit_voice": {
        "GET": team_a_only(others=404),
        "POST": team_a_only(ok=400, others=404),
    },
    "learning.withdraw_consent": {
        "GET": team_a_only(others=404),
        "POST": team_a_only(ok=400, others=404),
    },
    "learning.experiment": {"GET": readable_by_team_a()},
    "learning.edit_experiment": {
        "GET": team_a_only(others=404),
        "POST": team_a_only(ok=400, others=404),
    },
    # A proposed experiment cannot be concluded or observed yet: refused with a message.
    "learning.start_experiment": {"POST": team_a_only(ok=302, others=404)},
    "learning.begin_sense_making": {"POST": team_a_only(ok=302, others=404)},
    "learning.add_observation": {"POST": team_a_only(ok=400, others=404)},
    # It has no observations: the one asked for is not there, even for team A.
    "learning.correct_observation": {
        "GET": team_a_only(ok=404, others=404),
        "POST": team_a_only(ok=404, others=404),
    },
    # Before it runs there is no locked prediction to amend: refused with a message.
    "learning.amend_prediction": {
        "GET": team_a_only(ok=302, others=404),
        "POST": team_a_only(ok=302, others=404),
    },
    "learning.hold_sense_making": {"POST": team_a_only(ok=400, others=404)},
    "learning.resume_experiment": {"POST": team_a_only(ok=400, others=404)},
    "learning.conclude": {
        "GET": team_a_only(ok=302, others=404),
        "POST": team_a_only(ok=302, others=404),
    },
}

# State-changing routes that may skip the CSRF check (e.g. an API with its own tokens).
CSRF_EXEMPT: set[str] = set()


# -- walking the URL map ------------------------------------------------------------------

CHECKED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def routes(app: Flask) -> list[tuple[Rule, str]]:
    return sorted(
        (
            (rule, method)
            for rule in app.url_map.iter_rules()
            for method in CHECKED_METHODS
            if method in (rule.methods or ())
        ),
        key=lambda pair: (pair[0].endpoint, pair[1]),
    )


def url_for_rule(rule: Rule, world: World) -> str:
    values: dict[str, Any] = {}
    for argument in rule.arguments:
        assert argument in URL_VALUES, (
            f"route {rule.rule} needs a value for <{argument}>: add it to URL_VALUES"
        )
        values[argument] = URL_VALUES[argument](world)
    built = rule.build(values, append_unknown=False)
    assert built is not None
    return built[1]
