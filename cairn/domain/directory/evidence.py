"""Evidence for a check (a PVG certificate, an insurance schedule, a training certificate):
what may be uploaded.

A file is accepted by what it is, not by what it is called or the type the browser claims:
its first bytes must be those of a PDF, a PNG or a JPEG. Its bytes are kept sealed under the
provider's own key (cairn.domain.sealed_files), so erasing the provider shreds them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cairn.domain.errors import DomainError
from cairn.domain.text import Text, _

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024

# (first bytes, media type, file ending)
_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
ENDINGS = {media_type: ending for _magic, media_type, ending in _SIGNATURES}


class EvidenceFor(StrEnum):
    PVG = "pvg"
    INSURANCE = "insurance"
    TRAINING = "training"


EVIDENCE_LABELS: dict[str, Text] = {
    EvidenceFor.PVG: _("PVG certificate"),
    EvidenceFor.INSURANCE: _("Insurance schedule"),
    EvidenceFor.TRAINING: _("Training certificate"),
}


@dataclass(frozen=True)
class Upload:
    """An accepted file: its bytes and the type they were found to be."""

    data: bytes
    media_type: str


def accept_upload(data: bytes) -> Upload:
    """The file if it is a PDF, PNG or JPEG of 5 MB or less; DomainError saying why not."""
    if not data:
        raise DomainError(_("The file is empty. Choose the file again."))
    if len(data) > MAX_EVIDENCE_BYTES:
        raise DomainError(_("The file is larger than 5 MB. Choose a smaller file."))
    for magic, media_type, _ending in _SIGNATURES:
        if data.startswith(magic):
            return Upload(data, media_type)
    raise DomainError(_("The file must be a PDF, PNG or JPEG."))
