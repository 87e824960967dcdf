from datetime import date, timedelta

from bot.checkins import stats
from bot.checkins.entries import Checkin

TODAY = date(2026, 3, 31)


def entry(days_ago: int, severity: int, **kw) -> Checkin:
    return Checkin(user_id=1, local_date=TODAY - timedelta(days=days_ago), severity=severity, **kw)


def test_week_against_last_week_and_short_nights():
    rows = [entry(d, 6, sleep_hours=5.0) for d in range(7)] + [
        entry(d, 3, sleep_hours=8.0) for d in range(7, 14)
    ]
    s = stats.summarise(rows, TODAY, 30)
    assert s.this_week == 6.0 and s.last_week == 3.0
    assert (s.short_nights, s.sleep_nights) == (7, 14)
    assert s.trend == "worsening" and s.slope_per_week > 0
    text = "\n".join(stats.summary_lines(s))
    assert "This week 6 vs last week 3 (higher)" in text
    assert "7 of 14 nights under 6 hours" in text


def test_improving_trend_and_too_little_data():
    rows = [entry(d, min(10, d // 3)) for d in range(30)]  # older days were worse
    assert stats.summarise(rows, TODAY, 30).trend == "improving"
    assert stats.summarise(rows[:3], TODAY, 30).trend is None


def test_onset_drifting_earlier_is_flagged():
    rows = [entry(d, 5, onset="bedtime") for d in range(20, 30)] + [
        entry(d, 5, onset="afternoon") for d in range(10)
    ]
    s = stats.summarise(rows, TODAY, 30)
    assert s.onset_earlier and (s.onset_from, s.onset_to) == ("bedtime", "afternoon")
    assert "augmentation" in "\n".join(stats.summary_lines(s))
    steady = stats.summarise([entry(d, 5, onset="evening") for d in range(30)], TODAY, 30)
    assert not steady.onset_earlier


def test_treatment_changes_and_mentions():
    rows = [
        entry(9, 5, treatments="iron"),
        entry(8, 5, treatments="Iron"),
        entry(5, 5, treatments="iron, pramipexole", side_effects="nausea"),
        entry(2, 5, treatments="pramipexole", side_effects="Nausea; dizziness"),
    ]
    s = stats.summarise(rows, TODAY, 30)
    assert [(c.day, c.label) for c in s.changes] == [
        (TODAY - timedelta(days=5), "+ pramipexole"),
        (TODAY - timedelta(days=2), "− iron"),
    ]
    assert dict(s.treatments) == {"iron": 3, "pramipexole": 2}
    assert dict(s.side_effects) == {"nausea": 2, "dizziness": 1}


def test_streak_never_shames_a_missed_day():
    rows = [entry(d, 4) for d in (1, 2, 3, 6)]  # today not done yet; a gap at 4-5
    s = stats.summarise(rows, TODAY, 7)
    assert s.streak == 3
    text = "\n".join(stats.summary_lines(s)).casefold()
    assert "3 days in a row" in text
    for word in ("missed", "broke", "failed", "lost", "of 7 days", "only"):
        assert word not in text
    assert "days without one are fine" in text
    assert stats.current_streak(set(), TODAY) == 0
    doctor = "\n".join(stats.summary_lines(s, for_doctor=True))
    assert "Days with a check-in: 4 of 7." in doctor and "in a row" not in doctor


def test_windows_for_history_and_export():
    assert stats.history_since(TODAY, 7) == TODAY - timedelta(days=15)  # two weeks for the comparison
    assert stats.history_since(TODAY, 90) == TODAY - timedelta(days=91)
    assert stats.export_span(TODAY, TODAY) == 30
    assert stats.export_span(TODAY - timedelta(days=99), TODAY) == 100
    assert stats.export_span(TODAY - timedelta(days=900), TODAY) == 365


def test_empty_window():
    s = stats.summarise([], TODAY, 7)
    assert s.count == 0 and s.avg_severity is None
    assert "No check-ins" in stats.summary_lines(s)[0]
