"""Password rules and hashing.

Hashing is argon2id with RFC 9106's "low memory" profile: 64 MiB, 3 passes, 4 lanes.
That is stronger on every axis than OWASP's Password Storage Cheat Sheet minimum for
argon2id (19 MiB, 2 passes, 1 lane) and costs about 50 ms per sign-in on a small server.
Hashes made with weaker parameters are recognised by `needs_rehash`.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from domain.errors import DomainError
from domain.text import _

_hasher = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
HASH_PARAMETERS = RFC_9106_LOW_MEMORY

MIN_LENGTH = 12
MAX_LENGTH = 256


# Long passwords that appear near the top of breach lists: long, yet guessed first.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "aaaaaaaaaaaa",
        "abcdefghijkl",
        "abc123abc123",
        "iloveyou1234",
        "letmeinletmein",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "qwerty123456",
        "qwertyuiopasdf",
        "qwertyuiopasdfgh",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "welcome12345",
        "changeme1234",
        "administrator",
        "111111111111",
        "000000000000",
        "trustno1trustno1",
    }
)


def check_password_rules(password: str, *, email: str = "") -> None:
    """Length is what matters (NIST SP 800-63B, OWASP ASVS 2.1): at least 12 characters,
    any characters at all, no composition rules; but not a well-known or obvious one."""
    if len(password) < MIN_LENGTH:
        raise DomainError(
            _("Choose a password of at least {count} characters.").format(count=MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        raise DomainError(
            _("Choose a password of at most {count} characters.").format(count=MAX_LENGTH)
        )
    folded = password.casefold()
    if folded in COMMON_PASSWORDS:
        raise DomainError(_("That password is too easy to guess. Choose a less common one."))
    if email and email.strip().casefold() in folded:
        raise DomainError(_("Choose a password that does not contain your email address."))


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
