from datetime import UTC, date, datetime

import pytest

from bot.checkins import entries
from bot.errors import UserError

NOW = datetime(2026, 1, 5, 21, tzinfo=UTC)


@pytest.mark.parametrize(("raw", "value"), [("7", 7), (" 0 ", 0), ("10/10", 10), (3, 3)])
def test_severity_parsing(raw, value):
    assert entries.parse_severity(raw) == value


@pytest.mark.parametrize("raw", ["11", "-1", "bad", "eleven", "", "7.5"])
def test_severity_out_of_range_or_not_a_number(raw):
    with pytest.raises(UserError, match="Severity"):
        entries.parse_severity(raw)


@pytest.mark.parametrize(
    ("raw", "value"), [("6.5", 6.5), ("6,5", 6.5), ("6h30", 6.5), ("6:30", 6.5), ("", None)]
)
def test_sleep_parsing(raw, value):
    assert entries.parse_sleep(raw) == value


@pytest.mark.parametrize("raw", ["25", "lots", "-2"])
def test_sleep_rejected(raw):
    with pytest.raises(UserError, match="Sleep"):
        entries.parse_sleep(raw)


def test_onset_and_text_limits():
    assert entries.parse_onset("Evening") == "evening"
    assert entries.parse_onset("bed") == "bedtime"
    with pytest.raises(UserError, match="Onset must be one of"):
        entries.parse_onset("midnight")
    with pytest.raises(UserError, match="note is 1001 characters"):
        entries.build_checkin(1, date(2026, 1, 1), severity=3, note="x" * 1001)
    assert entries.build_checkin(1, date(2026, 1, 1), severity=3, note="x" * 1000).note == "x" * 1000


async def test_one_checkin_per_day_and_update(db):
    day = date(2026, 1, 5)
    first = await entries.save_checkin(db, entries.build_checkin(1, day, severity=4, sleep_hours=7), NOW)
    assert not first.updated
    second = await entries.save_checkin(db, entries.build_checkin(1, day, severity=8), NOW)
    assert second.updated
    assert await db.fetchval("SELECT COUNT(*) FROM checkins WHERE user_id = 1") == 1
    stored = await entries.get_checkin(db, 1, day)
    assert stored.severity == 8 and stored.sleep_hours is None  # replaced
    merged = await entries.save_checkin(
        db, entries.build_checkin(1, day, severity=2, sleep_hours=5), NOW, merge=True
    )
    assert merged.checkin.sleep_hours == 5
    again = await entries.save_checkin(db, entries.build_checkin(1, day, severity=3), NOW, merge=True)
    assert again.checkin.sleep_hours == 5 and again.checkin.severity == 3  # merge keeps details


async def test_past_treatments_offer_items_and_whole_entries(db):
    await entries.save_checkin(
        db,
        entries.build_checkin(1, date(2026, 1, 3), severity=4, treatments="iron, pramipexole 0.125 mg"),
        NOW,
    )
    await entries.save_checkin(
        db, entries.build_checkin(1, date(2026, 1, 4), severity=4, treatments="Iron"), NOW
    )
    past = await entries.past_treatments(db, 1)
    assert past[0] == "Iron"
    assert "pramipexole 0.125 mg" in past and "iron, pramipexole 0.125 mg" in past
    assert len([p for p in past if p.casefold() == "iron"]) == 1
    assert await entries.past_treatments(db, 2) == []


def test_an_update_without_severity_keeps_the_stored_one_and_a_new_day_needs_one():
    day = date(2026, 1, 5)
    with pytest.raises(UserError, match="Please include a severity"):
        entries.build_update(1, day, None, sleep_hours=7.0)
    stored = entries.build_checkin(1, day, severity=6, onset="evening")
    update = entries.build_update(1, day, stored, sleep_hours=7.0)
    assert (update.severity, update.sleep_hours) == (6, 7.0)
    assert entries.build_update(1, day, stored, severity=2).severity == 2


def test_forms_keep_what_they_do_not_ask():
    day = date(2026, 1, 5)
    stored = entries.build_checkin(1, day, severity=6, side_effects="nausea", note="old")
    typed = {
        "severity": "3",
        "sleep_hours": "7",
        "onset": "",
        "treatments": "",
        "side_effects": "x",
        "note": "",
    }
    # The full form has no side-effects field: the stored ones stay.
    full = entries.build_from_form(1, day, typed, stored, details=False)
    assert (full.severity, full.sleep_hours, full.side_effects, full.note) == (3, 7.0, "nausea", None)
    # The details form has no severity field: the stored severity stays.
    details = entries.build_from_form(1, day, typed, stored, details=True)
    assert (details.severity, details.side_effects) == (6, "x")
    with pytest.raises(UserError, match="Severity must be a whole number"):
        entries.build_from_form(1, day, {**typed, "severity": "awful"}, None, details=False)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("seven", 7), ("none", 0), ("no symptoms", 0), ("8 out of 10", 8), ("about 6", 6), ("a solid 8", 8), ("prob a 7", 7), ("7ish", 7), ("eight/10", 8)],
)
def test_severity_in_everyday_words(typed, expected):
    assert entries.parse_severity(typed) == expected


@pytest.mark.parametrize("typed", ["6-7", "6 or 7"])
def test_a_severity_range_is_asked_about_not_guessed(typed):
    with pytest.raises(UserError, match="is it 6 or 7"):
        entries.parse_severity(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("five", 5.0),
        ("5 and a half", 5.5),
        ("six and a half hours", 6.5),
        ("barely 3", 3.0),
        ("5 hours 30 mins", 5.5),
        ("3 hours sleep", 3.0),
        ("half an hour", 0.5),
        ("none", 0.0),
        ("4-5", 4.5),
        ("4 to 5 hours", 4.5),
    ],
)
def test_sleep_in_everyday_words(typed, expected):
    assert entries.parse_sleep(typed) == expected


@pytest.mark.parametrize("typed", ["5-4", "bad", "forty-five", "9.5 out of 10"])
def test_sleep_that_is_not_hours_is_still_refused(typed):
    with pytest.raises(UserError):
        entries.parse_sleep(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("at bedtime", "bedtime"),
        ("At night!", "bedtime"),
        ("when I lie down", "bedtime"),
        ("after dinner", "evening"),
        ("in the evening", "evening"),
        ("lunchtime", "afternoon"),
        ("first thing", "morning"),
        ("no", "none"),
        ("mor", "morning"),
    ],
)
def test_onset_in_everyday_words(typed, expected):
    assert entries.parse_onset(typed) == expected


def test_an_onset_that_is_none_of_the_choices_is_refused_with_them():
    with pytest.raises(UserError, match="none, morning, afternoon, evening, bedtime"):
        entries.parse_onset("all day")
