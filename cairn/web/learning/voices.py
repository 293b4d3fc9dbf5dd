"""The voices heard in a reflection: keeping one with its consent, correcting its words, and
withdrawing its consent (which destroys its words for good), each a page that works without
script."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from cairn.domain.clock import today
from cairn.domain.learning.voices import HeardVoice
from cairn.readmodels.learning import queries as q
from cairn.web.commanding import runtime
from cairn.web.learning.common import (
    attempt,
    bp,
    engine,
    me,
    members_only,
    ok,
    readable_or_refused,
    reader,
    require_membership,
    status_of,
)
from cairn.web.learning.voice_forms import VoiceForm, VoiceWordsForm, WithdrawConsentForm


def _members_reflection(reflection_id: UUID) -> Any:
    row = readable_or_refused(q.reflection(engine(), reader(), reflection_id))
    require_membership(row.team_id)
    return row


def _voice_still_kept(reflection_id: UUID, voice_id: UUID, refusal: str) -> tuple[Any, q.Voice]:
    """The reflection (for its team's members) and one of its voices whose consent stands;
    a withdrawn one sends the person back to the reflection with `refusal`."""
    row = _members_reflection(reflection_id)
    voice = next(
        (v for v in q.voices_heard(engine(), reader(), row.id, row.team_id) if v.id == voice_id),
        None,
    )
    if voice is None:
        abort(404)
    if voice.withdrawn:
        flash(refusal, "error")
        abort(_back_to(row))
    return row, voice


def _back_to(row: Any) -> Any:
    return redirect(url_for("learning.reflection", reflection_id=row.id, _anchor="voices"))


@bp.route("/reflections/<uuid:reflection_id>/voices/new", methods=["GET", "POST"])
@members_only
def hear_voice(reflection_id: UUID) -> Any:
    row = _members_reflection(reflection_id)
    form = VoiceForm()
    if not form.is_submitted():
        form.consent_covers.data = row.visibility
        form.consent_on.process(None, today(runtime().app.clock))
    if form.validate_on_submit():
        voice = HeardVoice(
            role=form.role.data,
            words=form.words.data,
            consent_how=form.consent_how.data,
            consent_on=form.consent_on.data,
            consent_covers=form.consent_covers.data,
        )
        if attempt(form, lambda: runtime().app.learning.hear_voice(reflection_id, voice, by=me())):
            ok(_("Their words are kept, with their consent."))
            return _back_to(row)
    return render_template("learning/voice_form.html", r=row, form=form), status_of(form)


@bp.route("/reflections/<uuid:reflection_id>/voices/<uuid:voice_id>/edit", methods=["GET", "POST"])
@members_only
def edit_voice(reflection_id: UUID, voice_id: UUID) -> Any:
    row, voice = _voice_still_kept(
        reflection_id,
        voice_id,
        _("Consent for this voice was withdrawn, so its words cannot come back."),
    )
    form = VoiceWordsForm()
    if not form.is_submitted():
        form.words.data = voice.words
    if form.validate_on_submit() and attempt(
        form,
        lambda: runtime().app.learning.revise_voice_words(
            reflection_id, voice_id, form.words.data, by=me()
        ),
    ):
        ok(_("Their words are corrected. The earlier words are kept in the versions."))
        return _back_to(row)
    return render_template(
        "learning/voice_words_form.html", r=row, voice=voice, form=form
    ), status_of(form)


@bp.route(
    "/reflections/<uuid:reflection_id>/voices/<uuid:voice_id>/withdraw", methods=["GET", "POST"]
)
@members_only
def withdraw_consent(reflection_id: UUID, voice_id: UUID) -> Any:
    """Two steps (the date, then a plain confirmation), as a redaction is."""
    row, voice = _voice_still_kept(
        reflection_id, voice_id, _("Consent for this voice is already withdrawn.")
    )
    form = WithdrawConsentForm()
    if not form.is_submitted():
        form.withdrawn_on.process(None, today(runtime().app.clock))
    confirming = False
    valid = form.validate_on_submit()
    if valid and form.withdrawn_on.data < voice.consent_on:
        # Asked before the confirmation, so the person is not asked to confirm a refusal.
        form.withdrawn_on.errors.append(
            _(
                "Consent cannot be withdrawn before it was given, on %(day)s",
                day=format_date(voice.consent_on, "long"),
            )
        )
        valid = False
    if valid:
        if form.confirmed.data != "yes":
            confirming = True
        elif attempt(
            form,
            lambda: runtime().app.learning.withdraw_consent(
                reflection_id, voice_id, form.withdrawn_on.data, by=me()
            ),
        ):
            ok(_("Consent is withdrawn. Their words are removed from every version, for good."))
            return _back_to(row)
    return render_template(
        "learning/withdraw_consent.html", r=row, voice=voice, form=form, confirming=confirming
    ), status_of(form)
