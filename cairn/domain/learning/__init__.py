"""The learning context: teams, reflections and experiments."""

# Declares the personal fields of learning events; imported with the package so that no
# event is ever saved or read before its declaration is in place.
from cairn.domain.learning import personal_data as _personal_data  # noqa: F401
