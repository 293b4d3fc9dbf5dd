"""The Cairn application: the one entry point for every command.

One event store holds every aggregate, so the notification log is a single ordered
sequence that projections follow, and a command that touches two contexts (a provider
application that also creates the applicant's account) is saved atomically.
Each context keeps its commands in its own module; they reach the store only through
`Store.record`, `Store.load` and `Store.exists` (cairn.domain.store), never through this
module, so the imports point one way.
"""

from __future__ import annotations

from uuid import UUID

from cairn.domain.accounts.changing_email import EmailChangeCommands
from cairn.domain.accounts.commands import AccountCommands, ResetCommands
from cairn.domain.accounts.confirming import EmailCheckCommands
from cairn.domain.clock import Clock, system_clock
from cairn.domain.directory.commands import DirectoryCommands
from cairn.domain.enquiries.commands import EnquiryCommands
from cairn.domain.errors import NotFound
from cairn.domain.funding.commands import FundingCommands
from cairn.domain.learning.commands import LearningCommands
from cairn.domain.learning.experiment import Experiment
from cairn.domain.outcome import Done
from cairn.domain.personal_keys import KeyStore
from cairn.domain.sealed_files import SealedFileStore
from cairn.domain.store import Store

__all__ = ["CairnApp", "Done"]


class CairnApp(Store):
    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Clock = system_clock,
        keys: KeyStore | None = None,
        files: SealedFileStore | None = None,
    ) -> None:
        super().__init__(env, clock, keys, files)
        self.accounts = AccountCommands(self)
        self.resets = ResetCommands(self)
        self.email_checks = EmailCheckCommands(self)
        self.email_changes = EmailChangeCommands(self)
        self.directory = DirectoryCommands(self)
        self.enquiries = EnquiryCommands(self)
        self.learning = LearningCommands(self)
        self.funding = FundingCommands(self, is_experiment=self._is_experiment)

    def _is_experiment(self, aggregate_id: UUID) -> bool:
        """For funding, which names experiments but does not import learning."""
        try:
            self.load(Experiment, aggregate_id)
        except NotFound:
            return False
        return True
