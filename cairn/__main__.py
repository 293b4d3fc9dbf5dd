"""`python -m cairn` is the same as the `cairn` command."""

from cairn.cli.main import main

main()
