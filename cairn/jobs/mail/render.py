"""A letter as an email: plain text and HTML, in the recipient's language.

The words come from the same Gettext catalogues as the web pages (cairn/web/translations),
so an email in Gàidhlig uses the interface's own translations."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate
from functools import cache
from importlib.resources import files
from pathlib import Path

from babel.support import NullTranslations, Translations
from jinja2 import Environment, PackageLoader, select_autoescape

from cairn.jobs.mail.letters import Gettext, Letter, Recipient

LANGUAGES = ("en", "gd")
TRANSLATIONS = Path(str(files("cairn"))) / "web" / "translations"

_templates = Environment(
    loader=PackageLoader("cairn.jobs.mail", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    keep_trailing_newline=True,
)


@cache
def translations(language: str) -> NullTranslations:
    if language == "en" or language not in LANGUAGES:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language])


def gettext_for(language: str) -> Gettext:
    return translations(language).gettext


def language_of(recipient: Recipient) -> str:
    return recipient.language if recipient.language in LANGUAGES else "en"


def email_message(
    letter: Letter, to: Recipient, *, message_id: str, service: str = "Cairn"
) -> EmailMessage:
    """The email (From is the transport's). Raises ValueError if the address would break a
    header (a CR or LF in it): such an address is refused, never sent."""
    if any(c in to.address for c in "\r\n") or any(c in letter.subject for c in "\r\n"):
        raise ValueError("an address or subject with a line break")
    language = language_of(to)
    _ = gettext_for(language)
    footer = _(
        "This email is from {service}, the directory of local care and support. "
        "It was sent automatically: replies are not read."
    ).format(service=service)
    context = dict(
        letter=letter,
        language=language,
        service=service,
        footer=footer,
        link_hint=_("If the button does not work, copy this address into your browser:"),
    )
    message = EmailMessage()
    message["To"] = to.address
    message["Subject"] = letter.subject
    message["Message-ID"] = message_id
    message["Date"] = formatdate(localtime=False)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(_templates.get_template("letter.txt").render(context))
    message.add_alternative(_templates.get_template("letter.html").render(context), subtype="html")
    message["Content-Language"] = language  # after the content: setting it clears Content-*
    return message
