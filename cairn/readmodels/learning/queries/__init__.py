"""Read-model queries for the learning log, one module per thing read. Every query that
returns learning takes a `Reader` and filters with `readable_by`, so nothing leaks past the
visibility rule. Callers use this package as one namespace (`queries as q`)."""

from cairn.readmodels.learning.queries.experiments import (
    Cycle,
    Observed,
    board,
    changes,
    experiment,
    experiments_of,
    funded_in_public,
    observation,
    search_rows,
    story,
)
from cairn.readmodels.learning.queries.reflections import (
    Redacted,
    Tally,
    TimelineFilter,
    Version,
    principle_tallies,
    reflection,
    reflection_versions,
    tag_tallies,
    timeline,
)
from cairn.readmodels.learning.queries.teams import (
    all_teams,
    approved_providers,
    names_of,
    reader_of,
    team_by_id,
    team_members,
    teams_shared_with,
)

__all__ = [
    "Cycle",
    "Observed",
    "Redacted",
    "Tally",
    "TimelineFilter",
    "Version",
    "all_teams",
    "approved_providers",
    "board",
    "changes",
    "experiment",
    "experiments_of",
    "funded_in_public",
    "names_of",
    "observation",
    "principle_tallies",
    "reader_of",
    "reflection",
    "reflection_versions",
    "search_rows",
    "story",
    "tag_tallies",
    "team_by_id",
    "team_members",
    "teams_shared_with",
    "timeline",
]
