"""The privacy registry covers every column that can hold a member's id; crisis alerts expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import privacy
from bot.db import Database
from bot.moderation import privacy as moderation_privacy
from bot.moderation import store

ID_COLUMNS = {"user_id", "author_id", "reporter_id", "actor_id", "created_by", "target_id", "added_by"}
NOT_PEOPLE = {("mod_exemptions", "target_id")}  # role and channel ids


async def test_every_column_holding_a_member_id_is_covered_by_a_category(tmp_path):
    async with Database(tmp_path / "bot.db") as db:
        await db.migrate()
        found = set()
        for (table,) in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for column in await db.fetchall(f"PRAGMA table_info({table})"):
                if column["name"] in ID_COLUMNS:
                    found.add((table, column["name"]))
    covered = {pair for c in privacy.categories() for pair in c.columns}
    assert found - NOT_PEOPLE == covered


def test_categories_are_listed_by_domain_and_keys_are_unique():
    keys = [c.key for c in privacy.categories()]
    assert keys[:3] == ["diary", "reminder", "dm_channel"] and len(keys) == len(set(keys))
    assert all(c.label and (c.kept == "" or c.kept.endswith(".")) for c in privacy.categories())


async def test_crisis_alerts_are_purged_on_the_case_retention_period(tmp_path):
    now = datetime(2026, 3, 1, tzinfo=UTC)
    async with Database(tmp_path / "bot.db") as db:
        await db.migrate()
        await store.configure(db, 2, retention_days=10)
        for guild, message, age in ((1, 1, 91), (1, 2, 5), (2, 3, 11), (2, 4, 9)):
            await store.record_crisis_alert(
                db, guild, message_id=message, channel_id=5, author_id=7, now=now - timedelta(days=age)
            )
        await moderation_privacy.remember_alert_post(db, 1, 1, 55, 66)
        posts = await moderation_privacy.purge_crisis_alerts(db, now=now, default_days=90)
        assert sorted(posts, key=str) == sorted([(55, 66), (None, None)], key=str)
        left = [
            r[0] for r in await db.fetchall("SELECT message_id FROM mod_crisis_alerts ORDER BY message_id")
        ]
        assert left == [2, 4]
