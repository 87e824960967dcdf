"""What the diary stores about a member, and deleting all of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


async def delete_everything(db, user_id: int) -> dict[str, int]:
    """Delete every row about the member in one transaction; returns rows deleted per table."""
    deleted = {}
    async with db.transaction() as conn:
        for table in USER_TABLES:
            cursor = await conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
            deleted[table] = cursor.rowcount
            await cursor.close()
    return deleted
