"""What the bot holds about one member, and deleting it: one registry for /mydata and the CLI.

Each domain declares its categories of personal data in its own ``privacy``
module and registers them here (like Red-DiscordBot's
``red_delete_data_for_user``): a label, how to count what is held, how to
delete it, and — when deletion keeps something — exactly what stays. The
texts members see (``/mydata show``, the ``/mydata delete`` confirmation,
``/privacy``) are built from these declarations, so they say exactly what the
code does.

To add a domain (e.g. learned moderation examples): write
``bot/<domain>/privacy.py`` that calls :func:`register` at import time, and
add its module name to :data:`DOMAINS`. ``tests/bot/test_privacy.py`` then
checks that every table holding a user id is covered by some category.

Nothing here imports discord.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

DOMAINS = ("bot.checkins.privacy", "bot.moderation.privacy")


@dataclass
class Context:
    """What a category needs besides the database: the time, the retention period."""

    now: datetime
    retention_days: int
    # Filled in by deletions, for the caller to tidy up outside the database
    # (e.g. moderation log messages that quoted a deleted text): (guild_id, case number).
    changed_cases: list[tuple[int, int]] = field(default_factory=list)
    # Posts in Discord that quoted the member and must be scrubbed: (channel_id, message_id).
    posts_to_scrub: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Held:
    """One category's answer for one member."""

    count: int
    detail: str = ""  # a short phrase shown after the count


@dataclass(frozen=True)
class Category:
    key: str
    label: str  # e.g. "Diary check-ins"
    # async count(db, user_id, ctx) -> Held: read through the Database owner.
    count: Callable[[Any, int, Context], Awaitable[Held]]
    # async delete(tx, user_id, ctx) -> rows changed: inside the one deletion transaction.
    delete: Callable[[Any, int, Context], Awaitable[int]]
    # What deletion keeps, as a sentence for the member ("" = nothing is kept).
    kept: str = ""
    # How long it is kept without a deletion request, as a phrase (may use {days}).
    retention: str = "until you delete it"
    # Tables and user-id columns this category covers (for the coverage test).
    columns: tuple[tuple[str, str], ...] = ()


_REGISTRY: dict[str, Category] = {}


def register(*categories: Category) -> None:
    """Add a domain's categories (call at import time of the domain's privacy module)."""
    for category in categories:
        if category.key in _REGISTRY and _REGISTRY[category.key] is not category:
            raise ValueError(f"privacy category {category.key!r} is registered twice")
        _REGISTRY[category.key] = category


def categories() -> list[Category]:
    """Every registered category, in registration order (domains in :data:`DOMAINS` order)."""
    for module in DOMAINS:
        importlib.import_module(module)
    order = {name: i for i, name in enumerate(DOMAINS)}
    # Stable: domains in DOMAINS order (whatever was imported first), each in its own order.
    return sorted(_REGISTRY.values(), key=lambda c: order.get(c.count.__module__, len(order)))


@dataclass(frozen=True)
class Entry:
    category: Category
    held: Held

    def line(self, days: int) -> str:
        text = f"{self.category.label}: {self.held.count}"
        if self.held.detail:
            text += f" ({self.held.detail})"
        if self.held.count:
            text += f"; kept {self.category.retention.format(days=days)}"
        return text


async def report(db, user_id: int, ctx: Context) -> list[Entry]:
    """What every category holds about the member (including the ones that hold nothing)."""
    return [Entry(c, await c.count(db, user_id, ctx)) for c in categories()]


async def forget(db, user_id: int, ctx: Context) -> dict[str, int]:
    """Delete what every category holds about the member, in one transaction; rows per category."""
    done: dict[str, int] = {}
    async with db.transaction() as tx:
        for category in categories():
            done[category.key] = await category.delete(tx, user_id, ctx)
    return done


def kept_after_deletion() -> list[str]:
    """The sentences saying exactly what a deletion keeps."""
    return [c.kept for c in categories() if c.kept]


async def rowcount(tx, sql: str, params=()) -> int:
    """Run one statement on a transaction's connection; returns rows changed."""
    cursor = await tx.execute(sql, params)
    count = cursor.rowcount
    await cursor.close()
    return max(count, 0)
