""" "This is my listing": the form on a public profile (see cairn/domain/directory/claim.py)."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from cairn.domain.clock import today
from cairn.domain.errors import DomainError
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import current_language, translate
from cairn.web.ratelimit import limit_submissions

bp = Blueprint("claims", __name__, template_folder="templates")


class ClaimForm(FlaskForm):  # type: ignore[misc]
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name"))])
    email = EmailField(
        _l("Your email address"), validators=[DataRequired(_l("Enter your email address"))]
    )
    note = TextAreaField(
        _l("How are you connected to this business? (optional)"),
        validators=[Length(max=1000, message=_l("Must be 1,000 characters or fewer"))],
    )


@bp.route("/providers/<uuid:provider_id>/claim", methods=["GET", "POST"])
@limit_submissions()
def claim(provider_id: UUID) -> tuple[str, int]:
    rt = runtime()
    listing = rt.directory.listing(provider_id, today(rt.app.clock))
    if listing is None:
        abort(404)
    form = ClaimForm()
    outcome = None
    if form.validate_on_submit():
        try:
            outcome = rt.app.directory.claim_listing(
                provider_id,
                name=form.name.data or "",
                email=form.email.data or "",
                note=form.note.data or "",
                language=current_language(),
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            settle(outcome.done)
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "provider/claim.html", listing=listing, form=form, outcome=outcome
    ), status
