"""Password rules and hashing.

Hashing is argon2id with RFC 9106's "low memory" profile: 64 MiB, 3 passes, 4 lanes.
That is stronger on every axis than OWASP's Password Storage Cheat Sheet minimum for
argon2id (19 MiB, 2 passes, 1 lane) and costs about 50 ms per sign-in on a small server.
Hashes made with weaker parameters are recognised by `needs_rehash`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY
from zxcvbn import zxcvbn
from zxcvbn.matching import RANKED_DICTIONARIES

from cairn.domain.errors import DomainError
from cairn.domain.text import Text, _

_hasher = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
HASH_PARAMETERS = RFC_9106_LOW_MEMORY

# The 30,000 most common passwords from breaches, as zxcvbn ships them (a maintained list).
_BREACHED = frozenset(RANKED_DICTIONARIES["passwords"])
_AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_DISTINCT = 5  # "abababababab" is long but guessed at once
# zxcvbn's 0-4 scale: 3 means about 10^8 guesses or more, beyond an online attack that
# sign-in throttling and lockout allow, and slow even offline against argon2id.
MIN_SCORE = 3
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; a longer password is at least as strong
SERVICE_WORDS = ("cairn",)  # NIST SP 800-63B: the service's name is a context word

# Obvious choices here that zxcvbn's breach list lacks: the work, and Scotland's places.
EXTRA_COMMON = frozenset(
    {"administrator", "socialcare", "carer", "careworker", "glasgow", "edinburgh", "ayrshire"}
)

# Look-alike characters people put in a common word ("p@ssw0rd"): 1 is tried as i and as l.
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "3": "e", "$": "s", "5": "s", "7": "t"})

_REPEATED = re.compile(r"(.+?)\1+", re.S)  # the same piece over and over
_REPEAT_ADVICE = _(
    "Avoid repeated characters or patterns like aaa or abcabc. "
    "Choose three or four words that do not usually go together."
)

# What each of zxcvbn's pattern names means for advice to the person.
_KEYBOARD = frozenset({"spatial", "sequence"})


def check_password_rules(password: str, *, email: str = "", names: Iterable[str] = ()) -> None:
    """Length is what matters (NIST SP 800-63B, OWASP ASVS 2.1): at least 12 characters,
    any characters at all, no composition rules; but not one on breach lists, nor one made
    of the person's email, name or the service's name, nor an obvious pattern.

    `names` are more context words (the display name). Each refusal says what to do."""
    if len(password) < MIN_LENGTH:
        raise DomainError(
            _("Choose a password of at least {count} characters.").format(count=MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        raise DomainError(
            _("Choose a password of at most {count} characters.").format(count=MAX_LENGTH)
        )
    if not password.strip():
        raise DomainError(
            _("A password cannot be only spaces. Choose a few words you will remember.")
        )
    folded = unicodedata.normalize("NFKC", password).casefold()
    if len(set(folded)) < MIN_DISTINCT:
        raise DomainError(
            _(
                "Use at least {count} different characters: a few characters repeated are "
                "guessed at once. Try a short phrase instead."
            ).format(count=MIN_DISTINCT)
        )
    if _REPEATED.fullmatch(folded):
        raise DomainError(_REPEAT_ADVICE)
    email = email.strip().casefold()
    if email and email in folded:
        raise DomainError(_("Choose a password that does not contain your email address."))
    context = _context_words(email, names)
    for core in _cores(folded):
        if core in context:
            raise DomainError(
                _(
                    "Choose a password that is not your name, your email address or the "
                    "name of this service with numbers or symbols added."
                )
            )
        if core in EXTRA_COMMON or core in _BREACHED:
            raise DomainError(
                _(
                    "That password is on lists of common passwords, even with numbers or "
                    "symbols added. Choose three or four words that do not usually go together."
                )
            )
    analysed = password[:ZXCVBN_MAX]
    result = zxcvbn(analysed, user_inputs=sorted(context))
    if result["score"] < MIN_SCORE or _mostly_runs(result["sequence"], len(analysed)):
        raise DomainError(_advice(result["sequence"]))


def _mostly_runs(sequence: list[Any], length: int) -> bool:
    """Half or more of it keyboard runs, sequences or repeats ("Abcdefghijk1!"), whatever
    the score: these are the first things a guesser tries."""
    runs = sum(len(m["token"]) for m in sequence if m["pattern"] in _KEYBOARD | {"repeat"})
    return runs * 2 >= length


def _context_words(email: str, names: Iterable[str]) -> set[str]:
    """The email, its parts, the names given and the service's name, folded."""
    words = set(SERVICE_WORDS)
    local, _at, domain = email.partition("@")
    for text in (local, domain.split(".")[0], *names):
        text = unicodedata.normalize("NFKC", text).casefold()
        parts = [p for p in re.split(r"[^\w]+|_|\d+", text) if len(p) >= 3]
        words.update(parts)
        joined = "".join(parts)
        if len(joined) >= 3:
            words.add(joined)
    return words


def _cores(folded: str) -> set[str]:
    """The password without digits, symbols and spaces around it or spaces inside, as is,
    without punctuation inside, and with look-alike characters read as letters:
    "Pa55word 123!" gives "password"."""
    bare = "".join(folded.split())
    core = _AFFIXES.sub("", bare)
    if not core:
        return set()
    joined = re.sub(r"[^\w@$]+|_", "", core)  # "ada.lovelace" as "adalovelace"
    candidates = {core, joined}
    for text in (core, joined):
        unleet = text.translate(_LEET)
        candidates.update({unleet, unleet.replace("1", "i"), unleet.replace("1", "l")})
    return {c for c in candidates if c}


def _advice(sequence: list[Any]) -> Text:
    """The most telling weakness zxcvbn found, as advice on what to do instead."""
    patterns = [m["pattern"] for m in sorted(sequence, key=lambda m: -len(m["token"]))]
    main = patterns[0] if patterns else ""
    if main in _KEYBOARD:
        return _(
            "Avoid keyboard runs and sequences like qwerty or 123456. "
            "Choose three or four words that do not usually go together."
        )
    if main == "repeat":
        return _REPEAT_ADVICE
    if main == "date":
        return _(
            "Avoid dates and years, which are easy to guess. "
            "Choose three or four words that do not usually go together."
        )
    return _(
        "That password is too easy to guess. Add another word or two that are not "
        "obvious, or choose three or four words that do not usually go together."
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Used to spend the same time on unknown emails as on known ones.
DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")
