"""`python -m webapp` is the same as the `cairn` command."""

from webapp.cli import main

main()
