"""Daily DM prompts and community prompts: the schedules, stored in SQLite.

The scheduler that turns due schedules into sent prompts is
:mod:`bot.checkins.scheduler`.

Each reminder row holds ``next_due_utc`` (epoch seconds, indexed), so finding
who is due is one indexed range query (:func:`due_reminders`). When a row is
processed the decision is made by :func:`plan_prompt`:

- the prompt belongs to the most recent local occurrence of the member's time;
- it is sent late if that occurrence is at most ``GRACE`` ago, else skipped
  (the bot was down);
- never twice for the same local day, and not when that day already has a
  check-in;
- the next due time is the next local occurrence, computed in the member's
  zone so daylight-saving changes keep the local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.checkins import times
from bot.checkins.entries import has_checkin

GRACE = timedelta(hours=2)
DM_CLOSED = "dm_closed"


class Reminder(NamedTuple):
    """One member's daily prompt schedule (a named tuple: thousands are read in one go when a
    minute has many members due, and a tuple is several times quicker to build than a frozen
    dataclass)."""

    user_id: int
    local_time: time
    timezone: str
    next_due_utc: datetime
    paused: bool
    paused_reason: str | None
    last_sent_date: date | None
    version: int = 0  # bumped by every change, so the scheduler's writes never undo one

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class PromptPlan:
    send: bool
    local_date: date  # the day the prompt is about
    next_due_utc: datetime
    reason: str  # "due", "late", "missed", "already_sent", "checked_in"


@lru_cache(maxsize=2048)
def _clock_time(text: str) -> time:
    return time.fromisoformat(text)  # members' times are few distinct values ("21:30")


@lru_cache(maxsize=512)
def _day(text: str) -> date:
    return date.fromisoformat(text)  # and last-sent days a few recent ones


@lru_cache(maxsize=4096)
def _moment(epoch: int) -> datetime:
    return times.from_epoch(epoch)  # members due together share a due minute


def _row_to_reminder(row) -> Reminder:
    """A row selected with ``_REMINDER_COLUMNS``, in that order."""
    user_id, local_time, timezone, due, paused, paused_reason, last_sent, version = row
    return Reminder(
        user_id,
        _clock_time(local_time),
        timezone,
        _moment(due),
        bool(paused),
        paused_reason,
        _day(last_sent) if last_sent else None,
        version,
    )


_REMINDER_COLUMNS = (
    "user_id, local_time, timezone, next_due_utc, paused, paused_reason, last_sent_date, version"
)


async def set_reminder(db, user_id: int, at: time, zone: ZoneInfo, now: datetime) -> Reminder:
    """Create or change the member's reminder; it also resumes a paused one."""
    due = times.next_occurrence(at, zone, now)
    await db.execute(
        "INSERT INTO checkin_reminders(user_id, local_time, timezone, next_due_utc, paused, paused_reason,"
        " created_at) VALUES(?, ?, ?, ?, 0, NULL, ?) ON CONFLICT(user_id) DO UPDATE SET"
        " local_time = excluded.local_time, timezone = excluded.timezone,"
        " next_due_utc = excluded.next_due_utc, paused = 0, paused_reason = NULL,"
        " version = checkin_reminders.version + 1",
        (user_id, times.format_time(at), zone.key, times.epoch(due), now.isoformat()),
    )
    await clear_notice(db, user_id, DM_CLOSED)
    reminder = await get_reminder(db, user_id)
    assert reminder is not None
    return reminder


async def set_reminders_bulk(db, rows: list[tuple[int, time, ZoneInfo]], now: datetime) -> None:
    """Create or change many reminders in one transaction (imports, load tests)."""
    await db.executemany(
        "INSERT INTO checkin_reminders(user_id, local_time, timezone, next_due_utc, paused, paused_reason,"
        " created_at) VALUES(?, ?, ?, ?, 0, NULL, ?) ON CONFLICT(user_id) DO UPDATE SET"
        " local_time = excluded.local_time, timezone = excluded.timezone,"
        " next_due_utc = excluded.next_due_utc, paused = 0, paused_reason = NULL,"
        " version = checkin_reminders.version + 1",
        [
            (
                user_id,
                times.format_time(at),
                zone.key,
                times.epoch(times.next_occurrence(at, zone, now)),
                now.isoformat(),
            )
            for user_id, at, zone in rows
        ],
    )


async def get_reminder(db, user_id: int) -> Reminder | None:
    row = await db.fetchone(
        f"SELECT {_REMINDER_COLUMNS} FROM checkin_reminders WHERE user_id = ?", (user_id,)
    )
    return _row_to_reminder(row) if row else None


async def delete_reminder(db, user_id: int) -> bool:
    existed = await get_reminder(db, user_id) is not None
    await db.execute("DELETE FROM checkin_reminders WHERE user_id = ?", (user_id,))
    await clear_notice(db, user_id, DM_CLOSED)
    return existed


async def member_zone(db, user_id: int) -> ZoneInfo:
    """The member's time zone: their reminder's, else UTC."""
    name = await db.fetchval("SELECT timezone FROM checkin_reminders WHERE user_id = ?", (user_id,))
    return ZoneInfo(name or "UTC")


async def member_today(db, user_id: int, now: datetime) -> date:
    return times.local_date(now, await member_zone(db, user_id))


async def due_reminders(db, now: datetime, limit: int = 500) -> list[Reminder]:
    """Active reminders due at or before ``now``, earliest first: one indexed range query."""
    rows = await db.fetchall(
        f"SELECT {_REMINDER_COLUMNS} FROM checkin_reminders INDEXED BY checkin_reminders_due"
        " WHERE paused = 0 AND next_due_utc <= ? ORDER BY next_due_utc LIMIT ?",
        (times.epoch(now), limit),
    )
    return [_row_to_reminder(r) for r in rows]


def plan_occurrence(
    at: time, zone: ZoneInfo, now: datetime, last_sent: date | None, checked_in: bool | None = None
) -> PromptPlan:
    """Decide about the most recent occurrence at or before ``now`` (pure; see module doc)."""
    day, moment = times.latest_occurrence(at, zone, now)
    following = times.next_occurrence(at, zone, now)
    late = now - moment
    if late > GRACE:
        return PromptPlan(False, day, following, "missed")
    if last_sent == day:
        return PromptPlan(False, day, following, "already_sent")
    if checked_in:
        return PromptPlan(False, day, following, "checked_in")
    return PromptPlan(True, day, following, "late" if late > timedelta(minutes=1) else "due")


async def plan_prompt(db, reminder: Reminder, now: datetime) -> PromptPlan:
    day, _ = times.latest_occurrence(reminder.local_time, reminder.zone, now)
    checked_in = await has_checkin(db, reminder.user_id, day)
    return plan_occurrence(reminder.local_time, reminder.zone, now, reminder.last_sent_date, checked_in)


async def pause_reminder(db, user_id: int, reason: str, now: datetime) -> None:
    """Stop prompting (e.g. closed DMs) and leave a notice for the member's next command."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE checkin_reminders SET paused = 1, paused_reason = ?, version = version + 1 WHERE user_id = ?",
            (reason, user_id),
        )
        await conn.execute(
            "INSERT OR REPLACE INTO checkin_notices(user_id, kind, created_at) VALUES(?, ?, ?)",
            (user_id, reason, now.isoformat()),
        )


async def pop_notices(db, user_id: int) -> list[str]:
    """Notices waiting for the member (each returned once)."""
    async with db.transaction() as tx:
        cursor = await tx.execute("DELETE FROM checkin_notices WHERE user_id = ? RETURNING kind", (user_id,))
        rows = await cursor.fetchall()
        await cursor.close()
    return sorted(r[0] for r in rows)


async def clear_notice(db, user_id: int, kind: str) -> None:
    await db.execute("DELETE FROM checkin_notices WHERE user_id = ? AND kind = ?", (user_id, kind))


# -- DM channels and sent prompts -----------------------------------------
async def get_dm_channel(db, user_id: int) -> int | None:
    return await db.fetchval("SELECT channel_id FROM checkin_dm_channels WHERE user_id = ?", (user_id,))


async def forget_dm_channel(db, user_id: int) -> None:
    await db.execute("DELETE FROM checkin_dm_channels WHERE user_id = ?", (user_id,))


async def remember_dm_channel(db, user_id: int, channel_id: int) -> None:
    await db.execute(
        "INSERT INTO checkin_dm_channels(user_id, channel_id) VALUES(?, ?)"
        " ON CONFLICT(user_id) DO UPDATE SET channel_id = excluded.channel_id"
        " WHERE checkin_dm_channels.channel_id != excluded.channel_id",
        (user_id, channel_id),
    )


# -- community prompts ------------------------------------------------------
@dataclass(frozen=True)
class CommunityPrompt:
    guild_id: int
    channel_id: int
    local_time: time
    timezone: str
    next_due_utc: datetime
    last_sent_date: date | None
    version: int = 0

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _row_to_community(row) -> CommunityPrompt:
    return CommunityPrompt(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        local_time=time.fromisoformat(row["local_time"]),
        timezone=row["timezone"],
        next_due_utc=times.from_epoch(row["next_due_utc"]),
        last_sent_date=date.fromisoformat(row["last_sent_date"]) if row["last_sent_date"] else None,
        version=row["version"],
    )


_COMMUNITY_COLUMNS = "guild_id, channel_id, local_time, timezone, next_due_utc, last_sent_date, version"


async def set_community_prompt(
    db, guild_id: int, channel_id: int, at: time, zone: ZoneInfo, now: datetime
) -> CommunityPrompt:
    due = times.next_occurrence(at, zone, now)
    await db.execute(
        "INSERT INTO checkin_community_prompts(guild_id, channel_id, local_time, timezone, next_due_utc,"
        " created_at) VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(guild_id) DO UPDATE SET"
        " channel_id = excluded.channel_id, local_time = excluded.local_time,"
        " timezone = excluded.timezone, next_due_utc = excluded.next_due_utc,"
        " version = checkin_community_prompts.version + 1",
        (guild_id, channel_id, times.format_time(at), zone.key, times.epoch(due), now.isoformat()),
    )
    prompt = await get_community_prompt(db, guild_id)
    assert prompt is not None
    return prompt


async def get_community_prompt(db, guild_id: int) -> CommunityPrompt | None:
    row = await db.fetchone(
        f"SELECT {_COMMUNITY_COLUMNS} FROM checkin_community_prompts WHERE guild_id = ?", (guild_id,)
    )
    return _row_to_community(row) if row else None


async def delete_community_prompt(db, guild_id: int) -> bool:
    existed = await get_community_prompt(db, guild_id) is not None
    await db.execute("DELETE FROM checkin_community_prompts WHERE guild_id = ?", (guild_id,))
    return existed


async def due_community_prompts(db, now: datetime, limit: int = 100) -> list[CommunityPrompt]:
    rows = await db.fetchall(
        f"SELECT {_COMMUNITY_COLUMNS} FROM checkin_community_prompts WHERE next_due_utc <= ?"
        " ORDER BY next_due_utc LIMIT ?",
        (times.epoch(now), limit),
    )
    return [_row_to_community(r) for r in rows]


async def reschedule_community(
    db, prompt: CommunityPrompt, next_due: datetime, *, sent_date: date | None
) -> bool:
    """Move a community prompt on, unless it was changed since it was read (compare-and-set)."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE checkin_community_prompts SET next_due_utc = ?, version = version + 1,"
            " last_sent_date = COALESCE(?, last_sent_date) WHERE guild_id = ? AND version = ?",
            (
                times.epoch(next_due),
                sent_date.isoformat() if sent_date else None,
                prompt.guild_id,
                prompt.version,
            ),
        )
        changed = cursor.rowcount == 1
        await cursor.close()
    return changed
