"""Statistics over a member's check-ins for /history and the doctor summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import fmean

from bot.checkins.entries import Checkin, split_items

ONSET_ORDER = {"morning": 1, "afternoon": 2, "evening": 3, "bedtime": 4}
SHORT_SLEEP = 6.0


@dataclass(frozen=True)
class TreatmentChange:
    day: date
    label: str  # e.g. "+ iron, − ropinirole"


@dataclass(frozen=True)
class Summary:
    days: int
    start: date
    end: date
    count: int
    avg_severity: float | None
    this_week: float | None
    last_week: float | None
    short_nights: int
    sleep_nights: int
    avg_sleep: float | None
    trend: str | None  # "improving", "worsening", "steady" or None (too little data)
    slope_per_week: float | None
    onset_earlier: bool
    onset_from: str | None
    onset_to: str | None
    treatments: list[tuple[str, int]] = field(default_factory=list)
    side_effects: list[tuple[str, int]] = field(default_factory=list)
    changes: list[TreatmentChange] = field(default_factory=list)
    streak: int = 0
    checked_in_days: int = 0


HISTORY_DAYS = (7, 30, 90, 365)


def history_since(today: date, days: int) -> date:
    """The first day to load for a summary of ``days`` days (at least two weeks, for the week comparison)."""
    return today - timedelta(days=max(days, 14) + 1)


def export_span(first_day: date, today: date) -> int:
    """Days covered by the doctor summary: the whole diary, at least 30 and at most 365 days."""
    return min(365, max(30, (today - first_day).days + 1))


def _mean(values: list[float]) -> float | None:
    return round(fmean(values), 1) if values else None


def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of y over x, or None with fewer than 2 distinct x."""
    if len(points) < 2:
        return None
    mx = fmean(x for x, _ in points)
    my = fmean(y for _, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def current_streak(days: set[date], today: date) -> int:
    """Consecutive days with a check-in ending today, or yesterday if today isn't done yet."""
    cursor = today if today in days else today - timedelta(days=1)
    streak = 0
    while cursor in days:
        streak += 1
        cursor -= timedelta(days=1)
    return streak


def treatment_changes(entries: list[Checkin]) -> list[TreatmentChange]:
    """Days where the set of treatments differs from the previous entry that listed any."""
    changes = []
    previous: set[str] | None = None
    names: dict[str, str] = {}
    for entry in entries:
        items = split_items(entry.treatments)
        if not items:
            continue
        current = {i.casefold() for i in items}
        names.update({i.casefold(): i for i in items})
        if previous is not None and current != previous:
            added = sorted(current - previous)
            removed = sorted(previous - current)
            parts = [f"+ {names[a]}" for a in added] + [f"− {names[r]}" for r in removed]
            changes.append(TreatmentChange(entry.local_date, ", ".join(parts)[:80]))
        previous = current
    return changes


def _onset_shift(entries: list[Checkin]) -> tuple[bool, str | None, str | None]:
    points = [(e.local_date, ONSET_ORDER[e.onset]) for e in entries if e.onset in ONSET_ORDER]
    if len(points) < 6:
        return False, None, None
    half = len(points) // 2
    early = fmean(v for _, v in points[:half])
    late = fmean(v for _, v in points[half:])
    names = {v: k for k, v in ONSET_ORDER.items()}
    if early - late >= 0.5:
        return True, names[round(early)], names[round(late)]
    return False, names[round(early)], names[round(late)]


def summarise(entries: list[Checkin], today: date, days: int) -> Summary:
    """Numbers for the window of ``days`` days ending ``today`` (entries may include older ones)."""
    start = today - timedelta(days=days - 1)
    window = sorted((e for e in entries if start <= e.local_date <= today), key=lambda e: e.local_date)
    week_start = today - timedelta(days=6)
    prev_start = today - timedelta(days=13)
    all_entries = sorted(entries, key=lambda e: e.local_date)
    this_week = [e.severity for e in all_entries if week_start <= e.local_date <= today]
    last_week = [e.severity for e in all_entries if prev_start <= e.local_date < week_start]
    sleeps = [e.sleep_hours for e in window if e.sleep_hours is not None]
    slope_day = slope([(float((e.local_date - start).days), float(e.severity)) for e in window])
    trend = None
    per_week = None
    if slope_day is not None and len(window) >= 4:
        per_week = round(slope_day * 7, 2)
        trend = "worsening" if per_week >= 0.5 else "improving" if per_week <= -0.5 else "steady"
    earlier, onset_from, onset_to = _onset_shift(window)
    treatments = Counter()
    side_effects = Counter()
    display: dict[str, str] = {}
    for entry in window:
        for item in split_items(entry.treatments):
            treatments[item.casefold()] += 1
            display.setdefault(item.casefold(), item)
        for item in split_items(entry.side_effects):
            side_effects[item.casefold()] += 1
            display.setdefault(item.casefold(), item)
    return Summary(
        days=days,
        start=start,
        end=today,
        count=len(window),
        avg_severity=_mean([e.severity for e in window]),
        this_week=_mean(this_week),
        last_week=_mean(last_week),
        short_nights=sum(1 for s in sleeps if s < SHORT_SLEEP),
        sleep_nights=len(sleeps),
        avg_sleep=_mean(sleeps),
        trend=trend,
        slope_per_week=per_week,
        onset_earlier=earlier,
        onset_from=onset_from,
        onset_to=onset_to,
        treatments=[(display[k], n) for k, n in treatments.most_common(8)],
        side_effects=[(display[k], n) for k, n in side_effects.most_common(8)],
        changes=treatment_changes(window),
        streak=current_streak({e.local_date for e in all_entries}, today),
        checked_in_days=len(window),
    )


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def summary_lines(s: Summary, *, for_doctor: bool = False) -> list[str]:
    """Plain-language lines (no markup that could ping anyone).

    For the member nothing counts missed days: a streak is mentioned only to
    encourage. For a doctor the plain coverage ("24 of 30 days") is given instead.
    """
    if s.count == 0:
        return [
            f"No check-ins between {s.start.isoformat()} and {s.end.isoformat()} yet. Use /checkin to add one."
        ]
    lines = [
        f"{s.count} check-in{'s' if s.count != 1 else ''} from {s.start.isoformat()} to {s.end.isoformat()}."
    ]
    lines.append(f"Average severity: {_fmt(s.avg_severity)}/10.")
    if s.this_week is not None or s.last_week is not None:
        compare = f"This week {_fmt(s.this_week)} vs last week {_fmt(s.last_week)}"
        if s.this_week is not None and s.last_week is not None:
            diff = round(s.this_week - s.last_week, 1)
            compare += " (lower)" if diff < 0 else " (higher)" if diff > 0 else " (the same)"
        lines.append(compare + ".")
    if s.sleep_nights:
        lines.append(
            f"Sleep: {_fmt(s.avg_sleep)} h on average; {s.short_nights} of {s.sleep_nights} nights under 6 hours."
        )
    if s.trend:
        word = {"improving": "easing", "worsening": "getting worse", "steady": "fairly steady"}[s.trend]
        lines.append(f"Trend: symptoms {word} ({s.slope_per_week:+g} points per week).")
    if s.onset_earlier:
        lines.append(
            f"Onset has moved earlier in the day ({s.onset_from} → {s.onset_to}). Symptoms starting earlier over "
            "weeks can be a sign of augmentation; worth mentioning to your doctor."
        )
    if s.treatments:
        lines.append("Treatments mentioned: " + ", ".join(f"{n} ({c}×)" for n, c in s.treatments) + ".")
    if s.side_effects:
        lines.append("Side effects mentioned: " + ", ".join(f"{n} ({c}×)" for n, c in s.side_effects) + ".")
    if s.changes:
        lines.append(
            "Treatment changes: " + "; ".join(f"{c.day.isoformat()} {c.label}" for c in s.changes[:5]) + "."
        )
    if for_doctor:
        lines.append(f"Days with a check-in: {s.checked_in_days} of {s.days}.")
        return lines
    if s.streak >= 2:
        lines.append(f"You've checked in {s.streak} days in a row. Nice.")
    lines.append("Every check-in helps, and days without one are fine: pick up whenever suits you.")
    return lines
