"""`python -m safeguard` runs the `safeguard` command."""

from safeguard.cli.app import main

main()
