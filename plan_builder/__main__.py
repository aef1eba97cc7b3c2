"""Allow ``python -m plan_builder``."""

from plan_builder.cli import main

raise SystemExit(main())
