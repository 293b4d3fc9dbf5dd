"""The learning system: teams, reflections, experiments and the learning logs that read them.

Everything under /learning is for signed-in members (team members and CIC administrators);
anyone else is sent to sign in. /funding is public. Every list goes through a query that
filters with the reader's visibility scopes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_login import current_user

from cairn.domain.accounts.roles import Role
from cairn.domain.errors import DomainError, NotFound, StaleState
from cairn.domain.learning.commands import NotAllowed
from cairn.domain.learning.content import ExperimentContent, ReflectionContent, parse_money
from cairn.domain.learning.visibility import Reader
from cairn.domain.learning.vocabulary import (
    ADAPT,
    EXPERIMENT_KINDS,
    LIVED_EXPERIENCE_VOICES,
    MAKING_SENSE,
    OUTCOMES,
    PRINCIPLES,
    STAGES,
    THEME_SUGGESTIONS,
    VISIBILITY,
    VOICES,
)
from cairn.domain.validation import Invalid, parse_date
from cairn.readmodels.learning import queries as q
from cairn.web.commanding import runtime, settle
from cairn.web.extensions import htmx
from cairn.web.i18n import translate
from cairn.web.learning.forms import (
    ConcludeForm,
    ExperimentForm,
    MemberForm,
    NewAccountForm,
    ObservationForm,
    RedactForm,
    ReflectionForm,
    SharingForm,
    StageForm,
    TeamForm,
)
from cairn.web.urls import external_url

bp = Blueprint("learning", __name__, template_folder="templates", url_prefix="/learning")
funding_bp = Blueprint("funding", __name__, template_folder="templates")

F = TypeVar("F", bound=Callable[..., Any])


def members_only(view: F) -> F:
    """Signed-out people are sent to sign in; accounts without a learning role get 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        if not (current_user.has_role(Role.TEAM_MEMBER) or current_user.has_role(Role.CIC_ADMIN)):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


@bp.record_once
def _template_globals(state: Any) -> None:
    """The learning vocabularies, for templates and the macros they import."""
    state.app.jinja_env.globals.update(
        PRINCIPLES=PRINCIPLES,
        VOICES=VOICES,
        VISIBILITY=VISIBILITY,
        STAGES=STAGES,
        OUTCOMES=OUTCOMES,
        EXPERIMENT_KINDS=EXPERIMENT_KINDS,
        pounds=lambda amount: format_currency(amount, "GBP"),
        split_items=_split,
    )
    state.app.jinja_env.filters["or_redacted"] = _or_redacted


def _or_redacted(title: str | None) -> str:
    """A reflection's title, or a plain word when the version showing it was redacted."""
    return title or _("(redacted)")


def _engine() -> Any:
    return runtime().read_engine


def _me() -> UUID:
    account_id: UUID = current_user.account_id
    return account_id


def _reader() -> Reader:
    return q.reader_of(_engine(), _me())


def _is_admin() -> bool:
    return bool(current_user.has_role(Role.CIC_ADMIN))


def _team_or_404(team_id: UUID) -> Any:
    team = q.team_by_id(_engine(), team_id)
    if team is None:
        abort(404)
    return team


def _can_manage(team_id: UUID) -> bool:
    if _is_admin():
        return True
    return any(m.id == _me() and m.is_lead for m in q.team_members(_engine(), team_id))


def _require_membership(team_id: UUID) -> None:
    """Only the team's own members write its learning: others get 403, not a form."""
    if team_id not in _reader().member_of:
        abort(403)


def _split(text: str | None) -> list[str]:
    return [part for part in (text or "").split(";") if part]


def _date_or_none(text: str | None) -> date | None:
    return parse_date(text) if text else None


def _ok(message: str) -> None:
    flash(message, "success")


# -- home and teams -------------------------------------------------------------------


@bp.get("/")
@members_only
def home() -> str:
    reader = _reader()
    teams = q.all_teams(_engine())
    return render_template(
        "learning/home.html",
        my_teams=[t for t in teams if t.id in reader.member_of],
        other_teams=[t for t in teams if t.id not in reader.member_of],
        recent=q.timeline(_engine(), reader, None, limit=10),
        is_admin=_is_admin(),
    )


@bp.route("/teams/new", methods=["GET", "POST"])
@members_only
def new_team() -> Any:
    if not _is_admin():
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
                    form.name.data, form.purpose.data or "", by=_me(), lead_id=lead_id
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            _ok(_("The team %(name)s is formed.", name=form.name.data))
            return redirect(url_for("learning.team", team_id=done.id))
    return render_template("learning/team_form.html", form=form), (
        400 if form.errors or form.form_errors else 200
    )


@bp.route("/accounts/new", methods=["GET", "POST"])
@members_only
def new_account() -> Any:
    """A CIC administrator creates an account for a new team member."""
    if not _is_admin():
        abort(403)
    form = NewAccountForm()
    form.team_id.choices = [("", _("Not yet"))] + [
        (str(t.id), t.name) for t in q.all_teams(_engine())
    ]
    if not form.is_submitted() and request.args.get("team"):
        form.team_id.data = request.args["team"]
    if form.validate_on_submit():
        app = runtime().app
        try:
            done = app.accounts.register(
                form.email.data, form.display_name.data, [Role.TEAM_MEMBER], form.password.data
            )
            if form.team_id.data:
                done = app.learning.add_member(UUID(form.team_id.data), done.id, by=_me())
            settle(done)
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            _ok(
                _(
                    "The account for %(name)s is ready. Give them their first password "
                    "safely; they can sign in now.",
                    name=form.display_name.data,
                )
            )
            if form.team_id.data:
                return redirect(url_for("learning.team", team_id=form.team_id.data))
            return redirect(url_for("learning.home"))
    return render_template("learning/account_form.html", form=form), (
        400 if form.errors or form.form_errors else 200
    )


def _team_page(
    team_id: UUID,
    member_form: MemberForm | None = None,
    sharing_form: SharingForm | None = None,
    status: int = 200,
) -> Any:
    team = _team_or_404(team_id)
    others = [t for t in q.all_teams(_engine()) if t.id != team_id]
    shared = q.teams_shared_with(_engine(), team_id)
    if sharing_form is None:
        sharing_form = SharingForm(
            version=team.version,
            teams=[str(t.id) for t in shared],
            everyone=team.shares_with_everyone,
        )
    sharing_form.teams.choices = [(str(t.id), t.name) for t in others]
    reader = _reader()
    return render_template(
        "learning/team.html",
        team=team,
        members=q.team_members(_engine(), team_id),
        shared=shared,
        is_member=team_id in reader.member_of,
        can_manage=_can_manage(team_id),
        is_admin=_is_admin(),
        member_form=member_form or MemberForm(),
        sharing_form=sharing_form,
        experiments=q.experiments_of(_engine(), reader, team_id)[:5],
        recent=q.timeline(_engine(), reader, team_id, limit=5),
    ), status


@bp.get("/teams/<uuid:team_id>")
@members_only
def team(team_id: UUID) -> Any:
    return _team_page(team_id)


@bp.post("/teams/<uuid:team_id>/members")
@members_only
def add_member(team_id: UUID) -> Any:
    _team_or_404(team_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.learning.add_member_by_email(
                    team_id, form.email.data, by=_me(), as_lead=form.as_lead.data
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            _ok(_("%(email)s is now in the team.", email=form.email.data))
            return redirect(url_for("learning.team", team_id=team_id))
    return _team_page(team_id, member_form=form, status=400)


@bp.post("/teams/<uuid:team_id>/members/<uuid:account_id>/remove")
@members_only
def remove_member(team_id: UUID, account_id: UUID) -> Any:
    _team_or_404(team_id)
    try:
        settle(runtime().app.learning.remove_member(team_id, account_id, by=_me()))
    except DomainError as error:
        flash(translate(error.message), "error")
    else:
        _ok(_("They are no longer in the team."))
    return redirect(url_for("learning.team", team_id=team_id))


@bp.post("/teams/<uuid:team_id>/sharing")
@members_only
def sharing(team_id: UUID) -> Any:
    _team_or_404(team_id)
    form = SharingForm()
    form.teams.choices = [(str(t.id), t.name) for t in q.all_teams(_engine()) if t.id != team_id]
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.learning.share(
                    team_id,
                    [UUID(t) for t in form.teams.data or []],
                    everyone=form.everyone.data,
                    by=_me(),
                    expected_version=form.version.data,
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            _ok(_("Sharing is updated."))
            return redirect(url_for("learning.team", team_id=team_id))
    return _team_page(team_id, sharing_form=form, status=400)


# -- learning logs ----------------------------------------------------------------------


def _filters(team_id: UUID) -> tuple[q.TimelineFilter, list[str]]:
    """The timeline's filters from the URL; anything unreadable is dropped with a note."""
    args = request.args
    problems: list[str] = []

    def day(name: str) -> date | None:
        try:
            return _date_or_none(args.get(name, "").strip())
        except Invalid as error:
            problems.append(translate(error.message))
            return None

    experiment: UUID | None = None
    if args.get("experiment"):
        try:
            experiment = UUID(args["experiment"])
        except ValueError:
            problems.append(_("That experiment was not found."))
    principle = args.get("principle", "")
    voice = args.get("voice", "")
    return (
        q.TimelineFilter(
            theme=args.get("theme", "").strip().lower(),
            principle=principle if principle in PRINCIPLES else "",
            voice=voice if voice in VOICES else "",
            experiment=experiment,
            since=day("since"),
            until=day("until"),
        ),
        problems,
    )


@bp.get("/teams/<uuid:team_id>/timeline")
@members_only
def timeline(team_id: UUID) -> str:
    team = _team_or_404(team_id)
    reader = _reader()
    wanted, problems = _filters(team_id)
    entries = q.timeline(_engine(), reader, team_id, wanted)
    context = dict(
        team=team,
        entries=entries,
        wanted=wanted,
        problems=problems,
        themes=[t.key for t in q.tag_tallies(_engine(), reader, team_id, "theme")],
        experiments=q.experiments_of(_engine(), reader, team_id),
        is_member=team_id in reader.member_of,
    )
    template = "learning/_timeline.html" if htmx else "learning/timeline.html"
    return render_template(template, **context)


@bp.get("/teams/<uuid:team_id>/experiments")
@members_only
def board(team_id: UUID) -> str:
    team = _team_or_404(team_id)
    reader = _reader()
    return render_template(
        "learning/board.html",
        team=team,
        columns=q.board(_engine(), reader, team_id),
        is_member=team_id in reader.member_of,
    )


@bp.get("/teams/<uuid:team_id>/themes")
@members_only
def themes(team_id: UUID) -> str:
    team = _team_or_404(team_id)
    return render_template(
        "learning/themes.html",
        team=team,
        tallies=q.tag_tallies(_engine(), _reader(), team_id, "theme"),
    )


@bp.get("/teams/<uuid:team_id>/principles")
@members_only
def principles(team_id: UUID) -> str:
    team = _team_or_404(team_id)
    tallies = q.principle_tallies(_engine(), _reader(), team_id)
    return render_template(
        "learning/principles.html",
        team=team,
        touched=[t for t in tallies if t.count],
        quiet=[t for t in tallies if not t.count],
    )


@bp.get("/teams/<uuid:team_id>/changes")
@members_only
def changes(team_id: UUID) -> str:
    team = _team_or_404(team_id)
    return render_template(
        "learning/changes.html", team=team, changes=q.changes(_engine(), _reader(), team_id)
    )


# -- export ---------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _labels(keys: str, vocabulary: dict[str, str]) -> str:
    return "; ".join(_(vocabulary[k]) if k in vocabulary else k for k in _split(keys))


@bp.get("/teams/<uuid:team_id>/export.csv")
@members_only
def export_csv(team_id: UUID) -> Response:
    team = _team_or_404(team_id)
    reader = _reader()
    wanted, _problems = _filters(team_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Type"),
            _("Date"),
            _("Title"),
            _("Stage or outcome"),
            _("What happened or was tried"),
            _("What we noticed"),
            _("What we learned"),
            _("What next, or why"),
            _("Voices"),
            _("Themes"),
            _("Principles"),
            _("Who can read it"),
            _("Link"),
        ]
    )
    for r in q.timeline(_engine(), reader, team_id, wanted):
        writer.writerow(
            [
                _cell(v)
                for v in (
                    _("Reflection"),
                    r.happened_on.isoformat(),
                    _or_redacted(r.title),
                    "",
                    r.what_happened,
                    r.what_we_noticed,
                    r.what_we_learned,
                    r.what_next,
                    _labels(r.voices, VOICES),
                    "; ".join(_split(r.themes)),
                    _labels(r.principles, PRINCIPLES),
                    _(VISIBILITY[r.visibility]),
                    external_url("learning.reflection", reflection_id=r.id),
                )
            ]
        )
    for cycle in q.experiments_of(_engine(), reader, team_id):
        stage = _(OUTCOMES[cycle.outcome]) if cycle.outcome else _(STAGES[cycle.stage])
        day = cycle.concluded_on or cycle.started_on or cycle.proposed_on
        writer.writerow(
            [
                _cell(v)
                for v in (
                    _("Experiment (cycle %(n)s)", n=cycle.cycle),
                    day.isoformat(),
                    cycle.title,
                    stage,
                    cycle.what_we_try,
                    "",
                    cycle.learned,
                    cycle.reason,
                    "",
                    "",
                    "",
                    _(VISIBILITY[cycle.visibility]),
                    external_url("learning.experiment", experiment_id=cycle.id),
                )
            ]
        )
    filename = f"learning-log-{date.today().isoformat()}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM so spreadsheet programs read UTF-8 (Gaelic letters)
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Team": str(team.id),
        },
    )


@bp.get("/teams/<uuid:team_id>/report")
@members_only
def report(team_id: UUID) -> str:
    team = _team_or_404(team_id)
    reader = _reader()
    wanted, _problems = _filters(team_id)
    chains: dict[UUID, list[q.Cycle]] = {}
    for row in q.experiments_of(_engine(), reader, team_id):
        if row.chain_id not in chains:
            chains[row.chain_id] = q.story(_engine(), reader, row.chain_id)
    return render_template(
        "learning/report.html",
        team=team,
        wanted=wanted,
        entries=q.timeline(_engine(), reader, team_id, wanted),
        stories=list(chains.values()),
        changes=q.changes(_engine(), reader, team_id),
        principles=q.principle_tallies(_engine(), reader, team_id),
        today=date.today(),
    )


# -- reflections ------------------------------------------------------------------------------


def _reflection_choices(form: ReflectionForm, team_id: UUID) -> None:
    form.experiment_id.choices = [("", _("None"))] + [
        (str(x.id), _("%(title)s (cycle %(n)s)", title=x.title, n=x.cycle))
        for x in q.experiments_of(_engine(), _reader(), team_id)
    ]
    form.provider_id.choices = [("", _("None"))] + [
        (str(p.id), p.name) for p in q.approved_providers(_engine())
    ]


def _reflection_content(form: ReflectionForm) -> ReflectionContent:
    return ReflectionContent(
        title=form.title.data or "",
        happened_on=parse_date(form.happened_on.data),
        what_happened=form.what_happened.data or "",
        what_we_noticed=form.what_we_noticed.data or "",
        what_we_learned=form.what_we_learned.data or "",
        what_next=form.what_next.data or "",
        voices=tuple(form.voices.data or ()),
        consent_recorded=bool(form.consent_recorded.data),
        themes=tuple((form.themes.data or "").split(",")),
        principles=tuple(form.principles.data or ()),
        visibility=form.visibility.data or "",
        experiment_id=UUID(form.experiment_id.data) if form.experiment_id.data else None,
        provider_id=UUID(form.provider_id.data) if form.provider_id.data else None,
        district=form.district.data or "",
        signal=form.signal.data or "",
    )


def _reflection_form_page(
    form: ReflectionForm, team: Any, existing: Any = None, theirs: Any = None, status: int = 200
) -> Any:
    return render_template(
        "learning/reflection_form.html",
        form=form,
        team=team,
        existing=existing,
        theirs=theirs,
        suggestions=THEME_SUGGESTIONS,
        lived=LIVED_EXPERIENCE_VOICES,
    ), status


@bp.route("/teams/<uuid:team_id>/reflections/new", methods=["GET", "POST"])
@members_only
def new_reflection(team_id: UUID) -> Any:
    team = _team_or_404(team_id)
    _require_membership(team_id)
    form = ReflectionForm()
    _reflection_choices(form, team_id)
    if not form.is_submitted():
        form.happened_on.data = date.today().isoformat()
        form.experiment_id.data = request.args.get("experiment", "")
    if form.validate_on_submit():
        try:
            done = settle(
                runtime().app.learning.record_reflection(
                    team_id, _reflection_content(form), by=_me()
                )
            )
        except NotAllowed:
            abort(403)
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            _ok(_("Your reflection is saved."))
            return redirect(url_for("learning.reflection", reflection_id=done.id))
    status = 400 if form.is_submitted() else 200
    return _reflection_form_page(form, team, status=status)


def _readable_reflection(reflection_id: UUID) -> Any:
    row = q.reflection(_engine(), _reader(), reflection_id)
    if row is None:
        abort(404)  # not there, or not for this reader: the same answer, so nothing leaks
    return row


@bp.get("/reflections/<uuid:reflection_id>")
@members_only
def reflection(reflection_id: UUID) -> str:
    row = _readable_reflection(reflection_id)
    reader = _reader()
    versions = q.reflection_versions(_engine(), reader, reflection_id, row.team_id)
    return render_template(
        "learning/reflection.html",
        r=row,
        is_member=row.team_id in reader.member_of,
        author=q.names_of(_engine(), {row.author_id}).get(row.author_id, ""),
        version_count=len(versions),
        # The newest version is the one shown: if it was redacted, say so instead.
        redacted=versions[0].redacted if versions else None,
    )


@bp.get("/reflections/<uuid:reflection_id>/versions")
@members_only
def versions(reflection_id: UUID) -> str:
    row = _readable_reflection(reflection_id)
    return render_template(
        "learning/versions.html",
        r=row,
        versions=q.reflection_versions(_engine(), _reader(), reflection_id, row.team_id),
        can_redact=_can_manage(row.team_id),
    )


@bp.route("/reflections/<uuid:reflection_id>/versions/<int:number>/redact", methods=["GET", "POST"])
@members_only
def redact_version(reflection_id: UUID, number: int) -> Any:
    """Redact one version, in two steps (the reason, then a confirmation), without script."""
    row = _readable_reflection(reflection_id)
    if not _can_manage(row.team_id):
        abort(403)
    versions = q.reflection_versions(_engine(), _reader(), reflection_id, row.team_id)
    version = next((v for v in versions if v.key == number), None)
    if version is None or not version.shared:
        abort(404)  # a lead may read every version of their team's; an admin may not
    if version.redacted is not None:
        flash(_("That version is already redacted."), "error")
        return redirect(url_for("learning.versions", reflection_id=reflection_id))
    form = RedactForm()
    status = 200
    confirming = False
    if form.validate_on_submit():
        if form.confirmed.data != "yes":
            confirming = True  # the reason is in: now ask once more, plainly
        else:
            try:
                settle(
                    runtime().app.learning.redact_reflection_version(
                        reflection_id, number, reason=form.reason.data, by=_me()
                    )
                )
            except NotAllowed:
                abort(403)
            except DomainError as error:
                form.form_errors.append(translate(error.message))
            else:
                _ok(_("Version %(n)s is redacted. Its words are gone for good.", n=version.number))
                return redirect(url_for("learning.versions", reflection_id=reflection_id))
    if form.is_submitted() and (form.errors or form.form_errors):
        status = 400
    return render_template(
        "learning/redact.html", r=row, version=version, form=form, confirming=confirming
    ), status


@bp.route("/reflections/<uuid:reflection_id>/edit", methods=["GET", "POST"])
@members_only
def edit_reflection(reflection_id: UUID) -> Any:
    row = _readable_reflection(reflection_id)
    team = _team_or_404(row.team_id)
    if row.team_id not in _reader().member_of:
        abort(403)
    if request.method == "GET":
        form = ReflectionForm(
            version=row.version,
            title=row.title,
            happened_on=row.happened_on.isoformat(),
            what_happened=row.what_happened,
            what_we_noticed=row.what_we_noticed,
            what_we_learned=row.what_we_learned,
            what_next=row.what_next,
            voices=_split(row.voices),
            consent_recorded=row.consent_recorded,
            themes=", ".join(_split(row.themes)),
            principles=_split(row.principles),
            visibility=row.visibility,
            experiment_id=str(row.experiment_id or ""),
            provider_id=str(row.provider_id or ""),
            district=row.district,
            signal=row.signal,
        )
        _reflection_choices(form, row.team_id)
        return _reflection_form_page(form, team, existing=row)
    form = ReflectionForm()
    _reflection_choices(form, row.team_id)
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.learning.revise_reflection(
                    reflection_id,
                    _reflection_content(form),
                    by=_me(),
                    expected_version=form.version.data,
                )
            )
        except StaleState:
            # Someone saved first. Show their version beside what this person typed; the
            # form now carries the latest version, so saving again is a deliberate choice.
            latest = _readable_reflection(reflection_id)
            form.form_errors.append(
                _(
                    "Someone else saved a new version while you were editing. Their version is "
                    "shown below and your changes are still in the form. Save again to make "
                    "yours the latest; theirs stays in the history."
                )
            )
            form.version.data = latest.version
            form.version.raw_data = [str(latest.version)]
            return _reflection_form_page(form, team, existing=latest, theirs=latest, status=409)
        except NotAllowed:
            abort(403)
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            _ok(_("A new version is saved. Earlier versions are kept in the history."))
            return redirect(url_for("learning.reflection", reflection_id=reflection_id))
    return _reflection_form_page(form, team, existing=row, status=400)


# -- experiments --------------------------------------------------------------------------------


def _experiment_content(form: ExperimentForm) -> ExperimentContent:
    amount: Decimal | None = None
    if (form.funding_amount.data or "").strip():
        amount = parse_money(form.funding_amount.data)
    return ExperimentContent(
        kind=form.kind.data or "",
        title=form.title.data or "",
        purpose=form.purpose.data or "",
        question=form.question.data or "",
        what_we_try=form.what_we_try.data or "",
        prediction=form.prediction.data or "",
        signals=form.signals.data or "",
        who=form.who.data or "",
        where=form.where.data or "",
        starts_on=_date_or_none(form.starts_on.data),
        ends_on=_date_or_none(form.ends_on.data),
        funding_amount=amount,
        funder=form.funder.data or "",
        committed_months=form.committed_months.data,
        visibility=form.visibility.data or "",
    )


@bp.route("/teams/<uuid:team_id>/experiments/new", methods=["GET", "POST"])
@members_only
def new_experiment(team_id: UUID) -> Any:
    team = _team_or_404(team_id)
    _require_membership(team_id)
    form = ExperimentForm()
    if form.validate_on_submit():
        try:
            done = settle(
                runtime().app.learning.propose_experiment(
                    team_id, _experiment_content(form), by=_me()
                )
            )
        except NotAllowed:
            abort(403)
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            _ok(_("The experiment is proposed."))
            return redirect(url_for("learning.experiment", experiment_id=done.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "learning/experiment_form.html", form=form, team=team, existing=None
    ), status


def _readable_experiment(experiment_id: UUID) -> Any:
    row = q.experiment(_engine(), _reader(), experiment_id)
    if row is None:
        abort(404)
    return row


@bp.route("/experiments/<uuid:experiment_id>/edit", methods=["GET", "POST"])
@members_only
def edit_experiment(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    team = _team_or_404(row.team_id)
    if row.team_id not in _reader().member_of:
        abort(403)
    if request.method == "GET":
        form = ExperimentForm(
            version=row.version,
            kind=row.kind,
            title=row.title,
            purpose=row.purpose,
            question=row.question,
            what_we_try=row.what_we_try,
            prediction=row.prediction,
            signals=row.signals,
            who=row.who,
            where=row.place,
            starts_on=row.starts_on.isoformat() if row.starts_on else "",
            ends_on=row.ends_on.isoformat() if row.ends_on else "",
            funding_amount=str(row.funding_amount) if row.funding_amount is not None else "",
            funder=row.funder,
            committed_months=row.committed_months,
            visibility=row.visibility,
        )
        return render_template("learning/experiment_form.html", form=form, team=team, existing=row)
    form = ExperimentForm()
    status = 400
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.learning.revise_experiment(
                    experiment_id,
                    _experiment_content(form),
                    by=_me(),
                    expected_version=form.version.data,
                )
            )
        except StaleState:
            latest = _readable_experiment(experiment_id)
            form.form_errors.append(
                _(
                    "Someone else changed this experiment while you were editing. Their version "
                    "is shown below and your changes are still in the form. "
                    "Save again to use yours."
                )
            )
            form.version.data = latest.version
            form.version.raw_data = [str(latest.version)]
            return render_template(
                "learning/experiment_form.html",
                form=form,
                team=team,
                existing=latest,
                theirs=latest,
            ), 409
        except NotAllowed:
            abort(403)
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            _ok(_("The experiment is updated."))
            return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    return render_template(
        "learning/experiment_form.html", form=form, team=team, existing=row
    ), status


@bp.get("/experiments/<uuid:experiment_id>")
@members_only
def experiment(experiment_id: UUID) -> str:
    row = _readable_experiment(experiment_id)
    reader = _reader()
    cycles = q.story(_engine(), reader, row.chain_id)
    return render_template(
        "learning/experiment.html",
        x=row,
        cycles=cycles,
        is_member=row.team_id in reader.member_of,
        stage_form=StageForm(version=row.version),
        observation_form=ObservationForm(),
        today=date.today().isoformat(),
    )


def _lifecycle(experiment_id: UUID, act: Callable[[StageForm], Any], message: str) -> Any:
    row = _readable_experiment(experiment_id)
    form = StageForm()
    if not form.validate_on_submit():
        flash(
            form.errors.get("on", [_("Something was missing from the form. Try again.")])[0],
            "error",
        )
    else:
        try:
            settle(act(form))
        except NotAllowed:
            abort(403)
        except DomainError as error:
            flash(translate(error.message), "error")
        else:
            _ok(message)
    return redirect(url_for("learning.experiment", experiment_id=row.id))


@bp.post("/experiments/<uuid:experiment_id>/start")
@members_only
def start_experiment(experiment_id: UUID) -> Any:
    return _lifecycle(
        experiment_id,
        lambda form: runtime().app.learning.start_experiment(
            experiment_id,
            by=_me(),
            on=_date_or_none(form.on.data),
            expected_version=form.version.data,
        ),
        _("The experiment is running. Add observations as you notice things."),
    )


@bp.post("/experiments/<uuid:experiment_id>/making-sense")
@members_only
def begin_sense_making(experiment_id: UUID) -> Any:
    return _lifecycle(
        experiment_id,
        lambda form: runtime().app.learning.begin_sense_making(
            experiment_id,
            by=_me(),
            on=_date_or_none(form.on.data),
            expected_version=form.version.data,
        ),
        _("Time to make sense of it together."),
    )


@bp.post("/experiments/<uuid:experiment_id>/observations")
@members_only
def add_observation(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    form = ObservationForm()
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.learning.add_observation(
                    experiment_id, form.text.data, by=_me(), on=_date_or_none(form.on.data)
                )
            )
        except NotAllowed:
            abort(403)
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            _ok(_("Your observation is added."))
            return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    cycles = q.story(_engine(), _reader(), row.chain_id)
    return render_template(
        "learning/experiment.html",
        x=row,
        cycles=cycles,
        is_member=row.team_id in _reader().member_of,
        stage_form=StageForm(version=row.version),
        observation_form=form,
        today=date.today().isoformat(),
    ), 400


@bp.route("/experiments/<uuid:experiment_id>/conclude", methods=["GET", "POST"])
@members_only
def conclude(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    if row.team_id not in _reader().member_of:
        abort(403)
    if row.stage != MAKING_SENSE:
        flash(_("Only an experiment at the making-sense stage can be concluded."), "error")
        return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    form = ConcludeForm(version=row.version) if request.method == "GET" else ConcludeForm()
    if form.validate_on_submit():
        try:
            done = settle(
                runtime().app.learning.conclude_experiment(
                    experiment_id,
                    form.outcome.data,
                    learned=form.learned.data,
                    reason=form.reason.data,
                    next_try=form.next_try.data or "",
                    next_prediction=form.next_prediction.data or "",
                    by=_me(),
                    on=_date_or_none(form.on.data),
                    expected_version=form.version.data,
                )
            )
        except NotAllowed:
            abort(403)
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            if form.outcome.data == ADAPT:
                _ok(_("Concluded as adapt. The next cycle is proposed: check it and start it."))
            else:
                _ok(_("The experiment is concluded."))
            return redirect(url_for("learning.experiment", experiment_id=done.id))
    status = 400 if form.is_submitted() else 200
    return render_template("learning/conclude.html", form=form, x=row), status


# -- search -------------------------------------------------------------------------------------


@bp.get("/search")
@members_only
def search() -> str:
    text = request.args.get("q", "").strip()[:200]
    reader = _reader()
    results: list[tuple[str, Any]] = []
    if text:
        hits = runtime().learning_index.search(text, reader)
        reflections, experiments = q.search_rows(
            _engine(),
            reader,
            [h.id for h in hits if h.kind == "reflection"],
            [h.id for h in hits if h.kind == "experiment"],
        )
        for hit in hits:
            row = reflections.get(hit.id) if hit.kind == "reflection" else experiments.get(hit.id)
            if row is not None:
                results.append((hit.kind, row))
    template = "learning/_results.html" if htmx else "learning/search.html"
    return render_template(template, text=text, results=results)


# -- public funding page ----------------------------------------------------------------------


@funding_bp.get("/funding")
def funding() -> str:
    rows = q.funded_in_public(runtime().read_engine)
    total = sum((r.funding_amount for r in rows if r.funding_amount is not None), Decimal(0))
    return render_template("learning/funding.html", rows=rows, total=total)
