"""Languages: which one a person sees, and translating what the domain says.

Cairn speaks English and Scottish Gaelic. The choice is made, in order, by what the person chose
with the language switcher (kept in the session and in a long-lived cookie, so it survives signing
out and closing the browser), then by the browser's Accept-Language, then English.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask, has_request_context, request, session
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    gettext,
)
from werkzeug.wrappers import Response

from domain.service_types import is_service_type, service_type
from domain.text import Text

LANGUAGES = ("en", "gd")
DEFAULT_LANGUAGE = "en"
# Each language is named in itself, so a person can find their own.
LANGUAGE_NAMES = {"en": "English", "gd": "Gàidhlig"}
# Babel locales: British English for dates and numbers ("23 Nov 2026", not "Nov 23, 2026").
BABEL_LOCALES = {"en": "en_GB", "gd": "gd"}
LANGUAGE_COOKIE = "cairn_lang"
_A_YEAR = 365 * 24 * 60 * 60


def choose_language() -> str:
    """'en' or 'gd': the switcher's choice, else the browser's preference, else English."""
    if not has_request_context():  # the CLI and background work speak English
        return DEFAULT_LANGUAGE
    for chosen in (session.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if chosen in LANGUAGES:
            return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def choose_locale() -> str:
    """Flask-Babel's locale selector (catalogues for en_GB fall back to en)."""
    return BABEL_LOCALES[choose_language()]


def current_language() -> str:
    """The language of this page, as <html lang> and the switcher name it: 'en' or 'gd'."""
    return get_locale().language if has_request_context() else DEFAULT_LANGUAGE


def is_language(code: str | None) -> bool:
    return code in LANGUAGES


def remember_language(response: Response, code: str) -> Response:
    """Keep the choice for this visit (session) and the next ones (cookie)."""
    session["lang"] = code
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=_A_YEAR,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


def translate(message: str) -> str:
    """A domain message in the person's language.

    A `Text` from the domain is translated by its template, then its values are filled in (a
    value that is itself a `Text`, such as a status label, is translated first). A plain string
    is looked up as it is.
    """
    if not isinstance(message, Text):
        return str(gettext(message)) if message else message
    args = [_translated_value(value) for value in message.args]
    kwargs = {name: _translated_value(value) for name, value in message.kwargs.items()}
    template = str(gettext(message.template))
    text = template.format(*args, **kwargs) if args or kwargs else template
    return text.lower() if message.lowered else text


def _translated_value(value: Any) -> Any:
    if isinstance(value, Text):
        return translate(value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return format_decimal(value)
    return value


def service_label(key: str) -> str:
    """A service type's name in the person's language; unknown keys are shown as they are."""
    return str(gettext(service_type(key).label)) if is_service_type(key) else key


def service_description(key: str) -> str:
    return str(gettext(service_type(key).description)) if is_service_type(key) else ""


def service_labels(keys: str | list[str] | tuple[str, ...]) -> str:
    """'personal-care;gardening' -> 'Personal care, Gardening' (in the person's language)."""
    items = keys.split(";") if isinstance(keys, str) else list(keys)
    return ", ".join(service_label(k) for k in items if k)


def money(amount: Decimal | int | float) -> str:
    """An amount in pounds, written the way the person's language writes money: '£18.50'."""
    return str(format_currency(amount, "GBP"))


def register(app: Flask) -> None:
    """Template helpers: every date, number and amount of money goes through Babel."""
    app.jinja_env.filters.update(
        service_labels=service_labels,
        service_label=service_label,
        service_description=service_description,
        translate=translate,
        money=money,
    )
    app.jinja_env.globals.update(
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
        current_language=current_language,
        format_date=format_date,
        format_datetime=format_datetime,
        format_number=format_decimal,
        format_currency=money,
        translate=translate,
    )
