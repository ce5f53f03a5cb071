"""`python -m safeguard` runs the `safeguard` command."""

from safeguard.cli.app import main

if __name__ == "__main__":  # guarded: worker processes re-import this module
    main()
