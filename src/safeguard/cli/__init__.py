"""The `safeguard` command."""
