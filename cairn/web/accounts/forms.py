"""Forms for a person's own account and for administrators managing accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length


class ChangePasswordForm(FlaskForm):  # type: ignore[misc]
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password"))]
    )
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Enter a new password"))]
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Enter the new password again")),
            EqualTo("new_password", _l("The two new passwords are not the same")),
        ],
    )


class SignOutEverywhereForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the button is the whole form."""


class LearningNoticesForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token and which way: the button says what it does."""

    wanted = HiddenField()


class AccountStatusForm(FlaskForm):  # type: ignore[misc]
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Enter the reason")),
            Length(max=500, message=_l("The reason must be 500 characters or fewer")),
        ],
    )


class RoleForm(FlaskForm):  # type: ignore[misc]
    """Giving an account a role: nothing to fill in but the CSRF token."""


class ForgottenPasswordForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("Email address"), validators=[DataRequired(_l("Enter your email address"))]
    )


class ChangeEmailForm(FlaskForm):  # type: ignore[misc]
    new_email = EmailField(
        _l("New email address"),
        validators=[
            DataRequired(_l("Enter your new email address")),
            Length(max=320, message=_l("Must be 320 characters or fewer")),
        ],
    )
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password"))]
    )
