"""Reflections: writing one, reading it and its versions, revising it and redacting a version."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cairn.domain.learning.content import ReflectionContent
from cairn.domain.learning.conversation import REFLECTION
from cairn.domain.learning.vocabulary import LIVED_EXPERIENCE_VOICES, THEME_SUGGESTIONS
from cairn.domain.validation import parse_date
from cairn.readmodels.learning import queries as q
from cairn.web.commanding import runtime
from cairn.web.learning.common import (
    attempt,
    attempt_revision,
    bp,
    can_manage,
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
from cairn.web.learning.forms import RedactForm, ReflectionForm


def _reflection_choices(form: ReflectionForm, team_id: UUID) -> None:
    form.experiment_id.choices = [("", _("None"))] + [
        (str(x.id), _("%(title)s (cycle %(n)s)", title=x.title, n=x.cycle))
        for x in q.experiments_of(engine(), reader(), team_id)
    ]
    form.provider_id.choices = [("", _("None"))] + [
        (str(p.id), p.name) for p in q.approved_providers(engine())
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
        language=form.language.data or "",
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
    team = team_or_404(team_id)
    require_membership(team_id)
    form = ReflectionForm()
    _reflection_choices(form, team_id)
    if not form.is_submitted():
        form.happened_on.data = date.today().isoformat()
        form.experiment_id.data = request.args.get("experiment", "")
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: runtime().app.learning.record_reflection(
                team_id, _reflection_content(form), by=me()
            ),
        )
        if done is not None:
            ok(_("Your reflection is saved."))
            return redirect(url_for("learning.reflection", reflection_id=done.id))
    status = 400 if form.is_submitted() else 200
    return _reflection_form_page(form, team, status=status)


def _readable_reflection(reflection_id: UUID) -> Any:
    return readable_or_refused(q.reflection(engine(), reader(), reflection_id))


# A reflection's page and its versions are for whoever its visibility lets read it, signed in
# or not: public learning needs no account.
@bp.get("/reflections/<uuid:reflection_id>")
def reflection(reflection_id: UUID) -> Any:
    return reflection_page(_readable_reflection(reflection_id), 200)


def reflection_page(row: Any, status: int, **talk: Any) -> Any:
    """`talk`: the conversation under it (conversation_parts), when a form of it came back."""
    who = reader()
    versions = q.reflection_versions(engine(), who, row.id, row.team_id)
    return render_template(
        "learning/reflection.html",
        r=row,
        is_member=row.team_id in who.member_of,
        author=q.author_of(engine(), who, row),
        version_count=len(versions),
        # The newest version is the one shown: if it was redacted, say so instead.
        redacted=versions[0].redacted if versions else None,
        voices=q.voices_heard(engine(), who, row.id, row.team_id),
        **(talk or conversation(REFLECTION, row)),
    ), status


@bp.get("/reflections/<uuid:reflection_id>/versions")
def versions(reflection_id: UUID) -> str:
    row = _readable_reflection(reflection_id)
    return render_template(
        "learning/versions.html",
        r=row,
        versions=q.reflection_versions(engine(), reader(), reflection_id, row.team_id),
        voices=q.voices_heard(engine(), reader(), reflection_id, row.team_id),
        can_redact=can_manage(row.team_id),
    )


@bp.route("/reflections/<uuid:reflection_id>/versions/<int:number>/redact", methods=["GET", "POST"])
@members_only
def redact_version(reflection_id: UUID, number: int) -> Any:
    """Redact one version, in two steps (the reason, then a confirmation), without script."""
    row = _readable_reflection(reflection_id)
    if not can_manage(row.team_id):
        abort(403)
    versions = q.reflection_versions(engine(), reader(), reflection_id, row.team_id)
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
        elif (
            attempt(
                form,
                lambda: runtime().app.learning.redact_reflection_version(
                    reflection_id, number, reason=form.reason.data, by=me()
                ),
            )
            is not None
        ):
            ok(_("Version %(n)s is redacted. Its words are gone for good.", n=version.number))
            return redirect(url_for("learning.versions", reflection_id=reflection_id))
    if form.is_submitted() and (form.errors or form.form_errors):
        status = 400
    return render_template(
        "learning/redact.html", r=row, version=version, form=form, confirming=confirming
    ), status


def _form_from_row(row: Any) -> ReflectionForm:
    return ReflectionForm(
        version=row.version,
        title=row.title,
        happened_on=row.happened_on.isoformat(),
        what_happened=row.what_happened,
        what_we_noticed=row.what_we_noticed,
        what_we_learned=row.what_we_learned,
        what_next=row.what_next,
        voices=row.voices,
        consent_recorded=row.consent_recorded,
        themes=", ".join(row.themes),
        principles=row.principles,
        visibility=row.visibility,
        experiment_id=str(row.experiment_id or ""),
        provider_id=str(row.provider_id or ""),
        district=row.district,
        signal=row.signal,
        language=row.language,
    )


@bp.route("/reflections/<uuid:reflection_id>/edit", methods=["GET", "POST"])
@members_only
def edit_reflection(reflection_id: UUID) -> Any:
    row = _readable_reflection(reflection_id)
    team = team_or_404(row.team_id)
    if row.team_id not in reader().member_of:
        abort(403)
    form = _form_from_row(row) if request.method == "GET" else ReflectionForm()
    _reflection_choices(form, row.team_id)
    if request.method == "GET":
        return _reflection_form_page(form, team, existing=row)
    if form.validate_on_submit():
        done, theirs = attempt_revision(
            form,
            lambda: runtime().app.learning.revise_reflection(
                reflection_id,
                _reflection_content(form),
                by=me(),
                expected_version=form.version.data,
            ),
            lambda: _readable_reflection(reflection_id),
            _(
                "Someone else saved a new version while you were editing. Their version is "
                "shown below and your changes are still in the form. Save again to make "
                "yours the latest; theirs stays in the history."
            ),
        )
        if theirs is not None:
            return _reflection_form_page(form, team, existing=theirs, theirs=theirs, status=409)
        if done is not None:
            ok(_("A new version is saved. Earlier versions are kept in the history."))
            return redirect(url_for("learning.reflection", reflection_id=reflection_id))
    return _reflection_form_page(form, team, existing=row, status=400)
