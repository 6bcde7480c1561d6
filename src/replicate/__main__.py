"""`python -m replicate` is the same as the `replicate` command."""

from replicate.cli import main

main()
