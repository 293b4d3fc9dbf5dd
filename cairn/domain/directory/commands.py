"""Commands on micro-providers: the only way the directory changes.

They come in groups by meaning, each in its own module; the application knows them
as one `DirectoryCommands`."""

from __future__ import annotations

from cairn.domain.directory.applying import ApplyingCommands
from cairn.domain.directory.claiming import ClaimingCommands
from cairn.domain.directory.desking import DeskCommands
from cairn.domain.directory.inviting import InvitingCommands
from cairn.domain.directory.provisioning import ProvisionCommands
from cairn.domain.directory.reminding import RemindingCommands
from cairn.domain.directory.reviewing import ReviewCommands
from cairn.domain.directory.upkeep import UpkeepCommands


class DirectoryCommands(
    ApplyingCommands,
    ReviewCommands,
    UpkeepCommands,
    InvitingCommands,
    RemindingCommands,
    ClaimingCommands,
    DeskCommands,
    ProvisionCommands,
):
    pass
