"""Arguments shared by several commands, so each is worded the same everywhere."""

from __future__ import annotations

import argparse
from typing import Any

Subcommands = Any
"""argparse's sub-parser collection (its class is private)."""


def add_plan_dir(parser: argparse.ArgumentParser) -> None:
    """The optional PLAN_DIR positional (default: the current folder)."""
    parser.add_argument(
        "plan_dir", nargs="?", default=".", metavar="PLAN_DIR", help="folder with plan.yaml (default: .)"
    )


def add_output(parser: argparse.ArgumentParser) -> None:
    """--output DIR (default: PLAN_DIR/output)."""
    parser.add_argument("--output", "-o", metavar="DIR", help="output folder (default: PLAN_DIR/output)")
