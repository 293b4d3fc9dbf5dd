"""Contact details as links a person can press: an email address opens their mail program, a
UK phone number dials (on a phone). Anything else (say, "ring after 6") stays as it was typed."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from cairn.domain.validation import Invalid, normalise_email, normalise_uk_phone

_LOOKS_LIKE_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def contact_link(contact: str | None) -> Markup:
    text = (contact or "").strip()
    if not text:
        return Markup("")
    if _LOOKS_LIKE_EMAIL.fullmatch(text):
        try:
            address = normalise_email(text)
        except Invalid:
            return escape(text)
        return Markup('<a href="mailto:{}">{}</a>').format(address, text)
    try:
        number = normalise_uk_phone(text)
    except Invalid:
        return escape(text)
    # tel: takes the international form, so it dials from anywhere.
    return Markup('<a href="tel:+44{}">{}</a>').format(number.replace(" ", "")[1:], text)
