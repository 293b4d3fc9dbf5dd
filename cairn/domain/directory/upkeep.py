"""Keeping a listing true: the checks, edits and confirmations, the insurance sweep, and the
provider as it stood on a day."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from cairn.domain.directory.command_base import CommandsBase
from cairn.domain.directory.evidence import Upload
from cairn.domain.directory.lifecycle import Action, allows
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.training import course_key
from cairn.domain.errors import NotFound, StaleState
from cairn.domain.outcome import Done
from cairn.domain.sealed_files import seal, unseal
from cairn.domain.validation import _


class UpkeepCommands(CommandsBase):
    def record_pvg(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        checked_on: date,
        membership_number: str = "",
        renewal_due: date | None = None,
        evidence: Upload | None = None,
        expected_version: int | None = None,
    ) -> Done:
        today = self.today()
        return self._act_with_evidence(
            provider_id,
            expected_version,
            evidence,
            lambda p, file_id: p.record_pvg(
                by=by,
                checked_on=checked_on,
                today=today,
                membership_number=membership_number,
                renewal_due=renewal_due,
                evidence=evidence,
                evidence_id=file_id,
            ),
        )

    def record_insurance(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        expires_on: date,
        insurer: str = "",
        policy_number: str = "",
        cover: Decimal | None = None,
        evidence: Upload | None = None,
        expected_version: int | None = None,
    ) -> Done:
        today = self.today()
        insurer = self._text(insurer, 200, required=False)
        policy_number = self._text(policy_number, 60, required=False)
        return self._act_with_evidence(
            provider_id,
            expected_version,
            evidence,
            lambda p, file_id: p.record_insurance(
                by=by,
                expires_on=expires_on,
                today=today,
                insurer=insurer,
                policy_number=policy_number,
                cover=cover,
                evidence=evidence,
                evidence_id=file_id,
            ),
        )

    def record_training(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        course: str,
        completed_on: date | None,
        other_name: str = "",
        expires_on: date | None = None,
        evidence: Upload | None = None,
        expected_version: int | None = None,
    ) -> Done:
        """`course`: a key of the maintained list, or "other" with `other_name`."""
        today = self.today()
        key = course_key(course, other_name)
        return self._act_with_evidence(
            provider_id,
            expected_version,
            evidence,
            lambda p, file_id: p.record_training(
                by=by,
                course=key,
                completed_on=completed_on,
                today=today,
                expires_on=expires_on,
                evidence=evidence,
                evidence_id=file_id,
            ),
        )

    def record_standards_signed(
        self, provider_id: UUID, *, by: UUID, signed_on: date, expected_version: int | None = None
    ) -> Done:
        today = self.today()
        return self._act(
            provider_id,
            expected_version,
            lambda p: p.record_standards_signed(by=by, signed_on=signed_on, today=today),
        )

    def _act_with_evidence(
        self,
        provider_id: UUID,
        expected_version: int | None,
        evidence: Upload | None,
        action: Callable[[Provider, UUID | None], Any],
    ) -> Done:
        """Record a check and its file: the rules first (a refused check keeps no file), then
        the sealed file whole, then the event; if the event cannot be saved, the file goes."""
        provider = self.app.load(Provider, provider_id, expected_version)
        file_id = uuid4() if evidence is not None else None
        action(provider, file_id)
        if evidence is None or file_id is None:
            return Done(provider.id, self.app.record(provider))
        self.app.files.put(
            seal(self.app.keys, provider_id, file_id, evidence.media_type, evidence.data)
        )
        try:
            return Done(provider.id, self.app.record(provider))
        except BaseException:
            self.app.files.delete(file_id)
            raise

    def evidence_file(self, provider_id: UUID, file_id: UUID) -> tuple[bytes, str]:
        """A check's file and its media type, for the CIC. NotFound if it is not this
        provider's; Unreadable once the provider is erased."""
        provider = self.app.load(Provider, provider_id)
        stored = self.app.files.get(file_id)
        if stored is None or stored.owner_id != provider_id:
            raise NotFound(_("We could not find that file."))
        if all(kept != file_id for kept, _check, _course in provider.evidence):
            raise NotFound(_("We could not find that file."))
        return unseal(self.app.keys, stored), stored.media_type

    def hide_expired_listings(self, today: date, candidates: Iterable[UUID]) -> list[UUID]:
        """Hide every live listing among `candidates` whose insurance has lapsed; each an event.

        Candidates come from a read model, which may be behind: each aggregate decides for
        itself, so a stale candidate list can only mean a later sweep, never a wrong hide.
        Returns the providers hidden now."""
        hidden = []
        for provider_id in candidates:
            for _attempt in range(3):
                provider = self.app.load(Provider, provider_id)
                if not provider.hide_if_insurance_expired(today):
                    break
                try:
                    self.app.record(provider)
                except StaleState:
                    continue  # someone changed it meanwhile: look again
                hidden.append(provider_id)
                break
        return hidden

    # -- keeping the listing true ------------------------------------------------------------

    def propose_edit(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        changes: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> Done:
        return self._act(
            provider_id, expected_version, lambda p: p.propose_edit(by=by, changes=changes)
        )

    def edit_listing(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        changes: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> Done:
        """A provider changes their details: straight into an open application, or to review."""

        def act(provider: Provider) -> None:
            if allows(provider.status, Action.UPDATE_APPLICATION):
                provider.update_application(by=by, changes=changes)
            else:
                provider.propose_edit(by=by, changes=changes)

        return self._act(provider_id, expected_version, act)

    def approve_edit(
        self, provider_id: UUID, *, by: UUID, expected_version: int | None = None
    ) -> Done:
        return self._act(provider_id, expected_version, lambda p: p.approve_edit(by=by))

    def reject_edit(
        self, provider_id: UUID, *, by: UUID, reason: str, expected_version: int | None = None
    ) -> Done:
        reason = self._text(reason, 2000, required=False)
        return self._act(
            provider_id, expected_version, lambda p: p.reject_edit(by=by, reason=reason)
        )

    def confirm_listing(
        self, provider_id: UUID, *, by: UUID, expected_version: int | None = None
    ) -> Done:
        today = self.today()
        return self._act(
            provider_id, expected_version, lambda p: p.confirm_listing(by=by, today=today)
        )

    def set_intake(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        status: str,
        until: date | None = None,
        expected_version: int | None = None,
    ) -> Done:
        """Taking on new people, a waiting list, or full until a day (no review needed)."""
        today = self.today()
        return self._act(
            provider_id,
            expected_version,
            lambda p: p.set_intake(by=by, status=status, until=until, today=today),
        )

    # -- time travel -------------------------------------------------------------------------

    def version_on(self, provider_id: UUID, day: date) -> int | None:
        """The provider's version at the end of `day` (UTC), or None if it did not exist yet."""
        end_of_day = datetime.combine(day, time.max, tzinfo=UTC)
        version = None
        for stored in self.app.repository.event_store.get(provider_id):
            timestamp: datetime = getattr(stored, "timestamp")  # noqa: B009 - every Aggregate.Event has one
            if timestamp > end_of_day:
                break
            version = stored.originator_version
        return version

    def provider_on(self, provider_id: UUID, day: date) -> Provider | None:
        """The provider as it stood at the end of `day`."""
        version = self.version_on(provider_id, day)
        if version is None:
            return None
        provider: Any = self.app.repository.get(provider_id, version=version)
        if not isinstance(provider, Provider):
            raise NotFound(_("We could not find that record."))
        return provider
