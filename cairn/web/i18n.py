"""Languages: which one a person sees, and translating what the domain says.

Cairn speaks English and Scottish Gaelic. The choice is made, in order, by what the person chose
with the language switcher (kept in the session and in a long-lived cookie, so it survives signing
out and closing the browser), then by the browser's Accept-Language, then English.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

import flask_babel
from babel import Locale
from babel.support import NullTranslations
from flask import Flask, g, has_app_context, has_request_context, request, session
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
)
from markupsafe import Markup
from werkzeug.wrappers import Response

from cairn.domain.service_types import is_service_type, service_type
from cairn.domain.text import Text

LANGUAGES = ("en", "gd")
DEFAULT_LANGUAGE = "en"
# Each language is named in itself, so a person can find their own.
LANGUAGE_NAMES = {"en": "English", "gd": "Gàidhlig"}
# Babel locales: British English for dates and numbers ("23 Nov 2026", not "Nov 23, 2026").
BABEL_LOCALES = {"en": "en_GB", "gd": "gd"}
LANGUAGE_COOKIE = "cairn_lang"
_A_YEAR = 365 * 24 * 60 * 60


class _Catalogue(NamedTuple):
    locale: Locale
    key: str  # str(locale), e.g. 'en_GB': a cache key for text in this language
    translations: NullTranslations


_CATALOGUE = "_cairn_catalogue"


def _catalogue() -> _Catalogue:
    """This request's language and translations, found once per request.

    Flask-Babel finds them afresh on every call through half a dozen context lookups, and a
    page of search results translates a few hundred strings. Kept beside the locale they were
    found for, so flask_babel.refresh() and force_locale() still take effect."""
    locale = get_locale()
    cached: _Catalogue | None = g.get(_CATALOGUE)
    if cached is None or cached.locale is not locale:
        cached = _Catalogue(locale, str(locale), flask_babel.get_translations())
        setattr(g, _CATALOGUE, cached)
    return cached


def translations() -> NullTranslations:
    """The catalogue for the person's language (an empty one outside the app)."""
    if not has_app_context():
        return NullTranslations()
    return _catalogue().translations


def locale_key() -> str:
    """The person's locale as a string ('en_GB', 'gd'), to key caches of translated text."""
    return _catalogue().key if has_app_context() else DEFAULT_LANGUAGE


def gettext(message: str, **variables: Any) -> str:
    """flask_babel.gettext, at a fraction of its cost per call."""
    text: str = translations().gettext(message)
    return text % variables if variables else text


class PageText:
    """Many strings for one page in the person's language, finding the catalogue once.

    Gives what `_()` and `ngettext()` give in a template: Markup, trusting the translation and
    escaping the values put into it, so moving a string from a template to here changes no byte
    of the page."""

    def __init__(self) -> None:
        self._catalogue = translations()

    def gettext(self, message: str, **variables: Any) -> Markup:
        # Our own catalogue's text is trusted, as Jinja's _() trusts it; the values are escaped.
        return Markup(self._catalogue.gettext(message)) % variables  # noqa: S704

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> Markup:
        variables.setdefault("num", num)
        return Markup(self._catalogue.ngettext(singular, plural, num)) % variables  # noqa: S704


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
    # The same callables Flask-Babel installs for _() and ngettext() in templates, but finding
    # the catalogue once per request rather than once per string.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().gettext(s),
        ngettext=lambda s, p, n: translations().ngettext(s, p, n),
        pgettext=lambda c, s: translations().pgettext(c, s),
        npgettext=lambda c, s, p, n: translations().npgettext(c, s, p, n),
        newstyle=True,
    )
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
