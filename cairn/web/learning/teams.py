"""The learning home, teams, their members and who a team shares its learning with."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cairn.domain.clock import today
from cairn.domain.errors import DomainError, NotFound
from cairn.readmodels.learning import queries as q
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import translate
from cairn.web.learning.common import (
    attempt,
    bp,
    can_add_members,
    can_manage,
    engine,
    is_admin,
    leads_partnership,
    me,
    members_only,
    ok,
    reader,
    status_of,
    team_or_404,
)
from cairn.web.learning.conversation_forms import PartnerForm
from cairn.web.learning.forms import MemberForm, NewAccountForm, SharingForm, TeamForm


@bp.get("/")
@members_only
def home() -> str:
    who = reader()
    teams = q.all_teams(engine())
    return render_template(
        "learning/home.html",
        my_teams=[t for t in teams if t.id in who.member_of],
        other_teams=[t for t in teams if t.id not in who.member_of],
        recent=q.timeline(engine(), who, None, limit=10),
        is_admin=is_admin(),
        runs_partnership=leads_partnership(),
    )


@bp.route("/teams/new", methods=["GET", "POST"])
@members_only
def new_team() -> Any:
    if not leads_partnership():
        abort(403)
    form = TeamForm()
    if form.validate_on_submit():
        try:
            lead_id = None
            if form.lead_email.data:
                lead_id = runtime().app.accounts.account_id_for(form.lead_email.data)
                if lead_id is None:
                    raise NotFound(
                        _("There is no account with that email. Create the account first.")
                    )
            done = settle(
                runtime().app.learning.form_team(
                    form.name.data, form.purpose.data or "", by=me(), lead_id=lead_id
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            ok(_("The team %(name)s is formed.", name=form.name.data))
            return redirect(url_for("learning.team", team_id=done.id))
    return render_template("learning/team_form.html", form=form), status_of(form)


@bp.route("/accounts/new", methods=["GET", "POST"])
@members_only
def new_account() -> Any:
    """A partnership lead or a CIC administrator creates an account for a new team member;
    only a CIC administrator may make it a partnership lead's (the domain checks both)."""
    if not leads_partnership():
        abort(403)
    form = NewAccountForm()
    form.team_id.choices = [("", _("Not yet"))] + [
        (str(t.id), t.name) for t in q.all_teams(engine())
    ]
    if not is_admin():
        del form.partnership_lead
    if not form.is_submitted() and request.args.get("team"):
        form.team_id.data = request.args["team"]
    if form.validate_on_submit():
        team_id = UUID(form.team_id.data) if form.team_id.data else None
        done = attempt(
            form,
            lambda: runtime().app.learning.create_member_account(
                form.email.data,
                form.display_name.data,
                form.password.data,
                by=me(),
                team_id=team_id,
                # Removed (None) for anyone but a CIC administrator, above.
                partnership_lead=bool(form.partnership_lead and form.partnership_lead.data),
            ),
        )
        if done is not None:
            ok(
                _(
                    "The account for %(name)s is ready. Give them their first password "
                    "safely; they can sign in now.",
                    name=form.display_name.data,
                )
            )
            if team_id is not None:
                return redirect(url_for("learning.team", team_id=team_id))
            return redirect(url_for("learning.home"))
    return render_template("learning/account_form.html", form=form), status_of(form)


def _team_page(
    team_id: UUID,
    member_form: MemberForm | None = None,
    sharing_form: SharingForm | None = None,
    status: int = 200,
    partner_form: PartnerForm | None = None,
) -> Any:
    team = team_or_404(team_id)
    shared = q.teams_shared_with(engine(), team_id)
    if sharing_form is None:
        sharing_form = SharingForm(
            version=team.version,
            teams=[str(t.id) for t in shared],
            everyone=team.shares_with_everyone,
        )
    _sharing_choices(sharing_form, team_id)
    who = reader()
    return render_template(
        "learning/team.html",
        team=team,
        members=q.team_members(engine(), team_id),
        shared=shared,
        is_member=team_id in who.member_of,
        can_manage=can_manage(team_id),
        can_add_members=can_add_members(team_id),
        runs_partnership=leads_partnership(),
        is_admin=is_admin(),
        member_form=member_form or MemberForm(),
        sharing_form=sharing_form,
        experiments=q.experiments_of(engine(), who, team_id)[:5],
        recent=q.timeline(engine(), who, team_id, limit=5),
        partners=q.team_partners(engine(), team_id),
        partner_form=partner_form or PartnerForm(formdata=None),
        # The team's own business: only its members see what is due.
        due=(
            q.reviews_due(engine(), team_id, today(runtime().app.clock))
            if team_id in who.member_of
            else []
        ),
    ), status


def team_page(team_id: UUID, *, partner_form: PartnerForm, status: int) -> Any:
    return _team_page(team_id, partner_form=partner_form, status=status)


def _sharing_choices(form: SharingForm, team_id: UUID) -> None:
    """Every other team: a team always reads its own learning."""
    form.teams.choices = [(str(t.id), t.name) for t in q.all_teams(engine()) if t.id != team_id]


@bp.get("/teams/<uuid:team_id>")
@members_only
def team(team_id: UUID) -> Any:
    return _team_page(team_id)


@bp.post("/teams/<uuid:team_id>/members")
@members_only
def add_member(team_id: UUID) -> Any:
    team_or_404(team_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.learning.add_member_by_email(
                    team_id, form.email.data, by=me(), as_lead=form.as_lead.data
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            ok(_("%(email)s is now in the team.", email=form.email.data))
            return redirect(url_for("learning.team", team_id=team_id))
    return _team_page(team_id, member_form=form, status=400)


@bp.post("/teams/<uuid:team_id>/members/<uuid:account_id>/remove")
@members_only
def remove_member(team_id: UUID, account_id: UUID) -> Any:
    team_or_404(team_id)
    try:
        settle(runtime().app.learning.remove_member(team_id, account_id, by=me()))
    except DomainError as error:
        flash(translate(error.message), "error")
    else:
        ok(_("They are no longer in the team."))
    return redirect(url_for("learning.team", team_id=team_id))


@bp.post("/teams/<uuid:team_id>/sharing")
@members_only
def sharing(team_id: UUID) -> Any:
    team_or_404(team_id)
    form = SharingForm()
    _sharing_choices(form, team_id)
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.learning.share(
                    team_id,
                    [UUID(t) for t in form.teams.data or []],
                    everyone=form.everyone.data,
                    by=me(),
                    expected_version=form.version.data,
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            ok(_("Sharing is updated."))
            return redirect(url_for("learning.team", team_id=team_id))
    return _team_page(team_id, sharing_form=form, status=400)
