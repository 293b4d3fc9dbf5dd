"""Experiments: proposing and revising one, its page, and moving it through its stages:
observations (and their corrections), amending a running plan with a reason, sense-making
sessions, going back to running, and concluding with the prediction in view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from cairn.domain.errors import DomainError
from cairn.domain.learning.commands import NotAllowed
from cairn.domain.learning.content import ExperimentContent, parse_measure, parse_money
from cairn.domain.learning.conversation import EXPERIMENT
from cairn.domain.learning.experiment import LENS_FIELDS, PLAN_FIELDS
from cairn.domain.learning.vocabulary import (
    ADAPT,
    CONCLUDED,
    MAKING_SENSE,
    PROPOSED,
    RUNNING,
    THEME_SUGGESTIONS,
)
from cairn.readmodels.learning import queries as q
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import translate
from cairn.web.learning.common import (
    attempt,
    attempt_revision,
    bp,
    date_or_none,
    engine,
    me,
    members_only,
    ok,
    readable_or_refused,
    reader,
    require_membership,
    team_or_404,
)
from cairn.web.learning.conversation_parts import conversation
from cairn.web.learning.forms import (
    AmendForm,
    ConcludeForm,
    ExperimentForm,
    ObservationForm,
    ResumeForm,
    SenseMakingForm,
    StageForm,
)


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
        starts_on=date_or_none(form.starts_on.data),
        ends_on=date_or_none(form.ends_on.data),
        funding_amount=amount,
        funder=form.funder.data or "",
        committed_months=form.committed_months.data,
        visibility=form.visibility.data or "",
        language=form.language.data or "",
        themes=tuple((form.themes.data or "").split(",")),
        principles=tuple(form.principles.data or ()),
        voices=tuple(form.voices.data or ()),
        consent_recorded=bool(form.consent_recorded.data),
    )


def _builds_on_choices(form: ExperimentForm, itself: UUID | None) -> set[UUID]:
    """Offer every experiment the person may read, of any team, but this one; the ids
    offered."""
    offered = [x for x in q.experiments_across(engine(), reader()) if x.id != itself]
    form.builds_on.choices = [
        (
            str(x.id),
            _("%(title)s (%(team)s), cycle %(n)s", title=x.title, team=x.team_name, n=x.cycle),
        )
        for x in offered
    ]
    return {x.id for x in offered}


def _chosen_builds_on(form: ExperimentForm) -> list[UUID]:
    return [UUID(value) for value in form.builds_on.data or []]


def _form_page(form: ExperimentForm, team: Any, existing: Any, status: int, **more: Any) -> Any:
    return render_template(
        "learning/experiment_form.html",
        form=form,
        team=team,
        existing=existing,
        suggestions=THEME_SUGGESTIONS,
        **more,
    ), status


@bp.route("/teams/<uuid:team_id>/experiments/new", methods=["GET", "POST"])
@members_only
def new_experiment(team_id: UUID) -> Any:
    team = team_or_404(team_id)
    require_membership(team_id)
    form = ExperimentForm()
    _builds_on_choices(form, None)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.learning.propose_experiment(
                team_id,
                _experiment_content(form),
                by=me(),
                proposed_on=date_or_none(form.proposed_on.data),
                builds_on=_chosen_builds_on(form),
            ),
        )
        if done is not None:
            ok(_("The experiment is proposed."))
            return redirect(url_for("learning.experiment", experiment_id=done.id))
    return _form_page(form, team, None, 400 if form.is_submitted() else 200)


def _readable_experiment(experiment_id: UUID) -> Any:
    return readable_or_refused(q.experiment(engine(), reader(), experiment_id))


def _form_from_row(row: Any) -> ExperimentForm:
    return ExperimentForm(**_row_values(row))


def _row_values(row: Any) -> dict[str, Any]:
    """The edit form's fields as the row has them."""
    return dict(
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
        language=row.language,
        themes=", ".join(row.themes),
        principles=list(row.principles),
        voices=list(row.voices),
        consent_recorded=row.consent_recorded,
    )


def _with_locked_plan(row: Any) -> MultiDict[str, Any]:
    """What was sent, with the locked plan put back as it is: once an experiment runs the
    form shows the plan without fields, and it changes only by an amendment."""
    sent = request.form.copy()
    if row.stage == CONCLUDED:
        # Concluded: only the lens is edited; everything else stays as the row has it.
        for name, value in _row_values(row).items():
            if name not in (*LENS_FIELDS, "version"):
                sent.setlist(
                    name,
                    value if isinstance(value, list) else ["" if value is None else str(value)],
                )
    elif row.stage != PROPOSED:
        for name in PLAN_FIELDS:
            sent[name] = getattr(row, name)
    return sent


@bp.route("/experiments/<uuid:experiment_id>/edit", methods=["GET", "POST"])
@members_only
def edit_experiment(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    team = team_or_404(row.team_id)
    if row.team_id not in reader().member_of:
        abort(403)
    linked = q.builds_on_ids(engine(), experiment_id)
    if request.method == "GET":
        form = _form_from_row(row)
        offered = _builds_on_choices(form, experiment_id)
        form.builds_on.data = [str(i) for i in linked if i in offered]
        return _form_page(form, team, row, 200)
    form = ExperimentForm(formdata=_with_locked_plan(row))
    offered = _builds_on_choices(form, experiment_id)
    # Links to experiments this person cannot read are not offered, so they are kept.
    unseen = [i for i in linked if i not in offered]
    if form.validate_on_submit():
        done, theirs = attempt_revision(
            form,
            lambda: runtime().app.learning.revise_experiment(
                experiment_id,
                _experiment_content(form),
                by=me(),
                expected_version=form.version.data,
                builds_on=_chosen_builds_on(form) + unseen,
            ),
            lambda: _readable_experiment(experiment_id),
            _(
                "Someone else changed this experiment while you were editing. Their version "
                "is shown below and your changes are still in the form. "
                "Save again to use yours."
            ),
        )
        if theirs is not None:
            return _form_page(form, team, theirs, 409, theirs=theirs)
        if done is not None:
            ok(_("The experiment is updated."))
            return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    return _form_page(form, team, row, 400)


# The making-sense stage shows two forms on one page: their fields get their own names and ids.
SESSION, RESUME = "session", "resume"


def _experiment_page(
    row: Any,
    status: int,
    *,
    observation_form: ObservationForm | None = None,
    session_form: SenseMakingForm | None = None,
    resume_form: ResumeForm | None = None,
    **talk: Any,
) -> Any:
    """`talk`: the conversation under it (conversation_parts), when a form of it came back."""
    cycles = q.story(engine(), reader(), row.chain_id)
    return render_template(
        "learning/experiment.html",
        x=row,
        cycles=cycles,
        connections=q.connections(engine(), reader(), [c.experiment.id for c in cycles]),
        is_member=row.team_id in reader().member_of,
        stage_form=StageForm(version=row.version),
        observation_form=observation_form or ObservationForm(),
        session_form=session_form or SenseMakingForm(prefix=SESSION),
        resume_form=resume_form or ResumeForm(prefix=RESUME, version=row.version),
        today=date.today().isoformat(),
        **(talk or conversation(EXPERIMENT, row)),
    ), status


def experiment_page(row: Any, status: int, **talk: Any) -> Any:
    return _experiment_page(row, status, **talk)


# For whoever the experiment's visibility lets read it, signed in or not.
@bp.get("/experiments/<uuid:experiment_id>")
def experiment(experiment_id: UUID) -> Any:
    return _experiment_page(_readable_experiment(experiment_id), 200)


def _lifecycle(experiment_id: UUID, step: Callable[..., Any], message: str) -> Any:
    """One step to the next stage (a LearningCommands method taking the experiment, who, the
    day and the version seen): its outcome is a flash message on the experiment's page."""
    row = _readable_experiment(experiment_id)
    form = StageForm()
    if not form.validate_on_submit():
        flash(
            form.errors.get("on", [_("Something was missing from the form. Try again.")])[0],
            "error",
        )
    else:
        try:
            settle(
                step(
                    experiment_id,
                    by=me(),
                    on=date_or_none(form.on.data),
                    expected_version=form.version.data,
                )
            )
        except NotAllowed:
            abort(403)
        except DomainError as error:
            flash(translate(error.message), "error")
        else:
            ok(message)
    return redirect(url_for("learning.experiment", experiment_id=row.id))


@bp.post("/experiments/<uuid:experiment_id>/start")
@members_only
def start_experiment(experiment_id: UUID) -> Any:
    return _lifecycle(
        experiment_id,
        runtime().app.learning.start_experiment,
        _("The experiment is running. Add observations as you notice things."),
    )


@bp.post("/experiments/<uuid:experiment_id>/making-sense")
@members_only
def begin_sense_making(experiment_id: UUID) -> Any:
    return _lifecycle(
        experiment_id,
        runtime().app.learning.begin_sense_making,
        _("Time to make sense of it together."),
    )


def _measure(form: ObservationForm) -> Decimal | None:
    return parse_measure(form.value.data or "")


@bp.post("/experiments/<uuid:experiment_id>/observations")
@members_only
def add_observation(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    form = ObservationForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: runtime().app.learning.add_observation(
            experiment_id,
            form.text.data,
            by=me(),
            role=form.role.data or "",
            on=date_or_none(form.on.data),
            value=_measure(form),
            unit=form.unit.data or "",
            language=form.language.data or "",
        ),
    ):
        ok(_("Your observation is added."))
        return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    return _experiment_page(row, 400, observation_form=form)


@bp.route(
    "/experiments/<uuid:experiment_id>/observations/<uuid:observation_id>/correct",
    methods=["GET", "POST"],
)
@members_only
def correct_observation(experiment_id: UUID, observation_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    if row.team_id not in reader().member_of:
        abort(403)
    observed = q.observation(engine(), reader(), experiment_id, observation_id)
    if observed is None:
        abort(404)
    if request.method == "GET":
        form = ObservationForm(
            on=observed.observed_on.isoformat(),
            text=observed.text,
            role=observed.role,
            value=number_text(observed.value),
            unit=observed.unit,
            language=observed.language,
        )
    else:
        form = ObservationForm()
        if form.validate_on_submit() and attempt(
            form,
            lambda: runtime().app.learning.correct_observation(
                experiment_id,
                observation_id,
                form.text.data,
                by=me(),
                role=form.role.data or "",
                on=date_or_none(form.on.data),
                value=_measure(form),
                unit=form.unit.data or "",
                language=form.language.data or "",
            ),
        ):
            ok(_("The observation is corrected. The earlier version stays in the story."))
            return redirect(
                url_for("learning.experiment", experiment_id=experiment_id)
                + f"#observation-{observation_id}"
            )
    status = 400 if form.is_submitted() else 200
    return render_template(
        "learning/observation_form.html", form=form, x=row, observed=observed
    ), status


def number_text(value: Decimal | None) -> str:
    """A stored number as a person would type it again (no trailing zeros)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


@bp.route("/experiments/<uuid:experiment_id>/amend", methods=["GET", "POST"])
@members_only
def amend_prediction(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    if row.team_id not in reader().member_of:
        abort(403)
    if row.stage not in (RUNNING, MAKING_SENSE):
        flash(
            _("Only a running experiment's prediction is amended: before, edit the plan."), "error"
        )
        return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    if request.method == "GET":
        form = AmendForm(
            version=row.version,
            what_we_try=row.what_we_try,
            prediction=row.prediction,
            signals=row.signals,
            language=row.language,
        )
    else:
        form = AmendForm()
        if form.validate_on_submit() and attempt(
            form,
            lambda: runtime().app.learning.amend_prediction(
                experiment_id,
                what_we_try=form.what_we_try.data or "",
                prediction=form.prediction.data or "",
                signals=form.signals.data or "",
                reason=form.reason.data or "",
                by=me(),
                on=date_or_none(form.on.data),
                expected_version=form.version.data,
                language=form.language.data or "",
            ),
        ):
            ok(_("The prediction is amended. The original stays in the story beside it."))
            return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    status = 400 if form.is_submitted() else 200
    return render_template("learning/amend.html", form=form, x=row), status


@bp.post("/experiments/<uuid:experiment_id>/sense-making")
@members_only
def hold_sense_making(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    form = SenseMakingForm(prefix=SESSION)
    if form.validate_on_submit() and attempt(
        form,
        lambda: runtime().app.learning.hold_sense_making(
            experiment_id,
            roles=tuple(form.roles.data or ()),
            notes=form.notes.data or "",
            voices=tuple(form.voices.data or ()),
            consent_recorded=bool(form.consent_recorded.data),
            by=me(),
            on=date_or_none(form.on.data),
            language=form.language.data or "",
        ),
    ):
        ok(_("The sense-making session is recorded."))
        return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    return _experiment_page(row, 400, session_form=form)


@bp.post("/experiments/<uuid:experiment_id>/resume")
@members_only
def resume_experiment(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    form = ResumeForm(prefix=RESUME)
    if form.validate_on_submit() and attempt(
        form,
        lambda: runtime().app.learning.resume_experiment(
            experiment_id,
            reason=form.reason.data or "",
            by=me(),
            on=date_or_none(form.on.data),
            expected_version=form.version.data,
            language=form.language.data or "",
        ),
    ):
        ok(_("The experiment is running again. Add observations as you notice things."))
        return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    return _experiment_page(row, 400, resume_form=form)


@bp.route("/experiments/<uuid:experiment_id>/conclude", methods=["GET", "POST"])
@members_only
def conclude(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    if row.team_id not in reader().member_of:
        abort(403)
    if row.stage != MAKING_SENSE:
        flash(_("Only an experiment at the making-sense stage can be concluded."), "error")
        return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    if request.method == "GET":
        form = ConcludeForm(version=row.version, next_question=row.question)
    else:
        form = ConcludeForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.learning.conclude_experiment(
                experiment_id,
                form.outcome.data,
                against_prediction=form.against_prediction.data or "",
                surprises=form.surprises.data or "",
                learned=form.learned.data,
                reason=form.reason.data,
                next_question=form.next_question.data or "",
                next_try=form.next_try.data or "",
                next_prediction=form.next_prediction.data or "",
                by=me(),
                on=date_or_none(form.on.data),
                expected_version=form.version.data,
                language=form.language.data or "",
                review_on=form.review_on.data,
            ),
        )
        if done is not None:
            if form.outcome.data == ADAPT:
                ok(
                    _(
                        "Concluded as adapt. The next cycle carries the question, the dates "
                        "and the funding forward: check them, change what is different and "
                        "save."
                    )
                )
                return redirect(url_for("learning.edit_experiment", experiment_id=done.id))
            ok(_("The experiment is concluded."))
            return redirect(url_for("learning.experiment", experiment_id=done.id))
    status = 400 if form.is_submitted() else 200
    this = next(c for c in q.story(engine(), reader(), row.chain_id) if c.experiment.id == row.id)
    return render_template("learning/conclude.html", form=form, x=row, cycle=this), status
