from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import privacy as bot_privacy
from bot.checkins import entries, privacy, reminders, scheduler, times

BERLIN = ZoneInfo("Europe/Berlin")
T2130 = time(21, 30)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_plan_on_time_late_and_missed():
    # 21:30 Berlin on 2026-01-05 is 20:30 UTC.
    on_time = reminders.plan_occurrence(T2130, BERLIN, at(2026, 1, 5, 20, 30), None)
    assert (on_time.send, on_time.reason, on_time.local_date) == (True, "due", date(2026, 1, 5))
    assert on_time.next_due_utc == at(2026, 1, 6, 20, 30)
    late = reminders.plan_occurrence(T2130, BERLIN, at(2026, 1, 5, 22, 30), None)
    assert (late.send, late.reason) == (True, "late")
    edge = reminders.plan_occurrence(T2130, BERLIN, at(2026, 1, 5, 22, 30, 1), None)
    assert (edge.send, edge.reason) == (False, "missed")
    assert edge.next_due_utc == at(2026, 1, 6, 20, 30)


def test_plan_never_twice_and_not_after_a_checkin():
    now = at(2026, 1, 5, 20, 30)
    assert reminders.plan_occurrence(T2130, BERLIN, now, date(2026, 1, 5)).reason == "already_sent"
    assert reminders.plan_occurrence(T2130, BERLIN, now, date(2026, 1, 4)).send
    assert reminders.plan_occurrence(T2130, BERLIN, now, None, checked_in=True).reason == "checked_in"


def test_plan_after_a_long_outage_uses_the_latest_occurrence():
    # Down for three days; back 30 minutes after the latest 21:30.
    plan = reminders.plan_occurrence(T2130, BERLIN, at(2026, 1, 8, 21, 0), date(2026, 1, 4))
    assert (plan.send, plan.local_date, plan.reason) == (True, date(2026, 1, 8), "late")


async def test_due_reminders_is_one_indexed_query(db):
    now = at(2026, 1, 1, 0, 0)
    for uid, hour in ((1, 20), (2, 21), (3, 22)):
        await reminders.set_reminder(db, uid, time(hour, 0), BERLIN, now)
    await reminders.pause_reminder(db, 2, reminders.DM_CLOSED, now)
    due = await reminders.due_reminders(db, at(2026, 1, 1, 20, 0), 10)
    assert [r.user_id for r in due] == [1]  # 21:00 Berlin = 20:00 UTC; 2 is paused; 3 is later
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN SELECT user_id FROM checkin_reminders INDEXED BY checkin_reminders_due"
        " WHERE paused = 0 AND next_due_utc <= ? ORDER BY next_due_utc LIMIT ?",
        (0, 10),
    )
    detail = " ".join(r["detail"] for r in plan)
    assert "checkin_reminders_due" in detail and "TEMP B-TREE" not in detail
    assert await scheduler.next_wakeup(db) == at(2026, 1, 1, 19, 0)


async def test_plan_prompt_skips_a_day_already_checked_in(db):
    now = at(2026, 1, 5, 20, 30)
    reminder = await reminders.set_reminder(db, 7, T2130, BERLIN, at(2026, 1, 5, 12))
    assert (await reminders.plan_prompt(db, reminder, now)).send
    await entries.save_checkin(db, entries.build_checkin(7, date(2026, 1, 5), severity=3), now)
    assert (await reminders.plan_prompt(db, reminder, now)).reason == "checked_in"


async def test_set_reminder_resumes_a_paused_one_and_clears_the_notice(db):
    now = at(2026, 1, 1)
    await reminders.set_reminder(db, 5, T2130, BERLIN, now)
    await reminders.pause_reminder(db, 5, reminders.DM_CLOSED, now)
    assert (await reminders.get_reminder(db, 5)).paused
    await reminders.set_reminder(db, 5, T2130, BERLIN, now + timedelta(hours=1))
    assert not (await reminders.get_reminder(db, 5)).paused
    assert await reminders.pop_notices(db, 5) == []
    await reminders.pause_reminder(db, 5, reminders.DM_CLOSED, now)
    assert await reminders.pop_notices(db, 5) == [reminders.DM_CLOSED]
    assert await reminders.pop_notices(db, 5) == []  # shown once


async def test_member_today_follows_their_zone(db):
    now = at(2026, 1, 1, 23, 30)  # already 2 January in Berlin
    assert await reminders.member_today(db, 9, now) == date(2026, 1, 1)  # no reminder: UTC
    await reminders.set_reminder(db, 9, T2130, BERLIN, now)
    assert await reminders.member_today(db, 9, now) == date(2026, 1, 2)


async def test_delete_everything_leaves_no_rows(db):
    await db.migrate()  # the registry covers every domain's tables
    now = at(2026, 1, 1)
    uid, other = 11, 12
    for user in (uid, other):
        await reminders.set_reminder(db, user, T2130, BERLIN, now)
        await entries.save_checkin(
            db, entries.build_checkin(user, date(2025, 12, 31), severity=4, note="x"), now
        )
        await reminders.remember_dm_channel(db, user, 1000 + user)
    sent_at = at(2026, 1, 1, 20, 30)
    await scheduler.enqueue_due(db, sent_at)
    for job in await scheduler.claim(db, "t", sent_at):
        await scheduler.mark_sent(db, job, 1000 + job.user_id, 5, sent_at)
    for user in (uid, other):
        await reminders.pause_reminder(db, user, reminders.DM_CLOSED, now)
    stored = await privacy.stored_data(db, uid)
    assert stored.checkins == 1 and stored.dm_channel and stored.pending_prompts == 1 and stored.notices == 1
    deleted = await bot_privacy.forget(db, uid, bot_privacy.Context(now=now, retention_days=90))
    assert (deleted["diary"], deleted["reminder"], deleted["dm_channel"]) == (1, 4, 1)
    for table in privacy.USER_TABLES:
        assert await db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (uid,)) == 0
        assert await db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (other,)) == 1
    assert (await privacy.stored_data(db, uid)).empty


async def test_every_table_with_a_user_column_is_covered_by_deletion(db):
    tables = [r["name"] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
    with_user = []
    for table in tables:
        cols = [r["name"] for r in await db.fetchall(f"PRAGMA table_info({table})")]
        if "user_id" in cols:
            with_user.append(table)
    assert sorted(with_user) == sorted(privacy.USER_TABLES)


async def test_community_prompt_schedule(db):
    now = at(2026, 1, 1)
    prompt = await reminders.set_community_prompt(db, 1, 2, time(20, 0), BERLIN, now)
    assert prompt.next_due_utc == at(2026, 1, 1, 19, 0)
    assert [p.guild_id for p in await reminders.due_community_prompts(db, at(2026, 1, 1, 19, 0))] == [1]
    assert await reminders.reschedule_community(db, prompt, at(2026, 1, 2, 19, 0), sent_date=date(2026, 1, 1))
    # The same stale copy cannot move it again: the first write bumped the version.
    assert not await reminders.reschedule_community(db, prompt, at(2026, 1, 9, 19, 0), sent_date=None)
    assert (await reminders.get_community_prompt(db, 1)).next_due_utc == at(2026, 1, 2, 19, 0)
    assert await reminders.due_community_prompts(db, at(2026, 1, 1, 19, 1)) == []
    assert await reminders.delete_community_prompt(db, 1)
    assert await reminders.get_community_prompt(db, 1) is None


async def test_bulk_reminders_and_due_lookup_at_scale(db):
    now = at(2026, 1, 1)
    zones = [ZoneInfo(z) for z in ("Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC")]
    rows = [(uid, time(uid % 24, (uid * 15) % 60), zones[uid % 4]) for uid in range(5000)]
    await reminders.set_reminders_bulk(db, rows, now)
    assert await db.fetchval("SELECT COUNT(*) FROM checkin_reminders") == 5000
    moment = at(2026, 1, 1, 12, 0)
    due = await reminders.due_reminders(db, moment, 10_000)
    expected = sum(1 for _, t, z in rows if times.next_occurrence(t, z, now) <= moment)
    assert len(due) == expected > 0
    assert all(r.next_due_utc <= moment for r in due)
    assert [r.next_due_utc for r in due] == sorted(r.next_due_utc for r in due)
