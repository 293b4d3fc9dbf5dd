"""Forms for recording funding. They catch the shape (a date, a number, an amount); the
domain checks the rules again (periods, tiers, negative amounts) and its message reaches the
form through `attempt`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from cairn.domain.funding.amounts import read_amount
from cairn.domain.validation import Invalid
from cairn.web.date_fields import NotInFuture, UKDateField
from cairn.web.i18n import translate

# A commitment may draw on several funds: this many lines on the form.
FUND_LINES = 3


class Pounds:
    """An amount in pounds as people type it ('£12,500'); the Decimal is left on
    `field.amount`. Negative or nothing: refused with the domain's own words."""

    def __init__(self, required: bool = True) -> None:
        self.required = required

    def __call__(self, form: FlaskForm, field: Any) -> None:
        field.amount = None
        text = (field.data or "").strip()
        if not text:
            if self.required:
                raise ValidationError(str(_l("Enter the amount in pounds, like 12500")))
            return
        try:
            field.amount = read_amount(text)
        except Invalid as error:
            raise ValidationError(translate(error.message)) from None


class FundForm(FlaskForm):  # type: ignore[misc]
    funder = StringField(_l("Funder"), validators=[DataRequired(_l("Enter the funder"))])
    name = StringField(
        _l("Name of the fund"), validators=[DataRequired(_l("Enter the fund's name"))]
    )
    starts_on = UKDateField(
        _l("Starts on"), validators=[DataRequired(_l("Enter the date the fund starts"))]
    )
    ends_on = UKDateField(
        _l("Ends on"), validators=[DataRequired(_l("Enter the date the fund ends"))]
    )
    restricted = BooleanField(_l("Restricted: it may be spent only on what the funder set"))


class TierForm(FlaskForm):  # type: ignore[misc]
    number = IntegerField(
        _l("Tier number"),
        validators=[
            DataRequired(_l("Enter the tier's number, like 1")),
            NumberRange(min=1, max=20, message=_l("Give the tier a number from 1 to 20.")),
        ],
    )
    name = StringField(
        _l("Name of the tier"), validators=[DataRequired(_l("Enter the tier's name"))]
    )


class AllocationForm(FlaskForm):  # type: ignore[misc]
    tier = SelectField(_l("Tier of support"), validators=[DataRequired(_l("Choose a tier"))])
    # Not checked against the offered years: a form opened before the fund's period was
    # corrected may send a year it no longer covers, and the domain says why in words.
    year = SelectField(
        _l("Financial year"),
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(_l("Choose a financial year"))],
    )
    amount = StringField(_l("Amount available"), validators=[Pounds()])


class CommitmentForm(FlaskForm):  # type: ignore[misc]
    experiment = SelectField(
        _l("Experiment"), validators=[DataRequired(_l("Choose an experiment"))]
    )
    tier = SelectField(_l("Tier of support"), validators=[DataRequired(_l("Choose a tier"))])
    starts_on = UKDateField(
        _l("Committed from"), validators=[DataRequired(_l("Enter the date the commitment starts"))]
    )
    months = IntegerField(
        _l("Months committed"),
        validators=[
            DataRequired(_l("Enter how many months, like 36")),
            NumberRange(min=1, max=120, message=_l("Enter how many months, 1 to 120.")),
        ],
    )
    fund_1 = SelectField(_l("Fund"), validators=[DataRequired(_l("Choose a fund"))])
    amount_1 = StringField(_l("Amount from this fund"), validators=[Pounds()])
    fund_2 = SelectField(_l("Second fund (optional)"), validators=[Optional()])
    amount_2 = StringField(_l("Amount from the second fund"), validators=[Pounds(required=False)])
    fund_3 = SelectField(_l("Third fund (optional)"), validators=[Optional()])
    amount_3 = StringField(_l("Amount from the third fund"), validators=[Pounds(required=False)])

    def fund_lines(self) -> list[tuple[Any, Any]]:
        return [
            (getattr(self, f"fund_{n}"), getattr(self, f"amount_{n}"))
            for n in range(1, FUND_LINES + 1)
        ]

    def parts(self) -> dict[Any, Decimal] | None:
        """{fund id: amount}; None (with a message on the field) when a line is half filled
        or a fund is chosen twice."""
        parts: dict[Any, Decimal] = {}
        for fund, amount in self.fund_lines():
            if not fund.data and amount.amount is None:
                continue
            if not fund.data:
                fund.errors = [str(_l("Choose the fund this amount comes from"))]
                return None
            if amount.amount is None:
                amount.errors = [str(_l("Enter the amount from this fund"))]
                return None
            if fund.data in parts:
                fund.errors = [str(_l("Choose each fund once"))]
                return None
            parts[fund.data] = amount.amount
        return parts


class SpendForm(FlaskForm):  # type: ignore[misc]
    amount = StringField(_l("Amount spent"), validators=[Pounds()])
    on = UKDateField(
        _l("Date of the spend"),
        validators=[DataRequired(_l("Enter the date of the spend")), NotInFuture()],
    )


class SpendCorrectionForm(SpendForm):
    spend = SelectField(
        _l("Which spend"), validators=[DataRequired(_l("Choose the spend to correct"))]
    )
