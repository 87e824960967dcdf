"""``python -m bot articles import|check``, ``ask`` and ``treatment``."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the knowledge subcommands (filled in as the domain grows)."""
    return None
