"""What the demo community holds: names, sample posts, settings and a sample diary.

Plain data and domain calls only (no discord, no simcord), so it can be tested on its own.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.checkins.entries import Checkin, build_checkin, save_checkin

GUILD_NAME = "RLS Support (demo)"
GUILD_ID = 1_300_000_000_000_000_001  # pinned so a resumed demo finds its server settings again
MOD_ROLE = "Moderators"

GENERAL = "general"
SUPPORT = "support"
CHECK_INS = "check-ins"
MOD_LOG = "mod-log"

YOU = "you"  # a member: the person trying the demo
MOD = "mod"  # a moderator
SAM = "sam"  # another member, with DMs closed

ZONE = "Europe/London"
REMINDER_TIME = "21:00"  # your daily DM prompt
COMMUNITY_TIME = "20:00"  # the daily post in #check-ins
START_AT = time(19, 0)  # the simulated clock is moved here (UTC) before anything is posted

WELCOME = (
    "Welcome to the demo server! Everything here is simulated on your machine; nothing reaches Discord.\n"
    "Type / in the message box to try a command, for example /treatment name:baclofen, "
    "/ask question:baclofen side effects, /checkin or /history. Your DM page gets the daily check-in "
    "prompt (run the demo with --fast-forward, or press Enter in its terminal, to get it now). "
    "#support has two sample posts; the moderators' page shows what the bot made of them."
)
# First-person past experience: shared freely, never flagged.
EXPERIENCE = "I quit pramipexole cold turkey in 2019 and the withdrawal was awful, it took weeks to settle."
# An unsupported claim: the bot opens a case for the moderators.
CLAIM = "Magnesium oil is a MIIIRACLE cure for restless legs, everyone should try it"

DIARY_DAYS = 28
_WIGGLE = (0, 1, -1, 2, 0, -1, 1)  # day-to-day ups and downs over a slow easing
_ONSET = ("evening", "bedtime", "evening", "afternoon", "bedtime", "evening", "bedtime")
STRETCHING_FROM = 14  # the diary's day when evening stretches were added


def start_time(now: datetime) -> datetime:
    """The instant the demo starts at: today (in simulated time) at ``START_AT`` UTC."""
    start = datetime.combine(now.date(), START_AT, tzinfo=now.tzinfo)
    return start if start >= now else now


def local_today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(ZONE)).date()


def sample_diary(user_id: int, today: date) -> list[Checkin]:
    """Four weeks of check-ins before ``today`` (today is left open, so the daily prompt is sent)."""
    entries = []
    for i in range(DIARY_DAYS):
        day = today - timedelta(days=DIARY_DAYS - i)
        severity = min(10, max(0, round(7.5 - 3.5 * i / DIARY_DAYS) + _WIGGLE[i % 7]))
        sleep = round(5.0 + 2.0 * i / DIARY_DAYS - 0.5 * _WIGGLE[i % 7], 1)
        entries.append(
            build_checkin(
                user_id,
                day,
                severity=severity,
                sleep_hours=sleep,
                onset=_ONSET[i % len(_ONSET)],
                treatments="iron tablets" if i < STRETCHING_FROM else "iron tablets, stretching",
                note="Started evening stretches." if i == STRETCHING_FROM else None,
            )
        )
    return entries


SEEDED_KEY = "demo_diary_seeded"


async def seed_diary(db, user_id: int, now: datetime) -> int:
    """Store the sample diary once per database; returns the rows added.

    A resumed demo keeps what you did, including a ``/mydata delete``: nothing is added again.
    """
    if await db.get_meta(SEEDED_KEY):
        return 0
    entries = sample_diary(user_id, local_today(now))
    for entry in entries:
        await save_checkin(db, entry, now)
    await db.set_meta(SEEDED_KEY, now.isoformat())
    return len(entries)
