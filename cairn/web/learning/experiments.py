"""Experiments: proposing and revising one, its page, and moving it through its stages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cairn.domain.errors import DomainError
from cairn.domain.learning.commands import NotAllowed
from cairn.domain.learning.content import ExperimentContent, parse_money
from cairn.domain.learning.vocabulary import ADAPT, MAKING_SENSE
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
from cairn.web.learning.forms import ConcludeForm, ExperimentForm, ObservationForm, StageForm


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
    )


def _form_page(form: ExperimentForm, team: Any, existing: Any, status: int, **more: Any) -> Any:
    return render_template(
        "learning/experiment_form.html", form=form, team=team, existing=existing, **more
    ), status


@bp.route("/teams/<uuid:team_id>/experiments/new", methods=["GET", "POST"])
@members_only
def new_experiment(team_id: UUID) -> Any:
    team = team_or_404(team_id)
    require_membership(team_id)
    form = ExperimentForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.learning.propose_experiment(
                team_id, _experiment_content(form), by=me()
            ),
        )
        if done is not None:
            ok(_("The experiment is proposed."))
            return redirect(url_for("learning.experiment", experiment_id=done.id))
    return _form_page(form, team, None, 400 if form.is_submitted() else 200)


def _readable_experiment(experiment_id: UUID) -> Any:
    return readable_or_refused(q.experiment(engine(), reader(), experiment_id))


def _form_from_row(row: Any) -> ExperimentForm:
    return ExperimentForm(
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
    )


@bp.route("/experiments/<uuid:experiment_id>/edit", methods=["GET", "POST"])
@members_only
def edit_experiment(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    team = team_or_404(row.team_id)
    if row.team_id not in reader().member_of:
        abort(403)
    if request.method == "GET":
        return _form_page(_form_from_row(row), team, row, 200)
    form = ExperimentForm()
    if form.validate_on_submit():
        done, theirs = attempt_revision(
            form,
            lambda: runtime().app.learning.revise_experiment(
                experiment_id,
                _experiment_content(form),
                by=me(),
                expected_version=form.version.data,
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


def _experiment_page(row: Any, observation_form: ObservationForm, status: int) -> Any:
    return render_template(
        "learning/experiment.html",
        x=row,
        cycles=q.story(engine(), reader(), row.chain_id),
        is_member=row.team_id in reader().member_of,
        stage_form=StageForm(version=row.version),
        observation_form=observation_form,
        today=date.today().isoformat(),
    ), status


# For whoever the experiment's visibility lets read it, signed in or not.
@bp.get("/experiments/<uuid:experiment_id>")
def experiment(experiment_id: UUID) -> Any:
    return _experiment_page(_readable_experiment(experiment_id), ObservationForm(), 200)


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
            on=date_or_none(form.on.data),
            language=form.language.data or "",
        ),
    ):
        ok(_("Your observation is added."))
        return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    return _experiment_page(row, form, 400)


@bp.route("/experiments/<uuid:experiment_id>/conclude", methods=["GET", "POST"])
@members_only
def conclude(experiment_id: UUID) -> Any:
    row = _readable_experiment(experiment_id)
    if row.team_id not in reader().member_of:
        abort(403)
    if row.stage != MAKING_SENSE:
        flash(_("Only an experiment at the making-sense stage can be concluded."), "error")
        return redirect(url_for("learning.experiment", experiment_id=experiment_id))
    form = ConcludeForm(version=row.version) if request.method == "GET" else ConcludeForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.learning.conclude_experiment(
                experiment_id,
                form.outcome.data,
                learned=form.learned.data,
                reason=form.reason.data,
                next_try=form.next_try.data or "",
                next_prediction=form.next_prediction.data or "",
                by=me(),
                on=date_or_none(form.on.data),
                expected_version=form.version.data,
                language=form.language.data or "",
            ),
        )
        if done is not None:
            if form.outcome.data == ADAPT:
                ok(_("Concluded as adapt. The next cycle is proposed: check it and start it."))
            else:
                ok(_("The experiment is concluded."))
            return redirect(url_for("learning.experiment", experiment_id=done.id))
    status = 400 if form.is_submitted() else 200
    return render_template("learning/conclude.html", form=form, x=row), status
