"""Cairn's own fictional demo content (directory and learning). Every name here is invented."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Engine

from cairn.domain.app import CairnApp
from cairn.eventlog.runner import Runner

# The demo accounts' password unless CAIRN_DEMO_PASSWORD says otherwise.
DEFAULT_DEMO_PASSWORD = "cairn-demo-password"  # noqa: S105 - fictional demo account, never production


class DemoSettings(Protocol):
    @property
    def environment(self) -> str: ...

    @property
    def demo_password(self) -> str | None: ...


class Runtime(Protocol):
    """What loading demo content needs of the runtime (cairn.bootstrap.runtime.Runtime,
    which this layer may not import: it sits above)."""

    @property
    def app(self) -> CairnApp: ...

    @property
    def settings(self) -> DemoSettings: ...

    @property
    def read_engine(self) -> Engine: ...

    @property
    def sql_runner(self) -> Runner: ...

    @property
    def learning_runner(self) -> Runner: ...

    @property
    def runners(self) -> list[Runner]: ...
