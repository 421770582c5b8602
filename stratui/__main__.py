"""Allow `python -m stratui`."""

from stratui.cli import main

raise SystemExit(main())
