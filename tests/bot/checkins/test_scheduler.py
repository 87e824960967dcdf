"""The durable prompt scheduler at the domain level: outbox states, claims, compare-and-set."""

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.checkins import entries, reminders, scheduler
from bot.db import Database, discover_migrations

BERLIN = ZoneInfo("Europe/Berlin")
T2130 = time(21, 30)
DUE = datetime(2026, 1, 5, 20, 30, tzinfo=UTC)  # 21:30 Berlin
DAY = date(2026, 1, 5)


async def seed(db, *users):
    for uid in users:
        await reminders.set_reminder(db, uid, T2130, BERLIN, DUE - timedelta(hours=6))


async def test_a_due_prompt_is_queued_once_and_the_reminder_moves_on(db):
    await seed(db, 1)
    assert await scheduler.enqueue_due(db, DUE) == 1
    assert await scheduler.outbox_states(db, 1) == {"2026-01-05": scheduler.DUE}
    assert (await reminders.get_reminder(db, 1)).next_due_utc == DUE + timedelta(days=1)
    # Setting a later time the same evening does not queue a second prompt for that day.
    await reminders.set_reminder(db, 1, time(22, 0), BERLIN, DUE)
    assert await scheduler.enqueue_due(db, DUE + timedelta(minutes=30)) == 0
    assert await scheduler.outbox_states(db, 1) == {"2026-01-05": scheduler.DUE}


async def test_sent_only_when_confirmed(db):
    await seed(db, 1)
    await scheduler.enqueue_due(db, DUE)
    [job] = await scheduler.claim(db, "a", DUE)
    assert (job.user_id, job.local_date, job.attempts, job.verify) == (1, DAY, 1, False)
    assert await scheduler.outbox_states(db, 1) == {"2026-01-05": scheduler.CLAIMED}
    assert (await reminders.get_reminder(db, 1)).last_sent_date is None
    await scheduler.mark_sent(db, job, 77, 88, DUE)
    assert await scheduler.outbox_states(db, 1) == {"2026-01-05": scheduler.SENT}
    assert (await reminders.get_reminder(db, 1)).last_sent_date == DAY
    assert await db.fetchval("SELECT message_id FROM checkin_prompts WHERE user_id = 1") == 88
    assert await scheduler.claim(db, "a", DUE + timedelta(hours=1)) == []


async def test_two_processes_sharing_a_database_never_claim_the_same_prompt(db, tmp_path):
    await seed(db, *range(1, 201))
    await scheduler.enqueue_due(db, DUE)
    other = await Database(db.path).open()
    try:
        first, second = await asyncio.gather(
            *(scheduler.claim(d, token, DUE, limit=150) for d, token in ((db, "a"), (other, "b")))
        )
    finally:
        await other.close()
    mine = {j.user_id for j in first}
    theirs = {j.user_id for j in second}
    assert not mine & theirs and len(mine | theirs) == 200
    owners = await db.fetchall("SELECT claim_token, COUNT(*) FROM checkin_outbox GROUP BY claim_token")
    assert {r[0]: r[1] for r in owners} == {"a": len(mine), "b": len(theirs)}


async def test_a_change_made_during_a_round_is_never_overwritten(db, monkeypatch):
    await seed(db, 1, 2)
    plan_prompt = reminders.plan_prompt

    async def member_changes_their_time_meanwhile(db_, reminder, now):
        plan = await plan_prompt(db_, reminder, now)
        if reminder.user_id == 2:  # /reminder set arrives while the round is planning
            await reminders.set_reminder(db_, 2, time(23, 0), BERLIN, now)
        return plan

    monkeypatch.setattr(reminders, "plan_prompt", member_changes_their_time_meanwhile)
    assert await scheduler.enqueue_due(db, DUE) == 1
    changed = await reminders.get_reminder(db, 2)
    assert changed.local_time == time(23, 0) and changed.next_due_utc == datetime(2026, 1, 5, 22, tzinfo=UTC)
    assert await scheduler.outbox_states(db, 2) == {}  # the 21:30 prompt it replaced is not queued
    assert (await reminders.get_reminder(db, 1)).next_due_utc == DUE + timedelta(days=1)
    monkeypatch.undo()
    assert await scheduler.enqueue_due(db, datetime(2026, 1, 5, 22, tzinfo=UTC)) == 1  # at the new time


async def test_retryable_failures_back_off_inside_the_late_window_then_give_up(db):
    await seed(db, 1)
    await scheduler.enqueue_due(db, DUE)
    now = DUE
    waits = []
    while True:
        [job] = await scheduler.claim(db, "a", now)
        state = await scheduler.mark_failed(db, job, now, "HTTP 503", retryable=True, verify=True)
        if state == scheduler.FINAL:
            break
        assert state == scheduler.RETRY
        nxt = await scheduler.next_wakeup(db)
        waits.append((nxt - now).total_seconds())
        assert await scheduler.claim(db, "a", nxt - timedelta(seconds=1)) == []  # not before its time
        now = nxt
    assert waits[:4] == [30, 60, 120, 240] and max(waits) <= scheduler.MAX_BACKOFF
    assert now <= DUE + reminders.GRACE
    assert await scheduler.outbox_states(db, 1) == {"2026-01-05": scheduler.FINAL}
    # The verify flag stays set: whatever claims it later looks before sending.
    assert await db.fetchval("SELECT verify FROM checkin_outbox") == 1


async def test_rate_limit_retry_after_is_respected(db):
    await seed(db, 1)
    await scheduler.enqueue_due(db, DUE)
    [job] = await scheduler.claim(db, "a", DUE)
    await scheduler.mark_failed(db, job, DUE, "429", retryable=True, retry_after=400)
    assert await scheduler.next_wakeup(db) == DUE + timedelta(seconds=400)


async def test_an_unconfirmed_claim_is_handed_out_again_to_be_verified(db):
    await seed(db, 1)
    await scheduler.enqueue_due(db, DUE)
    await scheduler.claim(db, "crashed", DUE)
    assert await scheduler.recover_stale_claims(db, DUE + timedelta(minutes=1)) == 0  # lease running
    assert await scheduler.next_wakeup(db) == DUE + scheduler.CLAIM_LEASE
    later = DUE + scheduler.CLAIM_LEASE
    assert await scheduler.recover_stale_claims(db, later) == 1
    [job] = await scheduler.claim(db, "restarted", later)
    assert job.verify and job.attempts == 2
    # The dead process's late answer cannot overwrite the new claim's outcome.
    assert await scheduler.mark_failed(db, job, later, "x", retryable=True) == scheduler.RETRY
    stale = scheduler.Job(1, DAY, False, 1, False, job.deadline, "crashed")
    await scheduler.mark_failed(db, stale, later, "late answer", retryable=False)
    assert await scheduler.outbox_states(db, 1) == {"2026-01-05": scheduler.RETRY}


async def test_no_prompt_after_that_days_checkin_or_once_the_reminder_is_off(db):
    await seed(db, 1, 2)
    await scheduler.enqueue_due(db, DUE)
    await entries.save_checkin(db, entries.build_checkin(1, DAY, severity=3), DUE)
    await reminders.delete_reminder(db, 2)
    assert await scheduler.claim(db, "a", DUE) == []
    assert await scheduler.outbox_states(db, 1) == {"2026-01-05": scheduler.SKIPPED}
    assert await scheduler.outbox_states(db, 2) == {"2026-01-05": scheduler.SKIPPED}


async def test_a_claimed_prompt_checked_in_meanwhile_is_released(db):
    await seed(db, 1)
    await scheduler.enqueue_due(db, DUE)
    [job] = await scheduler.claim(db, "a", DUE)
    assert await scheduler.still_wanted(db, job)
    await entries.save_checkin(db, entries.build_checkin(1, DAY, severity=3), DUE)
    assert not await scheduler.still_wanted(db, job)
    await scheduler.release(db, job, DUE, "checked in")
    assert await scheduler.outbox_states(db, 1) == {"2026-01-05": scheduler.SKIPPED}


async def test_claim_uses_the_pending_index(db):
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN SELECT user_id, local_date FROM checkin_outbox INDEXED BY checkin_outbox_pending"
        " WHERE state IN ('due', 'failed_retryable') AND next_attempt_utc <= ? ORDER BY next_attempt_utc"
        " LIMIT ?",
        (0, 10),
    )
    assert "checkin_outbox_pending" in " ".join(r["detail"] for r in plan)


async def test_old_outbox_rows_are_pruned(db):
    await seed(db, 1)
    await scheduler.enqueue_due(db, DUE)
    [job] = await scheduler.claim(db, "a", DUE)
    await scheduler.mark_sent(db, job, 1, 2, DUE)
    await scheduler.prune(db, DUE + timedelta(days=30))
    assert await scheduler.outbox_states(db, 1) == {}


def test_migration_numbers_are_in_the_diary_range():
    assert 210 in {m.version for m in discover_migrations()}


async def test_a_failed_community_post_is_retried_inside_the_late_window_only(db):
    prompt = await reminders.set_community_prompt(db, 1, 2, time(20, 0), BERLIN, DUE - timedelta(hours=6))
    due = prompt.next_due_utc  # 19:00 UTC
    plan = scheduler.plan_community(prompt, due)
    assert plan.send
    assert await reminders.reschedule_community(db, prompt, plan.next_due_utc, sent_date=None)
    assert await scheduler.community_retry(db, prompt, plan, due, attempts=1)
    assert (await reminders.get_community_prompt(db, 1)).next_due_utc == due + timedelta(seconds=30)
    # A change made meanwhile (a new /checkin-prompt set) is never overwritten by a retry.
    assert not await scheduler.community_retry(db, prompt, plan, due, attempts=2)
    retried = await reminders.get_community_prompt(db, 1)
    late = due + reminders.GRACE - timedelta(seconds=10)
    again = scheduler.plan_community(retried, late)
    assert again.send and again.local_date == plan.local_date
    assert await reminders.reschedule_community(db, retried, again.next_due_utc, sent_date=None)
    assert not await scheduler.community_retry(db, retried, again, late, attempts=3)  # past the window
    await scheduler.community_sent(db, 1, again.local_date)
    assert (await reminders.get_community_prompt(db, 1)).last_sent_date == again.local_date
