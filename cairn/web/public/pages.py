"""Pages about the service itself: privacy notice, accessibility statement, the CIC's
standards, feedback."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from cairn.domain.directory.standards import CURRENT_STANDARDS
from cairn.domain.enquiries.feedback import TEXT_MAX_LENGTH, VERDICTS
from cairn.domain.errors import DomainError
from cairn.web.commanding import runtime, settle
from cairn.web.i18n import translate
from cairn.web.ratelimit import limit_submissions
from cairn.web.redirects import safe_local_path

bp = Blueprint("pages", __name__, template_folder="templates")


@bp.get("/privacy")
def privacy() -> str:
    settings = runtime().settings
    return render_template("pages/privacy.html", retention_days=settings.enquiry_retention_days)


@bp.get("/standards")
def standards() -> str:
    """The standards every provider agrees to, with their version and date: applicants read
    and sign this version, and the CIC sees which version each provider signed."""
    return render_template("pages/standards.html", standards=CURRENT_STANDARDS)


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("pages/accessibility.html")


class FeedbackForm(FlaskForm):  # type: ignore[misc]
    verdict = RadioField(
        _l("How easy was it to use Cairn today?"),
        choices=list(VERDICTS.items()),
        validators=[DataRequired(_l("Choose how easy the service was to use"))],
    )
    text = TextAreaField(
        _l("What went well, or what could we do better?"),
        validators=[
            DataRequired(_l("Tell us what went well or what we could do better")),
            Length(
                max=TEXT_MAX_LENGTH, message=_l("Your feedback must be 1,200 characters or fewer")
            ),
        ],
    )
    page = HiddenField()


@bp.route("/feedback", methods=["GET", "POST"])
@limit_submissions()
def feedback() -> str | Response | tuple[str, int]:
    form = FeedbackForm()
    form.verdict.choices = [(key, translate(label)) for key, label in VERDICTS.items()]
    if request.method == "GET":
        form.page.data = safe_local_path(request.args.get("from")) or ""
        return render_template("pages/feedback.html", form=form)
    if form.validate_on_submit():
        try:
            settle(
                runtime().app.enquiries.send_feedback(
                    verdict=form.verdict.data, text=form.text.data, page=form.page.data or ""
                )
            )
        except DomainError as error:
            form.form_errors.append(translate(error.message))
        else:
            return redirect(url_for("pages.feedback_sent", back=form.page.data or None))
    return render_template("pages/feedback.html", form=form), 400


@bp.get("/feedback/sent")
def feedback_sent() -> str:
    back = safe_local_path(request.args.get("back"))
    return render_template("pages/feedback_sent.html", back=back)
