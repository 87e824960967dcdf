"""CSV export of a member's diary.

Columns, one row per check-in, oldest first:

- ``date``: the local day of the check-in, ISO 8601 (YYYY-MM-DD)
- ``severity``: 0 (no symptoms) to 10 (worst)
- ``sleep_hours``: hours slept that night (blank if not given)
- ``onset``: when symptoms began that day: none, morning, afternoon, evening, bedtime (blank if not given)
- ``treatments``: treatments taken, as the member typed them
- ``side_effects``: side effects noticed, as typed
- ``note``: free text (up to 1000 characters)
- ``recorded_at``: when the check-in was first saved, ISO 8601 UTC
- ``updated_at``: when it was last changed, ISO 8601 UTC
"""

from __future__ import annotations

import csv
import io

from bot.checkins.entries import Checkin

CSV_COLUMNS = (
    "date",
    "severity",
    "sleep_hours",
    "onset",
    "treatments",
    "side_effects",
    "note",
    "recorded_at",
    "updated_at",
)

COLUMN_HELP = (
    "date (YYYY-MM-DD, your local day), severity (0–10), sleep_hours, onset (none/morning/afternoon/"
    "evening/bedtime), treatments, side_effects, note, recorded_at and updated_at (ISO 8601, UTC)"
)


def _safe(text: str | None) -> str:
    """Blank for None; a leading = + - @ is prefixed with ' so spreadsheets don't run it as a formula."""
    if text is None:
        return ""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(entries: list[Checkin]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in sorted(entries, key=lambda e: e.local_date):
        writer.writerow(
            [
                e.local_date.isoformat(),
                e.severity,
                "" if e.sleep_hours is None else f"{e.sleep_hours:g}",
                e.onset or "",
                _safe(e.treatments),
                _safe(e.side_effects),
                _safe(e.note),
                e.created_at or "",
                e.updated_at or "",
            ]
        )
    # A BOM makes spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
