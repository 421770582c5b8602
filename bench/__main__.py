"""`python -m bench` from the repository root: see bench/run.py and README, "Performance"."""

from bench.run import main

raise SystemExit(main())
