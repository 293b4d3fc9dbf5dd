"""What tests in several folders share: ways to reach the stores, sign in, run the CLI and
take a provider along its journey. Test modules import from here, never from each other or
from another folder's conftest.py (tests/test_layout.py checks)."""
