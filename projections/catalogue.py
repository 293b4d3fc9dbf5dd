"""Every SQL read model Cairn keeps."""

from __future__ import annotations

from projections.accounts import AccountsProjection
from projections.audit import AuditProjection, SignInsProjection
from projections.base import Projection
from projections.enquiries import EnquiriesProjection
from projections.learning_experiments import LearningExperimentsProjection
from projections.learning_reflections import LearningReflectionsProjection
from projections.learning_teams import LearningTeamsProjection
from projections.provider_history import ProviderHistoryProjection
from projections.provider_reports import ProviderReportsProjection
from projections.providers import ProvidersProjection
from projections.unmet_demand import UnmetDemandProjection


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
