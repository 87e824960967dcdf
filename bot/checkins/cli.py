"""``python -m bot diary-due``.

(Deleting a member's data is ``python -m bot forget-user``, in :mod:`bot.cli`.)

- ``diary-due`` prints how many daily prompts are due at a moment (default
  now) and when the next one is.

It works on the database in ``BOT_DATABASE`` and needs no token.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from bot.checkins import reminders, scheduler
from bot.db import Database


def register(subparsers: argparse._SubParsersAction) -> None:
    due = subparsers.add_parser(
        "diary-due",
        help="how many daily check-in prompts are due",
        description="Count daily check-in prompts due at a moment and show the next one.",
    )
    due.add_argument("--at", default=None, help="ISO 8601 moment, e.g. 2026-03-29T19:30Z (default: now)")
    due.set_defaults(func=run_due)


async def _open(settings) -> Database:
    db = await Database(settings.database).open()
    await db.migrate()
    return db


def run_due(args: argparse.Namespace, settings) -> int:
    try:
        at = datetime.fromisoformat(args.at.replace("Z", "+00:00")) if args.at else datetime.now(UTC)
    except ValueError:
        print(f"error: --at {args.at!r} is not an ISO 8601 moment", file=sys.stderr)
        return 2
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)

    async def main():
        db = await _open(settings)
        try:
            return len(await reminders.due_reminders(db, at, 1_000_000)), await scheduler.next_wakeup(db)
        finally:
            await db.close()

    count, nxt = asyncio.run(main())
    print(f"due at {at.isoformat()}: {count}")
    print(f"next: {nxt.isoformat() if nxt else 'none scheduled'}")
    return 0
