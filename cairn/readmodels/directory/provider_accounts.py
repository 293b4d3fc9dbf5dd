"""Which account looks after which provider, and where to email them: for the provider inbox
and enquiry notifications.

Filled by reloading each provider touched in a batch (once per batch, in `flush`), so any
`Provider.*` event that changes the name, email or account link is picked up."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, Column, Connection, Index, String, Table, Uuid, delete

from cairn.readmodels.base import Projection
from cairn.readmodels.batch import insert_rows
from cairn.readmodels.database import metadata
from cairn.readmodels.fold import AggregateFold

provider_accounts = Table(
    "provider_accounts",
    metadata,
    Column("provider_id", Uuid, primary_key=True),
    Column("account_id", Uuid),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("listed", Boolean, nullable=False),
    Index("ix_provider_accounts_account", "account_id"),
)


class ProviderAccountsProjection(Projection):
    name = "provider-accounts"
    tables = (provider_accounts,)

    def __init__(self, app: Any) -> None:
        # Anything with `.repository.get(id, version=…)`: the CairnApp in production.
        self.app = app
        self._fold = AggregateFold(lambda key, version: app.repository.get(key, version=version))
        self._touched: dict[UUID, Any] = {}

    def wants(self, event_type: type) -> bool:
        return event_type.__qualname__.startswith("Provider.")

    def handle(self, conn: Connection, domain_event: Any, position: int) -> None:
        if self.wants(type(domain_event)):
            self._touched[domain_event.originator_id] = self._fold.apply(domain_event)

    def discard(self) -> None:
        self._touched = {}
        self._fold.clear()

    def flush(self, conn: Connection) -> None:
        touched, self._touched = self._touched, {}
        if not touched:
            return
        conn.execute(
            delete(provider_accounts).where(provider_accounts.c.provider_id.in_(list(touched)))
        )
        insert_rows(
            conn,
            provider_accounts,
            [
                {
                    "provider_id": provider_id,
                    "account_id": provider.account_id,
                    "name": provider.name,
                    "email": provider.email,
                    "listed": provider.public_listing() is not None,
                }
                for provider_id, provider in touched.items()
            ],
        )
