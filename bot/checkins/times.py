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
MAX_TYPED = 64  # longest time, zone or date a member may type; parsers refuse longer input at once

_TIME_24 = re.compile(r"^([01]?\d|2[0-3])(?:[:.h]([0-5]\d)?)?$")
_TIME_12 = re.compile(r"^(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*([ap])\.?\s*m?\.?$")


def _bounded(text: str | None, what: str) -> str:
    """The stripped text, or a clear refusal when it is far longer than any valid value."""
    raw = (text or "").strip()
    if len(raw) > MAX_TYPED:
        raise UserError(
            f"That {what} is {len(raw)} characters long; no {what} is longer than {MAX_TYPED}. "
            "Please check what you typed."
        )
    return raw


_WORDS = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}


def parse_local_time(text: str) -> time:
    """``"21:30"``, ``"9:30pm"``, ``"9 PM"``, ``"21h30"``, ``"21h"``, ``"0730"``, ``"noon"`` → a time of day."""
    raw = _bounded(text, "time").lower()
    if raw in _WORDS:
        return _WORDS[raw]
    if re.fullmatch(r"\d{4}", raw):
        raw = f"{raw[:2]}:{raw[2:]}"
    if match := _TIME_12.fullmatch(raw):
        hour = int(match.group(1)) % 12 + (12 if match.group(3) == "p" else 0)
        return time(hour, int(match.group(2) or 0))
    if (match := _TIME_24.fullmatch(raw)) and (":" in raw or "." in raw or "h" in raw):
        return time(int(match.group(1)), int(match.group(2) or 0))
    if re.fullmatch(r"\d{1,2}", raw):
        hour = int(raw)
        if hour == 0 or 13 <= hour <= 23:  # only one reading
            return time(hour, 0)
        if 1 <= hour <= 12:
            raise UserError(
                f"“{raw}” could be morning or evening: write {hour:02d}:00 or {hour}am for the morning, "
                f"{(hour % 12) + 12:02d}:00 or {hour}pm for the evening."
            )
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


_EXTRA_ZONES = ("GMT",)


@lru_cache(maxsize=1)
def _zones_by_city() -> dict[str, str]:
    """ "berlin" → Europe/Berlin, "new_york" → America/New_York: the last part of a zone name,
    kept only when it names a single zone (the shorter name wins among links to the same place)."""
    found: dict[str, list[str]] = {}
    for zone in _zones():
        if "/" in zone and not zone.startswith("Etc/"):
            found.setdefault(zone.rsplit("/", 1)[1].casefold(), []).append(zone)
    out = {}
    for city, zones in found.items():
        regions = {z.split("/", 1)[0] for z in zones}
        if len(zones) == 1 or len(regions) == 1:
            out[city] = min(zones, key=len)
    return out


# Abbreviations are not zones (and don't follow daylight saving): suggest a place instead.
_ABBREVIATIONS = {
    "est": "America/New_York", "edt": "America/New_York", "et": "America/New_York",
    "cst": "America/Chicago", "cdt": "America/Chicago", "ct": "America/Chicago",
    "mst": "America/Denver", "mdt": "America/Denver", "mt": "America/Denver",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "bst": "Europe/London",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "ist": "Asia/Kolkata",
}  # fmt: skip


def _zone_hint(raw: str) -> str:
    folded = raw.casefold()
    if folded in _ABBREVIATIONS:
        return f" Did you mean {_ABBREVIATIONS[folded]}? (A place, unlike an abbreviation, follows daylight saving.)"
    if len(folded) < 3:
        return ""
    close = [
        z
        for z in suggest_timezones(raw, 25)
        if z.casefold().startswith(folded) or any(p.startswith(folded) for p in z.casefold().split("/"))
    ][:3]
    return f" Did you mean {' or '.join(close)}?" if close else ""


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA zone by name (case-insensitive, spaces allowed for underscores); a city alone
    ("Berlin", "new york") is accepted when it names one zone."""
    raw = _bounded(name, "time zone").replace(" ", "_")
    folded = raw.casefold()
    canonical = _zones_by_fold().get(folded) or _zones_by_city().get(folded)
    if canonical is None and raw.upper() in _EXTRA_ZONES:
        canonical = raw.upper()
    if canonical is None:
        shown = (name or "").strip()[:60] or "(empty)"
        hint = _zone_hint(raw)
        raise UserError(
            f"“{shown}” is not a time zone I know.{hint} Pick one from the list, written like Europe/Berlin "
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


def zone_label(name: str, now: datetime) -> str:
    """ "Europe/Berlin (now 21:30)": lets the member check the zone by its current time."""
    try:
        local = now.astimezone(ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError):
        return name[:100]
    return f"{name} (now {local.strftime('%H:%M')})"[:100]


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
    raw = _bounded(text, "date").casefold()
    if raw in ("", "today"):
        return today
    if raw == "yesterday":
        value = today - timedelta(days=1)
    elif match := re.fullmatch(r"-?(\d{1,6})\s*(?:d|days?)?\s*(?:ago)?", raw):
        back = int(match.group(1))
        if back > BACKDATE_DAYS:
            raise UserError(
                f"{back} days back is too far: check-ins can be added up to {BACKDATE_DAYS} days back "
                f"(from {(today - timedelta(days=BACKDATE_DAYS)).isoformat()})."
            )
        value = today - timedelta(days=back)
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


def check_prompt_day(day: date, today: date) -> None:
    """A prompt's buttons answer for its own day: not a future one, not beyond the backdating window."""
    if day > today:
        raise UserError("This prompt is for a day that hasn't started for you yet.")
    if (today - day).days > BACKDATE_DAYS:
        raise UserError(
            f"This prompt is more than {BACKDATE_DAYS} days old, so it can't be answered any more. "
            "Use /checkin for today."
        )


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
