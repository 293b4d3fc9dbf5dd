"""Personal data in events, encrypted with a key per person (crypto-shredding).

The event log is append-only, yet people have the right to erasure. So the personal
fields of an event are stored encrypted (AES-256-GCM) with a key that belongs to the
person the data is about (the *subject*). Erasing a person destroys their key: their
events stay in the log, in order, but their personal fields read back as ERASED, and
read models rebuilt from the log no longer hold the data.

To mark an event's fields as personal, after the aggregate class:

    personal(Account.Registered, fields=("email", "display_name"), subject="email")

`subject` names the field that identifies the person. When it holds an email, the key
store gives the email a random subject of its own (found again through a keyed HMAC of the
email, a link deleted on erasure), so every event about that email shares one key,
`cairn erase-person EMAIL` reaches them all, and the subject stored in clear in each event
says nothing about the email. `subject_for_email` is the one way to get it. When it holds
a UUID (an enquiry id, say), the subject is that id: `KeyStore.shred(subject_for_id(id))`
erases just that record. If the field is empty, the aggregate's own id is the subject.
A field may also name one key of a dict field, as `changes.phone`: only that value is
encrypted and the dict keeps its shape, so an erased edit reads back as
`{"phone": ERASED, "website": "..."}` and code that folds the dict keeps working. The
envelope lists which such keys it holds (their names only), so they read back as ERASED
even without the key.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

# The key stores are in cairn.domain.personal_keys, and the mapper that encrypts and
# decrypts the declared fields in cairn.domain.personal_mapper.

ERASED = "[erased]"


def is_erased(value: object) -> bool:
    return value == ERASED


def normal_email(email: str) -> str:
    return email.strip().lower()


def legacy_subject_for_email(email: str) -> str:
    """The subject events were written under before subjects were random: an unsalted
    digest of the email. Still read, so that old events decrypt; never made for new people."""
    return "person:" + hashlib.sha256(("cairn:person:" + normal_email(email)).encode()).hexdigest()


def subject_for_id(record_id: UUID) -> str:
    return f"record:{record_id}"


def personal(event_class: type, *, fields: tuple[str, ...], subject: str) -> None:
    """Declare which fields of an event class are personal, and whose they are.

    A field is an attribute name, or `attribute.key` for one value of a dict attribute."""
    for name in fields:
        if not all(part.isidentifier() for part in name.split(".")) or name.count(".") > 1:
            raise ValueError(f"not a field or field.key: {name!r}")
    event_class.personal_fields = tuple(fields)  # type: ignore[attr-defined]
    event_class.subject_field = subject  # type: ignore[attr-defined]
