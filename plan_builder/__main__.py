"""Allow ``python -m plan_builder``."""

from plan_builder.commands.cli import main

raise SystemExit(main())
