"""Every SQL read model Cairn keeps."""

from __future__ import annotations

from cairn.readmodels.accounts.accounts import AccountsProjection
from cairn.readmodels.audit.audit import AuditProjection, SignInsProjection
from cairn.readmodels.base import Projection
from cairn.readmodels.directory.provider_history import ProviderHistoryProjection
from cairn.readmodels.directory.provider_reports import ProviderReportsProjection
from cairn.readmodels.directory.providers import ProvidersProjection
from cairn.readmodels.enquiries.enquiries import EnquiriesProjection
from cairn.readmodels.enquiries.unmet_demand import UnmetDemandProjection
from cairn.readmodels.learning.experiments import LearningExperimentsProjection
from cairn.readmodels.learning.reflections import LearningReflectionsProjection
from cairn.readmodels.learning.teams import LearningTeamsProjection


def sql_projections() -> list[Projection]:
    return [
        AccountsProjection(),
        ProvidersProjection(),
        ProviderHistoryProjection(),
        ProviderReportsProjection(),
        AuditProjection(),
        SignInsProjection(),
        EnquiriesProjection(),
        UnmetDemandProjection(),
        LearningTeamsProjection(),
        LearningReflectionsProjection(),
        LearningExperimentsProjection(),
    ]
