"""Local times, time zones and dates: parsing and the scheduling arithmetic.

Everything takes ``now`` (an aware UTC datetime) as an argument; nothing here
reads the clock.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
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
_NUMBERS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50}
_EVENING = re.compile(r"\b(?:in the (?:evening|afternoon)|at night|tonight|of an evening|pm)\b")
_MORNING = re.compile(r"\b(?:in the morning|of a morning|am)\b")
_FILLER = re.compile(r"\b(?:at|around|about|approx(?:imately)?|roughly|say|o'?clock|oclock|ish)\b|~|-ish\b")
_PAST = re.compile(r"^(?:(half|quarter|\d{1,2})\s+(past|after|to|til|till)\s+)?(\d{1,2})(?:[:.](\d{2})|\s+(\d{1,2}))?$")


def spelled_numbers(text: str) -> str:
    """Number words as digits: "nine forty five" -> "9 45", "twenty five past ten" -> "25 past 10"."""
    words, out = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text).split(), []  # "forty-five", not "6-7"
    for word in words:
        if word in _NUMBERS:
            if out and out[-1].isdigit() and int(out[-1]) in _TENS.values() and _NUMBERS[word] < 10:
                out[-1] = str(int(out[-1]) + _NUMBERS[word])  # "forty five"
            else:
                out.append(str(_NUMBERS[word]))
        elif word in _TENS:
            out.append(str(_TENS[word]))
        else:
            out.append(word)
    return " ".join(out)


def _spoken(raw: str) -> tuple[int, int, str] | None:
    """A time said in words, as (hour, minute, "am"/"pm"/""): "half nine" -> (9, 30, ""),
    "quarter to eleven at night" -> (10, 45, "pm"), "nine in the evening" -> (9, 0, "pm"). None
    when it is not one."""
    text = raw.replace("a.m.", "am").replace("p.m.", "pm")
    text = re.sub(r"(\d)(am|pm|ish)\b", r"\1 \2", text)  # "9pm", "9ish"
    meridiem = "pm" if _EVENING.search(text) else "am" if _MORNING.search(text) else ""
    text = _MORNING.sub(" ", _EVENING.sub(" ", text))
    text = " ".join(spelled_numbers(_FILLER.sub(" ", text)).split())
    text = re.sub(r"^half\s+(\d{1,2})$", r"half past \1", text)  # British "half nine": 9:30
    match = _PAST.fullmatch(text)
    if match is None:
        return None
    amount, direction, hour_text, minute_a, minute_b = match.groups()
    hour, minute = int(hour_text), int(minute_a or minute_b or 0)
    if amount is not None:
        if minute_a or minute_b:
            return None
        minutes = {"half": 30, "quarter": 15}.get(amount) or int(amount)
        if not 0 < minutes < 60 or (amount == "half" and direction not in ("past", "after")):
            return None
        if direction not in ("past", "after"):
            # "quarter to one": 12:45; "quarter to 22": 21:45
            hour, minutes = ((hour - 1) % 24 if hour == 0 or hour > 12 else (hour - 1) % 12 or 12), 60 - minutes
        minute = minutes
    if minute > 59 or hour > 23 or (meridiem and not 1 <= hour <= 12):
        return None
    return hour, minute, meridiem


def parse_local_time(text: str) -> time:
    """``"21:30"``, ``"9:30pm"``, ``"9 PM"``, ``"21h30"``, ``"21h"``, ``"0730"``, ``"noon"`` → a time of day."""
    raw = _bounded(text, "time").lower().replace("\u2019", "'")
    if raw in _WORDS:
        return _WORDS[raw]
    said = None if (_TIME_12.fullmatch(raw) or _TIME_24.fullmatch(raw)) else _spoken(raw)
    if said is not None:
        hour, minute, meridiem = said
        if meridiem:
            return time(hour % 12 + (12 if meridiem == "pm" else 0), minute)
        if hour == 0 or hour >= 13:
            return time(hour, minute)
        raise UserError(
            f"“{(text or '').strip()[:40]}” could be morning or evening: write {hour:02d}:{minute:02d} or "
            f"{hour}:{minute:02d}am for the morning, {hour % 12 + 12:02d}:{minute:02d} or {hour}:{minute:02d}pm "
            "for the evening."
        )
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


# Names people use for a country, beyond tzdata's own ("Britain (UK)", "United States").
_COUNTRY_ALIASES = {
    "uk": "GB", "nz": "NZ", "united kingdom": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "the uk": "GB", "gb": "GB",
    "usa": "US", "us": "US", "the us": "US", "the usa": "US", "america": "US", "united states of america": "US",
    "holland": "NL", "the netherlands": "NL", "south korea": "KR", "czechia": "CZ", "the philippines": "PH",
    "uae": "AE", "emirates": "AE",
}  # fmt: skip


def _tab(name: str) -> list[list[str]]:
    """The rows of one of tzdata's tables (zone.tab, iso3166.tab); none when it is not shipped."""
    from importlib import resources

    try:
        text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        try:
            text = Path("/usr/share/zoneinfo", name).read_text(encoding="utf-8")
        except OSError:
            return []
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


_SEASONS = (datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12))  # winter and summer clocks


def _distinct(zones) -> tuple[str, ...]:
    """The zones, keeping only the first of those that keep the same clock all year
    (Europe/Berlin and Europe/Busingen are one choice; Pacific/Chatham is another)."""
    seen, out = set(), []
    for zone in zones:
        clock = tuple(moment.replace(tzinfo=ZoneInfo(zone)).utcoffset() for moment in _SEASONS)
        if clock not in seen:
            seen.add(clock)
            out.append(zone)
    return tuple(out)


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """ "ireland" -> (Europe/Dublin,), "canada" -> its zones, most people's first: a country's
    name, its tzdata name without a bracket ("Britain"), a bracketed acronym ("UK") and a few
    everyday names, to the zones tzdata lists for it."""
    zones: dict[str, list[str]] = {}
    known = set(_zones())
    for row in _tab("zone.tab"):
        if len(row) >= 3 and row[2] in known:
            comment = row[3] if len(row) > 3 else ""
            zones.setdefault(row[0], []).append((0 if not comment or "most" in comment else 1, row[2]))
    by_code = {code: _distinct(z for _, z in sorted(found, key=lambda x: x[0])) for code, found in zones.items()}
    out: dict[str, tuple[str, ...]] = {}
    for row in _tab("iso3166.tab"):
        if len(row) < 2 or row[0] not in by_code:
            continue
        code, name = row[0], row[1].strip()
        names = {name.casefold(), re.sub(r"\s*\(.*\)", "", name).casefold()}
        names |= {m.casefold() for m in re.findall(r"\(([A-Z]{2,})\)", name)}
        for key in names:
            out.setdefault(key.replace(" ", "_"), by_code[code])
    for alias, code in _COUNTRY_ALIASES.items():
        if code in by_code:
            out[alias.replace(" ", "_")] = by_code[code]
    return out


def warm() -> None:
    """Read the zone and country tables now (tens of milliseconds), so that the first time zone a
    member types, or the first autocomplete, does not wait for them. Callers run it in a thread."""
    _zones_by_fold()
    _zones_by_city()
    _zones_by_country()


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


def _lookup(folded: str) -> tuple[str | None, tuple[str, ...]]:
    """(the zone a folded name means, or None; the zones of the country it names when it has several)."""
    canonical = _zones_by_fold().get(folded) or _zones_by_city().get(folded)
    if canonical is None and folded.upper() in _EXTRA_ZONES:
        canonical = folded.upper()
    country = () if canonical is not None else _zones_by_country().get(folded, ())
    if len(country) == 1:
        return country[0], ()  # "Ireland", "UK", "Scotland": a country with one time zone
    return canonical, country


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA zone by name (case-insensitive, spaces allowed for underscores); a city alone
    ("Berlin", "new york") is accepted when it names one zone, and so is a country with one clock
    ("UK", "Ireland"), also after a town ("Leeds, UK"). A country with several clocks lists them."""
    raw = _bounded(name, "time zone").strip(" .").replace(" ", "_")
    folded = raw.casefold()
    canonical, several = _lookup(folded)
    if canonical is None and not several and "," in folded:
        # "Leeds, UK", "Perth, Australia", "Dallas, Texas, USA": the most precise part that is known
        for part in reversed([p.strip("_") for p in folded.split(",") if p.strip("_")]):
            canonical, in_country = _lookup(part)
            several = several or in_country
            if canonical is not None:
                break
    if canonical is None and several:
        shown = (name or "").strip()[:60]
        listed = ", ".join(several[:7]) + (" and others" if len(several) > 7 else "")
        raise UserError(
            f"“{shown}” has more than one time zone: {listed}. Pick yours from the list, or type your "
            "nearest city (like Chicago or Perth)."
        )
    if canonical is None:
        shown = (name or "").strip()[:60] or "(empty)"
        hint = _zone_hint(raw)
        raise UserError(
            f"“{shown}” is not a time zone I know.{hint} Pick one from the list, written like Europe/Berlin "
            "or America/New_York, or type your country (like UK or Ireland)."
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
    countries = _zones_by_country()
    folded_query = query.casefold()
    if len(folded_query) >= 2:  # "uk", "united k", "scotl": the country's zones first
        for name in sorted(countries):
            if name == folded_query or (len(folded_query) >= 4 and name.startswith(folded_query)):
                starts.extend(z for z in countries[name] if z not in starts)
    for zone in _zones():
        if zone in starts:
            continue
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


_TODAY = ("today", "tonight", "this evening", "this morning", "this afternoon", "now")
_YESTERDAY = ("yesterday", "yday", "yest", "last night", "last nite", "yesterday evening", "yesterday night")
_WEEKDAYS = {
    name: day
    for day, names in enumerate(
        (
            ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed", "weds"),
            ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun"),
        )
    )
    for name in names
}  # fmt: skip
_MONTHS = {
    name: month
    for month, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"


def _said_date(raw: str, today: date) -> date | None:
    """A date said in words ("last night", "tues", "two days ago", "1st dec", "3/12"), or None.
    A day and month that could be read either way round (3/12 or 12/3) must be read one way
    only within the backdating window, else the member is asked."""
    text = " ".join(re.sub(r"[,]", " ", raw).split())
    text = re.sub(r"^(?:on|for|last|this|the)\s+(?=\w)", "", text) if text not in _YESTERDAY else text
    if text in _TODAY:
        return today
    if text in _YESTERDAY or (len(text) >= 7 and _close(text, "yesterday")):
        return today - timedelta(days=1)
    if text == "day before yesterday":  # "the" was dropped above
        return today - timedelta(days=2)
    if text in _WEEKDAYS:
        back = (today.weekday() - _WEEKDAYS[text]) % 7
        if raw.startswith("last ") and back == 0:
            back = 7  # "last monday", said on a Monday
        return today - timedelta(days=back)
    if match := re.fullmatch(r"(a|an|one|\w+)\s+(day|days|week)\s+ago", text):
        said = "1" if match.group(1) in ("a", "an") else spelled_numbers(match.group(1))
        if not said.isdigit() or match.group(1).isdigit():
            return None  # "3 days ago" is read (and a huge number refused) as a number of days
        count = int(said)
        return today - timedelta(days=count * (7 if match.group(2) == "week" else 1))
    day_month = re.fullmatch(rf"{_ORDINAL}\s+(?:of\s+)?([a-z]+)(?:\s+(\d{{4}}))?", text)
    month_day = re.fullmatch(rf"([a-z]+)\s+{_ORDINAL}(?:\s+(\d{{4}}))?", text)
    if day_month and day_month.group(2) in _MONTHS:
        return _recent(today, int(day_month.group(1)), _MONTHS[day_month.group(2)], day_month.group(3))
    if month_day and month_day.group(1) in _MONTHS:
        return _recent(today, int(month_day.group(2)), _MONTHS[month_day.group(1)], month_day.group(3))
    if match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?", text):
        a, b, year = int(match.group(1)), int(match.group(2)), match.group(3)
        if year is not None and len(year) == 2:
            year = f"20{year}"
        readings = {r for r in (_recent(today, a, b, year), _recent(today, b, a, year)) if r is not None}
        near = {r for r in readings if 0 <= (today - r).days <= BACKDATE_DAYS}
        if len(near) == 1:
            return near.pop()
        if len(readings) == 1:
            return readings.pop()  # out of the window: refused below with the date it means
        if readings:
            first, second = sorted(readings)
            raise UserError(
                f"“{raw}” could be {first.day} {first:%B} or {second.day} {second:%B}: please write "
                f"it as YYYY-MM-DD, like {today.isoformat()}."
            )
    return None


def _recent(today: date, day: int, month: int, year: str | None) -> date | None:
    """That day and month in the given year, else the latest one not after today; None if no such date."""
    try:
        if year is not None:
            return date(int(year), month, day)
        value = date(today.year, month, day)
        return value if value <= today else date(today.year - 1, month, day)
    except ValueError:
        return None


def _close(typed: str, word: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.ratio(typed, word) >= 85


def parse_entry_date(text: str | None, today: date) -> date:
    """The diary date a member typed: today by default, ISO dates, "today", "yesterday", "last
    night", a weekday ("tues"), "two days ago", a day and month ("1st dec", "3/12").

    Dates in the future or more than BACKDATE_DAYS back are refused.
    """
    raw = _bounded(text, "date").casefold().replace("\u2019", "'")
    if not raw:
        return today
    if (said := _said_date(raw, today)) is not None:
        value = said
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
                f"{today.isoformat()}, or words like “yesterday”, “tuesday” or “2 days ago”."
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
