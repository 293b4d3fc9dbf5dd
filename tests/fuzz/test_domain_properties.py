"""Random sequences of commands never break an invariant of accounts or providers."""

from __future__ import annotations

from uuid import UUID

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from cairn.domain.accounts.account import Account, EmailIndex
from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError, DuplicateEmail, InvalidTransition, StaleState
from cairn.domain.validation import Invalid, clean_text
from tests.support.providers import record_current_checks

EMAILS = ["ann@cairn.example", "ANN@cairn.example", "bo@cairn.example", "cy@cairn.example"]
text = st.text(min_size=0, max_size=40)


def acceptable(reason: str) -> bool:
    """A reason the domain takes: some text, no hidden characters."""
    try:
        return bool(clean_text(reason, max_length=2000, multiline=True))
    except Invalid:
        return False


class CairnMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.app = CairnApp()
        self.admin = self.app.accounts.register(
            "admin@cic.example", "Admin", [Role.CIC_ADMIN], "a long enough password"
        ).id
        self.accounts: dict[str, UUID] = {}  # lower-cased email → account
        self.roles: dict[UUID, set[str]] = {}
        self.providers: dict[UUID, Status] = {}
        self.versions: dict[UUID, int] = {}
        self.checked: set[UUID] = set()
        self.applied: set[str] = (
            set()
        )  # lower-cased emails with a provider  # PVG and insurance on record: approval is allowed
        self.events = self.app.head()

    @rule(email=st.sampled_from(EMAILS), name=text, password=text)
    def register(self, email: str, name: str, password: str) -> None:
        try:
            done = self.app.accounts.register(email, name, [Role.PROVIDER], password)
        except DuplicateEmail:
            assert email.lower() in self.accounts
            return
        except DomainError:
            return  # refused input: nothing may be saved (checked by the event count)
        assert email.lower() not in self.accounts
        self.accounts[email.lower()] = done.id
        self.roles[done.id] = {Role.PROVIDER.value}
        self.events += 2  # the account and its email claim

    @rule(data=st.data(), role=st.sampled_from(list(Role)))
    def grant(self, data: st.DataObject, role: Role) -> None:
        if not self.accounts:
            return
        account_id = data.draw(st.sampled_from(sorted(self.accounts.values())))
        try:
            self.app.accounts.grant_role(account_id, role)
        except DomainError:
            assert role.value in self.roles[account_id]
            return
        assert role.value not in self.roles[account_id]
        self.roles[account_id].add(role.value)
        self.events += 1

    @rule(name=text, contact=text, email=st.sampled_from(EMAILS))
    def apply(self, name: str, contact: str, email: str) -> None:
        try:
            done = self.app.directory.apply(
                name=name or "x", contact_name=contact, email=email, postcode="KA7 1AA", services=[]
            )
        except DuplicateEmail:
            assert email.lower() in self.applied  # one listing per email, whatever its case
            return
        except DomainError:
            return  # refused input: nothing may be saved (checked by the event count)
        assert email.lower() not in self.applied
        self.applied.add(email.lower())
        self.providers[done.id] = Status.APPLIED
        self.versions[done.id] = 1
        self.events += 2  # the application and its email claim

    @rule(data=st.data())
    def record_checks(self, data: st.DataObject) -> None:
        if not self.providers:
            return
        pid = data.draw(st.sampled_from(sorted(self.providers)))
        open_or_listed = self.providers[pid] in (Status.APPLIED, Status.APPROVED)
        try:
            record_current_checks(self.app, pid, by=self.admin)
        except InvalidTransition:
            assert not open_or_listed  # a declined application takes no more checks
            return
        assert open_or_listed
        self.checked.add(pid)
        self.versions[pid] += 2
        self.events += 2

    @rule(
        data=st.data(),
        approve=st.booleans(),
        reason=text,
        stale=st.booleans(),
    )
    def decide(self, data: st.DataObject, approve: bool, reason: str, stale: bool) -> None:
        if not self.providers:
            return
        pid = data.draw(st.sampled_from(sorted(self.providers)))
        version = self.versions[pid] + (1 if stale else 0)
        try:
            if approve:
                self.app.directory.approve(pid, by=self.admin, expected_version=version)
            else:
                self.app.directory.decline(
                    pid, by=self.admin, reason=reason, expected_version=version
                )
        except StaleState:
            assert stale
            return
        except InvalidTransition:
            if approve:
                assert self.providers[pid] != Status.APPLIED or pid not in self.checked
            else:
                assert self.providers[pid] != Status.APPLIED or not acceptable(reason)
            return
        assert not stale and self.providers[pid] == Status.APPLIED
        self.providers[pid] = Status.APPROVED if approve else Status.DECLINED
        self.versions[pid] += 1
        self.events += 1

    @invariant()
    def the_store_agrees_with_the_model(self) -> None:
        if not hasattr(self, "app"):
            return
        assert self.app.head() == self.events  # nothing lost, nothing extra from refusals
        for pid, status in self.providers.items():
            provider = self.app.load(Provider, pid)
            assert provider.status == status
            assert provider.version == self.versions[pid]
            assert (provider.decided_by is None) == (status == Status.APPLIED)
        for email, account_id in self.accounts.items():
            account = self.app.load(Account, account_id)
            assert set(account.roles) == self.roles[account_id]
            assert len(account.roles) == len(set(account.roles))
            assert self.app.load(EmailIndex, EmailIndex.create_id(email)).account_id == account_id


CairnMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCairnInvariants = CairnMachine.TestCase
