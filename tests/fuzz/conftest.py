"""The security fixtures (an app, the matrix's world) serve the fuzzers too."""

from tests.security.conftest import app, world  # noqa: F401
