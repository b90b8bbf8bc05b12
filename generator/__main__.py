"""`python -m generator` is the same command as the `sdkgen` console script."""

from .cli import main

main()
