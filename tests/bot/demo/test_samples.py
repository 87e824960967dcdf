"""The demo's sample diary, on the domain code alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot import privacy
from bot.checkins.entries import list_checkins
from bot.db import Database
from bot.demo import samples


async def test_the_sample_diary_is_stored_once_per_database(tmp_path):
    now = datetime(2026, 1, 1, 19, 0, tzinfo=UTC)
    db = await Database(tmp_path / "demo.db").open()
    try:
        await db.migrate()
        assert await samples.seed_diary(db, 7, now) == samples.DIARY_DAYS
        stored = await list_checkins(db, 7)
        assert stored == [
            replace(c, created_at=s.created_at, updated_at=s.updated_at)
            for c, s in zip(samples.sample_diary(7, now.date()), stored, strict=True)
        ]
        # After /mydata delete, a resumed demo does not put the samples back.
        await privacy.forget(db, 7, privacy.Context(now=now, retention_days=90))
        assert await samples.seed_diary(db, 7, now) == 0
        assert await list_checkins(db, 7) == []
    finally:
        await db.close()


def test_the_demo_starts_at_seven_in_the_evening_of_the_simulated_day():
    assert samples.start_time(datetime(2026, 1, 1, tzinfo=UTC)) == datetime(2026, 1, 1, 19, tzinfo=UTC)
    later = datetime(2026, 1, 1, 22, 15, tzinfo=UTC)
    assert samples.start_time(later) == later
