from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.checkins import times
from bot.errors import UserError

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:30", time(21, 30)),
        ("9:30pm", time(21, 30)),
        ("9:30 PM", time(21, 30)),
        ("9pm", time(21, 0)),
        ("12am", time(0, 0)),
        ("12:15pm", time(12, 15)),
        ("07:05", time(7, 5)),
        ("7.05", time(7, 5)),
        ("21h30", time(21, 30)),
        ("2130", time(21, 30)),
        ("0:00", time(0, 0)),
        ("21h", time(21, 0)),
        ("9h", time(9, 0)),
        ("21", time(21, 0)),
        ("noon", time(12, 0)),
        ("Midnight", time(0, 0)),
        ("9:30 p.m.", time(21, 30)),
    ],
)
def test_parse_local_time(text, expected):
    assert times.parse_local_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "21:60", "13pm", "soon", "", "24", "21:3"])
def test_parse_local_time_rejects_with_a_message(text):
    with pytest.raises(UserError, match="not a time"):
        times.parse_local_time(text)


def test_a_bare_hour_that_could_be_morning_or_evening_asks_which():
    with pytest.raises(UserError, match="could be morning or evening") as caught:
        times.parse_local_time("9")
    assert "09:00" in str(caught.value) and "21:00" in str(caught.value)


def test_a_city_alone_names_its_zone_and_abbreviations_get_a_hint():
    assert times.parse_timezone("Berlin").key == "Europe/Berlin"
    assert times.parse_timezone("new york").key == "America/New_York"
    assert times.parse_timezone("KOLKATA").key == "Asia/Kolkata"
    assert times.parse_timezone("GMT").key == "GMT"
    with pytest.raises(UserError, match="Did you mean America/New_York") as caught:
        times.parse_timezone("EST")
    assert "daylight saving" in str(caught.value)
    with pytest.raises(UserError, match="Did you mean Europe/Berlin"):
        times.parse_timezone("Europe/Berl")
    with pytest.raises(UserError) as caught:
        times.parse_timezone("Atlantis")
    assert "Did you mean" not in str(caught.value)


def test_zone_label_shows_the_local_time_now():
    now = datetime(2026, 7, 1, 19, 30, tzinfo=UTC)
    assert times.zone_label("Europe/Berlin", now) == "Europe/Berlin (now 21:30)"
    assert times.zone_label("Asia/Kolkata", now) == "Asia/Kolkata (now 01:00)"


def test_prompt_day_must_be_answerable():
    today = date(2026, 1, 10)
    times.check_prompt_day(today, today)
    times.check_prompt_day(today - timedelta(days=7), today)
    with pytest.raises(UserError, match="more than 7 days old"):
        times.check_prompt_day(today - timedelta(days=8), today)
    with pytest.raises(UserError, match="hasn't started"):
        times.check_prompt_day(today + timedelta(days=1), today)


def test_parse_timezone_is_forgiving_about_case_and_spaces():
    assert times.parse_timezone("europe/berlin").key == "Europe/Berlin"
    assert times.parse_timezone("America/New York").key == "America/New_York"
    with pytest.raises(UserError, match="Mars/Olympus"):
        times.parse_timezone("Mars/Olympus")


def test_suggest_timezones_fits_discord():
    assert len(times.suggest_timezones("")) <= 25
    assert times.suggest_timezones("berl")[0] == "Europe/Berlin"
    assert "America/New_York" in times.suggest_timezones("new")
    assert all(len(z) <= 100 for z in times.suggest_timezones("a"))
    assert len(times.suggest_timezones("a")) == 25


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Berlin: CET → CEST on 2026-03-29; 21:30 local is 20:30 UTC, then 19:30 UTC.
        (BERLIN, datetime(2026, 3, 28, 20, 30, tzinfo=UTC), datetime(2026, 3, 29, 19, 30, tzinfo=UTC)),
        # New York: EST → EDT on 2026-03-08; 21:30 local is 02:30 UTC, then 01:30 UTC.
        (NEW_YORK, datetime(2026, 3, 8, 2, 30, tzinfo=UTC), datetime(2026, 3, 9, 1, 30, tzinfo=UTC)),
        # Sydney: AEDT → AEST on 2026-04-05; 21:30 local is 10:30 UTC, then 11:30 UTC.
        (SYDNEY, datetime(2026, 4, 4, 10, 30, tzinfo=UTC), datetime(2026, 4, 5, 11, 30, tzinfo=UTC)),
    ],
)
def test_next_occurrence_keeps_local_time_across_dst(zone, before, after):
    assert times.next_occurrence(time(21, 30), zone, before) == after
    assert after.astimezone(zone).time() == time(21, 30)


def test_time_in_the_spring_gap_lands_after_it_and_autumn_repeat_fires_once():
    # 02:30 does not exist in Berlin on 2026-03-29: it becomes 03:30 CEST.
    moment = times.occurrence(date(2026, 3, 29), time(2, 30), BERLIN)
    assert moment == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 02:30 happens twice on 2026-10-25: the first one (CEST) is used.
    first = times.occurrence(date(2026, 10, 25), time(2, 30), BERLIN)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    nxt = times.next_occurrence(time(2, 30), BERLIN, first)
    assert nxt.astimezone(BERLIN).date() == date(2026, 10, 26)


@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 1, 1)),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_next_occurrence_properties(naive, zone_name, at):
    zone = ZoneInfo(zone_name)
    now = naive.replace(tzinfo=UTC)
    nxt = times.next_occurrence(at, zone, now)
    assert now < nxt <= now + timedelta(hours=25)
    day, latest = times.latest_occurrence(at, zone, now)
    assert latest <= now < nxt
    assert times.next_occurrence(at, zone, latest) == nxt
    # Once a day: consecutive occurrences are on consecutive local dates.
    assert (nxt.astimezone(zone).date() - day).days in (1, 2)


def test_entry_dates():
    today = date(2026, 1, 10)
    assert times.parse_entry_date(None, today) == today
    assert times.parse_entry_date("yesterday", today) == date(2026, 1, 9)
    assert times.parse_entry_date("2026-01-03", today) == date(2026, 1, 3)
    with pytest.raises(UserError, match="in the future"):
        times.parse_entry_date("2026-01-11", today)
    with pytest.raises(UserError, match="more than 7 days ago"):
        times.parse_entry_date("2026-01-02", today)
    assert times.parse_entry_date("last tuesday", today) == date(2026, 1, 6)
    with pytest.raises(UserError, match="not a date"):
        times.parse_entry_date("when my legs were bad", today)


def test_a_huge_number_of_days_back_is_refused_not_a_crash():
    with pytest.raises(UserError, match="740000 days back is too far"):
        times.parse_entry_date("740000", date(2026, 1, 10))
    assert times.parse_entry_date("3 days ago", date(2026, 1, 10)) == date(2026, 1, 7)


@pytest.mark.parametrize(
    ("parse", "what"),
    [
        (lambda t: times.parse_entry_date(t, date(2026, 1, 5)), "date"),
        (times.parse_local_time, "time"),
        (times.parse_timezone, "time zone"),
    ],
)
def test_parsers_refuse_huge_input_with_a_clear_message(parse, what):
    for huge in ("9" * 5000, "-" + "9" * 5000 + " days ago", "x" * 100_000):
        with pytest.raises(UserError, match=f"That {what} is .* characters long"):
            parse(huge)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("half nine pm", time(21, 30)),
        ("half past nine at night", time(21, 30)),
        ("about half 10 at night", time(22, 30)),
        ("quarter past ten in the evening", time(22, 15)),
        ("quarter to eleven pm", time(22, 45)),
        ("quarter to one am", time(0, 45)),
        ("quarter to 22", time(21, 45)),
        ("twenty past nine pm", time(21, 20)),
        ("nine in the evening", time(21, 0)),
        ("9 at night", time(21, 0)),
        ("7 in the morning", time(7, 0)),
        ("nine thirty pm", time(21, 30)),
        ("ten forty five at night", time(22, 45)),
        ("around 9pm", time(21, 0)),
        ("9ish pm", time(21, 0)),
        ("nine o’clock at night", time(21, 0)),
        ("half twenty one", time(21, 30)),
    ],
)
def test_times_said_in_words_are_understood(typed, expected):
    assert times.parse_local_time(typed) == expected


@pytest.mark.parametrize(("typed", "morning", "evening"), [("half nine", "09:30", "21:30"), ("9ish", "09:00", "21:00"), ("quarter past 10", "10:15", "22:15")])
def test_a_time_in_words_that_could_be_morning_or_evening_is_asked_about(typed, morning, evening):
    with pytest.raises(UserError) as caught:
        times.parse_local_time(typed)
    assert morning in str(caught.value) and evening in str(caught.value)


@pytest.mark.parametrize("typed", ["half to nine", "quarter past", "13pm", "twenty five to", "bananas at night"])
def test_words_that_are_not_a_time_are_still_refused(typed):
    with pytest.raises(UserError, match="not a time I understand"):
        times.parse_local_time(typed)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("UK", "Europe/London"),
        ("scotland", "Europe/London"),
        ("Northern Ireland", "Europe/London"),
        ("Ireland", "Europe/Dublin"),
        ("India", "Asia/Kolkata"),
        ("Germany", "Europe/Berlin"),  # Büsingen keeps Berlin's clock all year: one choice
        ("holland", "Europe/Amsterdam"),
        ("South Africa", "Africa/Johannesburg"),
    ],
)
def test_a_country_with_one_clock_is_its_time_zone(typed, zone):
    assert times.parse_timezone(typed).key == zone


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("usa", ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]),
        ("Australia", ["Australia/Sydney", "Australia/Brisbane", "Australia/Perth"]),
        ("nz", ["Pacific/Auckland", "Pacific/Chatham"]),
    ],
)
def test_a_country_with_several_clocks_lists_them_and_asks(typed, listed):
    with pytest.raises(UserError, match="more than one time zone") as caught:
        times.parse_timezone(typed)
    assert all(zone in str(caught.value) for zone in listed)


def test_typing_a_country_suggests_its_zones_first():
    assert times.suggest_timezones("uk")[0] == "Europe/London"
    assert times.suggest_timezones("scotl")[0] == "Europe/London"
    assert times.suggest_timezones("united st")[:2] == ["America/New_York", "America/Chicago"]


THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("last night", date(2026, 12, 2)),
        ("yday", date(2026, 12, 2)),
        ("ystrday", date(2026, 12, 2)),
        ("tonight", THURSDAY),
        ("the day before yesterday", date(2026, 12, 1)),
        ("two days ago", date(2026, 12, 1)),
        ("a week ago", date(2026, 11, 26)),
        ("monday", date(2026, 11, 30)),
        ("on Tues", date(2026, 12, 1)),
        ("thursday", THURSDAY),
        ("last thursday", date(2026, 11, 26)),
        ("1st december", date(2026, 12, 1)),
        ("Dec 1", date(2026, 12, 1)),
        ("30th of Nov", date(2026, 11, 30)),
        ("30/11", date(2026, 11, 30)),  # British day/month
        ("11/30", date(2026, 11, 30)),  # American month/day
        ("1/12", date(2026, 12, 1)),  # only 1 December is within the week
    ],
)
def test_diary_dates_in_everyday_words(typed, expected):
    assert times.parse_entry_date(typed, THURSDAY) == expected


def test_a_day_and_month_that_read_both_ways_is_asked_about():
    with pytest.raises(UserError, match="could be 5 December or 12 May"):
        times.parse_entry_date("5/12", THURSDAY)


@pytest.mark.parametrize(("typed", "message"), [("ten days ago", "more than 7 days ago"), ("31 june", "not a date"), ("a fortnight ago", "not a date")])
def test_dates_in_words_outside_the_window_or_impossible_are_refused(typed, message):
    with pytest.raises(UserError, match=message):
        times.parse_entry_date(typed, THURSDAY)


def test_warming_reads_the_tables_the_first_typed_zone_needs():
    times._zones_by_country.cache_clear()
    times.warm()
    assert times._zones_by_country.cache_info().currsize == 1
    assert times.parse_timezone("Ireland").key == "Europe/Dublin"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("Leeds, UK", "Europe/London"), ("Cork, Ireland", "Europe/Dublin"), ("Perth, Australia", "Australia/Perth"), ("Toronto, Canada", "America/Toronto")],
)
def test_a_town_with_its_country_is_read_by_its_most_precise_known_part(typed, zone):
    assert times.parse_timezone(typed).key == zone


def test_a_town_in_a_country_with_several_clocks_lists_them():
    with pytest.raises(UserError, match="more than one time zone: America/New_York, America/Chicago"):
        times.parse_timezone("Dallas, Texas, USA")
