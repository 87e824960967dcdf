"""Local times, time zones and dates: parsing and the scheduling arithmetic.

Everything takes ``now`` (an aware UTC datetime) as an argument; nothing here
reads the clock.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import UserError

BACKDATE_DAYS = 7

_TIME_24 = re.compile(r"^([01]?\d|2[0-3])(?:[:.h]([0-5]\d))?$")
_TIME_12 = re.compile(r"^(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*([ap])\.?\s*m?\.?$")


def parse_local_time(text: str) -> time:
    """``"21:30"``, ``"9:30pm"``, ``"9 PM"``, ``"21h30"``, ``"0730"`` → a time of day."""
    raw = (text or "").strip().lower()
    if re.fullmatch(r"\d{4}", raw):
        raw = f"{raw[:2]}:{raw[2:]}"
    if match := _TIME_12.fullmatch(raw):
        hour = int(match.group(1)) % 12 + (12 if match.group(3) == "p" else 0)
        return time(hour, int(match.group(2) or 0))
    if (match := _TIME_24.fullmatch(raw)) and (":" in raw or "." in raw or "h" in raw):
        return time(int(match.group(1)), int(match.group(2) or 0))
    shown = (text or "").strip()[:40] or "(empty)"
    raise UserError(
        f"“{shown}” is not a time I understand. Use a 24-hour time like 21:30 or a 12-hour one like 9:30pm."
    )


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


@lru_cache(maxsize=1)
def _zones_by_fold() -> dict[str, str]:
    return {z.casefold(): z for z in _zones()}


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA zone by name (case-insensitive, spaces allowed for underscores)."""
    raw = (name or "").strip().replace(" ", "_")
    canonical = _zones_by_fold().get(raw.casefold())
    if canonical is None:
        shown = (name or "").strip()[:60] or "(empty)"
        raise UserError(
            f"“{shown}” is not a time zone I know. Pick one from the list, written like Europe/Berlin "
            "or America/New_York."
        )
    try:
        return ZoneInfo(canonical)
    except ZoneInfoNotFoundError as exc:  # pragma: no cover - tzdata is a dependency
        raise UserError(f"The time zone {canonical} is not available here.") from exc


def suggest_timezones(text: str, limit: int = 25) -> list[str]:
    """Zone names matching what was typed: prefix matches of any path part first."""
    query = (text or "").strip().replace(" ", "_").casefold()
    if not query:
        common = [
            "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago",
            "America/Denver", "America/Los_Angeles", "America/Toronto", "Australia/Sydney",
            "Asia/Tokyo", "Asia/Kolkata", "Pacific/Auckland", "UTC",
        ]  # fmt: skip
        return common[:limit]
    starts, parts, contains = [], [], []
    for zone in _zones():
        folded = zone.casefold()
        if folded.startswith(query):
            starts.append(zone)
        elif any(part.startswith(query) for part in folded.split("/")):
            parts.append(zone)
        elif query in folded:
            contains.append(zone)
    return (starts + parts + contains)[:limit]


def local_date(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def occurrence(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local ``at`` on ``day``.

    A time that does not exist that day (the spring-forward gap) lands just
    after the gap, at the same distance from midnight; a time that happens
    twice (autumn) is the first of the two.
    """
    local = datetime.combine(day, at, tzinfo=zone).replace(fold=0)
    return local.astimezone(UTC)


def next_occurrence(at: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first UTC instant strictly after ``after`` whose local time is ``at``."""
    day = local_date(after, zone) - timedelta(days=1)
    for _ in range(4):
        candidate = occurrence(day, at, zone)
        if candidate > after:
            return candidate
        day += timedelta(days=1)
    raise AssertionError("unreachable: a local time occurs every day")  # pragma: no cover


def latest_occurrence(at: time, zone: ZoneInfo, now: datetime) -> tuple[date, datetime]:
    """The most recent (local date, UTC instant) at or before ``now`` whose local time is ``at``."""
    day = local_date(now, zone) + timedelta(days=1)
    for _ in range(4):
        candidate = occurrence(day, at, zone)
        if candidate <= now:
            return day, candidate
        day -= timedelta(days=1)
    raise AssertionError("unreachable")  # pragma: no cover


def parse_entry_date(text: str | None, today: date) -> date:
    """The diary date a member typed: today by default, ISO dates, "today", "yesterday".

    Dates in the future or more than BACKDATE_DAYS back are refused.
    """
    raw = (text or "").strip().casefold()
    if raw in ("", "today"):
        return today
    if raw == "yesterday":
        value = today - timedelta(days=1)
    elif match := re.fullmatch(r"-?(\d+)\s*(?:d|days?)?\s*(?:ago)?", raw):
        value = today - timedelta(days=int(match.group(1)))
    else:
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            raise UserError(
                f"“{(text or '').strip()[:40]}” is not a date I understand. Use YYYY-MM-DD, like "
                f"{today.isoformat()}, or “yesterday”."
            ) from None
    if value > today:
        raise UserError(f"{value.isoformat()} is in the future: a check-in can only be for today or earlier.")
    if (today - value).days > BACKDATE_DAYS:
        raise UserError(
            f"{value.isoformat()} is more than {BACKDATE_DAYS} days ago: check-ins can be added "
            f"up to {BACKDATE_DAYS} days back (from {(today - timedelta(days=BACKDATE_DAYS)).isoformat()})."
        )
    return value


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
