"""Check-in validation and storage: one row per member per local day.

A member's "local day" is the calendar date in their reminder time zone, or
UTC when they have no reminder. Saving a second check-in for the same day
updates the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from bot.checkins import times
from bot.errors import UserError

WORDS_MAX = 40  # the form's short answers (severity, sleep, onset) may be said in words: "about five and a half"
ONSETS = ("none", "morning", "afternoon", "evening", "bedtime")
NOTE_MAX = 1000
TREATMENTS_MAX = 300
SIDE_EFFECTS_MAX = 300


@dataclass(frozen=True)
class Checkin:
    user_id: int
    local_date: date
    severity: int
    sleep_hours: float | None = None
    onset: str | None = None
    treatments: str | None = None
    side_effects: str | None = None
    note: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class SaveResult:
    checkin: Checkin
    updated: bool  # True when an earlier check-in for that day was replaced


def entry_details(c: Checkin, *, clip: int | None = None) -> list[str]:
    """What a check-in holds, as short phrases ("severity 6/10", "sleep 5.5 h", ...)."""
    bits = [f"severity {c.severity}/10"]
    if c.sleep_hours is not None:
        bits.append(f"sleep {c.sleep_hours:g} h")
    if c.onset:
        bits.append(f"onset {c.onset}")
    if c.treatments:
        bits.append(f"treatments: {c.treatments[:clip]}")
    if c.side_effects:
        bits.append(f"side effects: {c.side_effects[:clip]}")
    return bits


# Words around a number that don't change it: "about 6", "barely 3 hours", "a solid 8".
_HEDGES = re.compile(
    r"\b(?:about|around|roughly|approx(?:imately)?|maybe|probably|prob|barely|only|just|nearly|almost|"
    r"like|a solid|solid|a good|a bad|at least|at most|under|over|max|tops|ish|hmm+|um+|lol)\b|[~≈]|-ish\b"
)
_RANGE = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:-|–|to|or)\s*(\d+(?:\.\d+)?)$")


def _plain(raw: str) -> str:
    """The typed text with number words as digits and hedges dropped ("about seven" -> "7")."""
    text = times.spelled_numbers(raw.casefold().replace("\u2019", "'"))
    text = re.sub(r"(\d)ish\b", r"\1", text)
    text = " ".join(_HEDGES.sub(" ", text).split()).strip(" .!?")
    return re.sub(r"^an?\s+(?=\d)", "", text)  # "prob a 7"


def parse_severity(value: object) -> int:
    """0–10 from an int or from text typed into a modal ("7", " 7 ", "7/10", "seven", "8 out of 10",
    "about 6"). A range ("6-7") or a fraction is refused: the diary keeps whole numbers the member chose."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        number = value
    else:
        raw = str(value or "").strip()
        raw = re.sub(r"\s*/\s*10$", "", raw)
        if not re.fullmatch(r"-?\d+", raw):
            plain = re.sub(r"\s*(?:/|out of|outta|of)\s*10$", "", _plain(raw))
            if plain in ("none", "nothing", "no symptoms", "not at all", "no"):
                plain = "0"  # "none": no symptoms, severity 0
            if re.fullmatch(r"\d+", plain):
                raw = plain
            elif _RANGE.fullmatch(plain):
                low, high = _RANGE.fullmatch(plain).groups()
                raise UserError(f"Severity is one whole number from 0 to 10: is it {low} or {high}?")
        if not re.fullmatch(r"-?\d+", raw):
            raise UserError(
                f"Severity must be a whole number from 0 to 10; “{raw[:20] or '(empty)'}” isn't one."
            )
        number = int(raw)
    if not 0 <= number <= 10:
        raise UserError(f"Severity must be from 0 (no symptoms) to 10 (worst); {number} is outside that.")
    return number


def parse_sleep(value: object) -> float | None:
    """Hours of sleep 0–24 from a number or text ("6.5", "6,5", "6h30", "6:30"); blank → None."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        hours = float(value)
    else:
        raw = str(value).strip().lower().replace(",", ".")
        if not raw:
            return None
        plain = _plain(raw)
        plain = re.sub(r"^(\d{1,2}) and a half\b", r"\1.5", plain)  # "five and a half hours"
        plain = re.sub(r"^(\d{1,2}) and a (?:quarter|bit)\b", lambda m: f"{m.group(1)}.25", plain)
        plain = re.sub(r"^half an? hour$", "0.5", plain)
        if plain in ("none", "no", "nothing", "zero", "no sleep", "didn't", "didnt", "not at all", "0 sleep"):
            plain = "0"
        if match := re.fullmatch(r"(\d{1,2})\s*(?:h|:)\s*(\d{1,2})?\s*(?:m|min)?", raw):
            hours = int(match.group(1)) + int(match.group(2) or 0) / 60
        elif match := re.fullmatch(r"(\d{1,2}(?:\.\d+)?)\s*(?:h|hours?|hrs?)?", raw):
            hours = float(match.group(1))
        elif match := re.fullmatch(r"(\d{1,2})\s*(?:h|hours?|hrs?)?\s*(?:and\s*)?(\d{1,2})\s*(?:m|mins?|minutes?)", plain):
            hours = int(match.group(1)) + int(match.group(2)) / 60  # "5 hours 30 minutes"
        elif match := re.fullmatch(r"(\d{1,2}(?:\.\d+)?)\s*(?:h|hours?|hrs?)?(?:\s*(?:sleep|of sleep|kip))?", plain):
            hours = float(match.group(1))
        elif match := _RANGE.fullmatch(re.sub(r"\s*(?:h|hours?|hrs?)$", "", plain)):
            low, high = (float(x) for x in match.groups())
            if not low < high:
                raise UserError(f"Sleep must be a number of hours from 0 to 24, like 6.5; “{raw[:20]}” isn't one.")
            hours = (low + high) / 2  # "4-5 hours": the middle, shown back in the reply
        else:
            raise UserError(
                f"Sleep must be a number of hours from 0 to 24, like 6.5; “{raw[:20]}” isn't one."
            )
    if not 0 <= hours <= 24:
        raise UserError(f"Sleep must be between 0 and 24 hours; {hours:g} is outside that.")
    return round(hours, 2)


# Everyday ways of saying when symptoms began, by the onset they mean.
_ONSET_WORDS = {
    "bedtime": ("bed", "in bed", "night", "at night", "nighttime", "night time", "lying down", "when i lie down",
                "going to bed", "trying to sleep", "sleep", "after midnight", "middle of the night", "2am", "3am"),
    "evening": ("evenings", "after dinner", "after tea", "tea time", "teatime", "after supper", "supper",
                "on the sofa", "watching tv", "dinner"),
    "afternoon": ("lunch", "lunchtime", "after lunch", "midday", "noon", "afternoons"),
    "morning": ("mornings", "first thing", "when i woke up", "when i wake up", "breakfast", "on waking"),
    "none": ("no", "no symptoms", "-", "didn't", "didnt", "not at all", "never", "n/a", "nothing"),
}  # fmt: skip
_ONSET_BY_WORDS = {words: onset for onset, said in _ONSET_WORDS.items() for words in said}


def parse_onset(value: object) -> str | None:
    raw = " ".join(str(value or "").strip().casefold().replace("\u2019", "'").split()).strip(" .!")
    if not raw:
        return None
    raw = re.sub(r"^(?:at|in the|in|around|about|from|since|during the|during|late|early)\s+(?=\w)", "", raw)
    if raw in _ONSET_BY_WORDS:
        return _ONSET_BY_WORDS[raw]
    for onset in ONSETS:
        if onset.startswith(raw) or raw == onset:
            return onset
    raise UserError(f"Onset must be one of: {', '.join(ONSETS)} (“{raw[:20]}” isn't).")


def clean_text(value: object, *, name: str, limit: int) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if len(text) > limit:
        raise UserError(
            f"The {name} is {len(text)} characters long; the limit is {limit}. Please shorten it."
        )
    return text


def build_checkin(
    user_id: int,
    local_date: date,
    *,
    severity: object,
    sleep_hours: object = None,
    onset: object = None,
    treatments: object = None,
    side_effects: object = None,
    note: object = None,
) -> Checkin:
    """Validate every field; raises UserError naming the first problem (nothing is saved)."""
    return Checkin(
        user_id=user_id,
        local_date=local_date,
        severity=parse_severity(severity),
        sleep_hours=parse_sleep(sleep_hours),
        onset=parse_onset(onset),
        treatments=clean_text(treatments, name="treatments entry", limit=TREATMENTS_MAX),
        side_effects=clean_text(side_effects, name="side effects entry", limit=SIDE_EFFECTS_MAX),
        note=clean_text(note, name="note", limit=NOTE_MAX),
    )


def build_update(
    user_id: int,
    local_date: date,
    existing: Checkin | None,
    *,
    severity: object = None,
    **details: object,
) -> Checkin:
    """A /checkin with options: a new day needs a severity; an existing day keeps
    its severity when none is given (save it with ``merge=True`` to keep the other
    stored fields too)."""
    if severity is None:
        if existing is None:
            raise UserError(
                "Please include a severity (0–10) for a new check-in, or run /checkin with no options."
            )
        severity = existing.severity
    return build_checkin(user_id, local_date, severity=severity, **details)


def build_from_form(
    user_id: int,
    local_date: date,
    values: dict[str, str | None],
    stored: Checkin | None,
    *,
    details: bool,
) -> Checkin:
    """The check-in typed into the form (its fields replace the stored ones).

    The full form has no side-effects field, so stored side effects are kept.
    The details form (after a one-tap severity) has no severity field: the
    severity stored now is kept, even if it was tapped after the form opened.
    """
    if details and stored is not None:
        severity: object = stored.severity
        side_effects = values.get("side_effects")
    else:
        severity = values.get("severity")
        side_effects = stored.side_effects if stored else None
    return build_checkin(
        user_id,
        local_date,
        severity=severity,
        sleep_hours=values.get("sleep_hours"),
        onset=values.get("onset"),
        treatments=values.get("treatments"),
        side_effects=side_effects,
        note=values.get("note"),
    )


def _row_to_checkin(row) -> Checkin:
    return Checkin(
        user_id=row["user_id"],
        local_date=date.fromisoformat(row["local_date"]),
        severity=row["severity"],
        sleep_hours=row["sleep_hours"],
        onset=row["onset"],
        treatments=row["treatments"],
        side_effects=row["side_effects"],
        note=row["note"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


_COLUMNS = ", ".join(f.name for f in fields(Checkin))


async def save_checkin(db, checkin: Checkin, now: datetime, *, merge: bool = False) -> SaveResult:
    """Insert or replace the member's check-in for that day, atomically.

    With ``merge`` the fields left empty keep the values already stored (the
    "Add details" form after a one-tap severity).
    """
    stamp = now.isoformat()
    async with db.transaction() as conn:
        async with conn.execute(
            f"SELECT {_COLUMNS} FROM checkins WHERE user_id = ? AND local_date = ?",
            (checkin.user_id, checkin.local_date.isoformat()),
        ) as cur:
            row = await cur.fetchone()
        existing = _row_to_checkin(row) if row else None
        if existing and merge:
            values = {
                f.name: getattr(checkin, f.name)
                if getattr(checkin, f.name) is not None
                else getattr(existing, f.name)
                for f in fields(Checkin)
            }
            checkin = Checkin(**values)
        created = existing.created_at if existing else stamp
        await conn.execute(
            "INSERT INTO checkins(user_id, local_date, severity, sleep_hours, onset, treatments, side_effects,"
            " note, created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(user_id, local_date) DO UPDATE SET severity = excluded.severity,"
            " sleep_hours = excluded.sleep_hours, onset = excluded.onset, treatments = excluded.treatments,"
            " side_effects = excluded.side_effects, note = excluded.note, updated_at = excluded.updated_at",
            (
                checkin.user_id,
                checkin.local_date.isoformat(),
                checkin.severity,
                checkin.sleep_hours,
                checkin.onset,
                checkin.treatments,
                checkin.side_effects,
                checkin.note,
                created,
                stamp,
            ),
        )
        # An answered prompt no longer needs tracking.
        await conn.execute(
            "DELETE FROM checkin_prompts WHERE user_id = ? AND local_date = ?",
            (checkin.user_id, checkin.local_date.isoformat()),
        )
    return SaveResult(replace(checkin, created_at=created, updated_at=stamp), updated=existing is not None)


async def get_checkin(db, user_id: int, day: date) -> Checkin | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM checkins WHERE user_id = ? AND local_date = ?", (user_id, day.isoformat())
    )
    return _row_to_checkin(row) if row else None


async def has_checkin(db, user_id: int, day: date) -> bool:
    return bool(
        await db.fetchval(
            "SELECT 1 FROM checkins WHERE user_id = ? AND local_date = ?", (user_id, day.isoformat())
        )
    )


async def list_checkins(
    db, user_id: int, since: date | None = None, until: date | None = None
) -> list[Checkin]:
    """The member's check-ins, oldest first, optionally within [since, until]."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM checkins WHERE user_id = ? AND local_date >= ? AND local_date <= ?"
        " ORDER BY local_date",
        (user_id, (since or date.min).isoformat(), (until or date.max).isoformat()),
    )
    return [_row_to_checkin(r) for r in rows]


async def past_treatments(db, user_id: int, limit: int = 50) -> list[str]:
    """Distinct treatment entries the member used, most recent first (each item split on commas)."""
    rows = await db.fetchall(
        "SELECT treatments FROM checkins WHERE user_id = ? AND treatments IS NOT NULL"
        " ORDER BY local_date DESC LIMIT 200",
        (user_id,),
    )
    seen: dict[str, str] = {}
    for row in rows:
        for whole in [row["treatments"], *split_items(row["treatments"])]:
            key = whole.casefold()
            if key not in seen:
                seen[key] = whole
    return list(seen.values())[:limit]


def split_items(text: str | None) -> list[str]:
    """ "pramipexole 0.25mg, iron; magnesium" → the separate items."""
    if not text:
        return []
    return [part.strip() for part in re.split(r"[,;/+\n]| and ", text) if part.strip()]
