"""`python -m sim` is the `wcsim` command."""

from sim.cli import main

raise SystemExit(main())
