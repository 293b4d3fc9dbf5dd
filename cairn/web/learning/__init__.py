"""The learning system's web pages: `bp` (/learning: for members, but for what is shared
beyond the teams) and `funding_bp` (public).

Importing the view modules registers their routes on the blueprints."""

from cairn.web.learning import (
    conversation,
    experiments,
    funding,
    funding_records,
    logs,
    open_learning,
    partnership,
    reflections,
    teams,
    voices,
)
from cairn.web.learning.common import bp, funding_bp

__all__ = [
    "bp",
    "conversation",
    "experiments",
    "funding",
    "funding_bp",
    "funding_records",
    "logs",
    "open_learning",
    "partnership",
    "reflections",
    "teams",
    "voices",
]
