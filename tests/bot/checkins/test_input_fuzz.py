"""Whatever a member types, parsing either succeeds or raises UserError with a short message."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.checkins import entries, times
from bot.errors import UserError

TODAY = date(2026, 1, 10)


def only_user_errors(parse, text):
    try:
        parse(text)
    except UserError as error:
        assert 0 < len(str(error)) <= 300
        return None


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_free_text_never_crashes_a_parser(text):
    only_user_errors(times.parse_local_time, text)
    only_user_errors(times.parse_timezone, text)
    only_user_errors(lambda t: times.parse_entry_date(t, TODAY), text)
    only_user_errors(entries.parse_severity, text)
    only_user_errors(entries.parse_sleep, text)
    only_user_errors(entries.parse_onset, text)


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_time_round_trips(hour, minute):
    value = times.parse_local_time(f"{hour:02d}:{minute:02d}")
    assert (value.hour, value.minute) == (hour, minute)
    twelve = f"{(hour % 12) or 12}:{minute:02d}{'pm' if hour >= 12 else 'am'}"
    assert times.parse_local_time(twelve) == value


@given(st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 2, 1)))
def test_entry_dates_inside_the_window_only(day):
    offset = (TODAY - day).days
    try:
        assert times.parse_entry_date(day.isoformat(), TODAY) == day
        assert 0 <= offset <= times.BACKDATE_DAYS
    except UserError:
        assert offset < 0 or offset > times.BACKDATE_DAYS
