"""What the diary stores about a member, and deleting all of it (registered in bot/privacy.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.checkins.times import BACKDATE_DAYS
from bot.privacy import Category, Held, register, rowcount

# Every table holding rows about one member, with its user column.
USER_TABLES = (
    "checkins",
    "checkin_reminders",
    "checkin_dm_channels",
    "checkin_prompts",
    "checkin_notices",
    "checkin_outbox",
)


@dataclass(frozen=True)
class StoredData:
    checkins: int
    first_date: date | None
    last_date: date | None
    notes: int
    reminder: str | None  # "21:30 Europe/Berlin (paused: ...)" or None
    dm_channel: bool
    pending_prompts: int
    notices: int

    @property
    def empty(self) -> bool:
        return not (self.checkins or self.reminder or self.dm_channel or self.pending_prompts or self.notices)


async def stored_data(db, user_id: int) -> StoredData:
    row = await db.fetchone(
        "SELECT COUNT(*) AS n, MIN(local_date) AS first, MAX(local_date) AS last,"
        " SUM(note IS NOT NULL) AS notes FROM checkins WHERE user_id = ?",
        (user_id,),
    )
    reminder = await db.fetchone(
        "SELECT local_time, timezone, paused, paused_reason FROM checkin_reminders WHERE user_id = ?",
        (user_id,),
    )
    reminder_text = None
    if reminder:
        reminder_text = f"{reminder['local_time']} {reminder['timezone']}"
        if reminder["paused"]:
            reminder_text += " (paused: I couldn't reach your DMs)"
    return StoredData(
        checkins=row["n"],
        first_date=date.fromisoformat(row["first"]) if row["first"] else None,
        last_date=date.fromisoformat(row["last"]) if row["last"] else None,
        notes=row["notes"] or 0,
        reminder=reminder_text,
        dm_channel=bool(await db.fetchval("SELECT 1 FROM checkin_dm_channels WHERE user_id = ?", (user_id,))),
        pending_prompts=await db.fetchval(
            "SELECT COUNT(*) FROM checkin_prompts WHERE user_id = ?", (user_id,)
        ),
        notices=await db.fetchval("SELECT COUNT(*) FROM checkin_notices WHERE user_id = ?", (user_id,)),
    )


# -- the diary's categories in the privacy registry (bot/privacy.py) -----------------------
async def _count_checkins(db, user_id: int, ctx) -> Held:
    data = await stored_data(db, user_id)
    if not data.checkins:
        return Held(0)
    return Held(
        data.checkins,
        f"{data.first_date.isoformat()} to {data.last_date.isoformat()}, {data.notes} with a note",
    )


async def _count_reminder(db, user_id: int, ctx) -> Held:
    data = await stored_data(db, user_id)
    prompts = await db.fetchval("SELECT COUNT(*) FROM checkin_outbox WHERE user_id = ?", (user_id,))
    if not (data.reminder or prompts or data.pending_prompts or data.notices):
        return Held(0)
    bits = [
        data.reminder or "no reminder set",
        f"{prompts} recent prompt{'s' if prompts != 1 else ''} logged",
    ]
    if data.notices:
        bits.append(f"{data.notices} message{'s' if data.notices != 1 else ''} waiting for you")
    return Held(1 if data.reminder else 0, "; ".join(bits))


async def _count_dm_channel(db, user_id: int, ctx) -> Held:
    return Held(1 if (await stored_data(db, user_id)).dm_channel else 0)


async def _delete_tables(tx, user_id: int, tables: tuple[str, ...]) -> int:
    total = 0
    for table in tables:
        total += await rowcount(tx, f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
    return total


_REMINDER_TABLES = ("checkin_reminders", "checkin_outbox", "checkin_prompts", "checkin_notices")

register(
    Category(
        key="diary",
        label="Diary check-ins",
        count=_count_checkins,
        delete=lambda tx, uid, ctx: _delete_tables(tx, uid, ("checkins",)),
        columns=(("checkins", "user_id"),),
    ),
    Category(
        key="reminder",
        label="Daily reminder",
        count=_count_reminder,
        delete=lambda tx, uid, ctx: _delete_tables(tx, uid, _REMINDER_TABLES),
        retention=f"until you turn it off (a log of prompts sent: {BACKDATE_DAYS + 2} days)",
        columns=tuple((t, "user_id") for t in _REMINDER_TABLES),
    ),
    Category(
        key="dm_channel",
        label="Our DM conversation id",
        count=_count_dm_channel,
        delete=lambda tx, uid, ctx: _delete_tables(tx, uid, ("checkin_dm_channels",)),
        columns=(("checkin_dm_channels", "user_id"),),
    ),
)
