"""Daily prompts survive Discord errors, timeouts and restarts: none lost, none twice, none after a check-in."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import aiohttp
import discord
import pytest

from bot.checkins import scheduler

DUE = datetime(2026, 1, 1, 20, 30, tzinfo=UTC)  # 21:30 in Berlin


def prompts(user):
    return [m for m in user.dm_channel.history() if m.author.bot and m.content.startswith("Time for your")]


def posts(env, dm_id):
    return [r for r in env.http_requests if r.method == "POST" and r.path == f"/channels/{dm_id}/messages"]


def history_reads(env, dm_id):
    return [r for r in env.http_requests if r.method == "GET" and r.path == f"/channels/{dm_id}/messages"]


async def advance_to(env, moment: datetime, step: float = 600) -> None:
    while env.now() < moment:
        await env.advance_time(min(step, (moment - env.now()).total_seconds()))


async def set_berlin_2130(member, channel):
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")


async def outbox(env, member):
    return await scheduler.outbox_states(env.bot.db, member.id)


@pytest.mark.simcord(settle_timeout=30)
@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_retried_with_backoff_and_the_prompt_arrives_once(
    simcord_env, channel, member, status
):
    env = simcord_env
    dm_id = member.user.dm_channel.id
    await set_berlin_2130(member, channel)
    # Two of the scheduler's attempts fail, the third gets through.
    env.inject_error("POST", f"/channels/{dm_id}/messages", status=status, times=2)
    await advance_to(env, DUE.replace(second=5))
    assert prompts(member.user) == []
    assert await outbox(env, member) == {"2026-01-01": scheduler.RETRY}
    await advance_to(env, DUE.replace(minute=35))
    [prompt] = prompts(member.user)
    assert "a little late" not in prompt.content
    assert await outbox(env, member) == {"2026-01-01": scheduler.SENT}
    assert len(posts(env, dm_id)) == 3
    # A 5xx may have been accepted: each retry looked in the DM channel first, once.
    assert len(history_reads(env, dm_id)) == 2
    await advance_to(env, datetime(2026, 1, 2, 20, 31, tzinfo=UTC), step=3600)
    assert len(prompts(member.user)) == 2


@pytest.mark.simcord(settle_timeout=30)
async def test_a_prompt_that_keeps_failing_is_given_up_at_the_end_of_the_late_window(
    simcord_env, channel, member
):
    env = simcord_env
    dm_id = member.user.dm_channel.id
    await set_berlin_2130(member, channel)
    env.inject_error("POST", f"/channels/{dm_id}/messages", status=503, times=None)
    await advance_to(env, datetime(2026, 1, 1, 23, tzinfo=UTC))
    assert prompts(member.user) == []
    assert await outbox(env, member) == {"2026-01-01": scheduler.FINAL}
    attempts = len(posts(env, dm_id))
    assert 5 <= attempts <= 12  # backoff, not a tight loop
    env.backend.faults.clear()
    await advance_to(env, datetime(2026, 1, 2, 20, 31, tzinfo=UTC), step=3600)
    assert len(prompts(member.user)) == 1 and "Friday 2 January" in prompts(member.user)[0].content


@pytest.mark.simcord(settle_timeout=30)
async def test_a_timeout_after_discord_accepted_the_prompt_does_not_send_it_twice(
    simcord_env, channel, member, monkeypatch
):
    env = simcord_env
    dm_id = member.user.dm_channel.id
    cog = env.bot.get_cog("Reminders")
    post = cog._post
    calls = []

    async def accepted_then_timed_out(channel_id, job):
        calls.append(job.attempts)
        message_id = await post(channel_id, job)
        if len(calls) == 1:
            raise TimeoutError  # the answer never came back
        return message_id

    monkeypatch.setattr(cog, "_post", accepted_then_timed_out)
    await set_berlin_2130(member, channel)
    await advance_to(env, DUE.replace(second=5))
    assert len(prompts(member.user)) == 1
    assert await outbox(env, member) == {"2026-01-01": scheduler.RETRY}
    await advance_to(env, DUE.replace(minute=40))
    assert len(prompts(member.user)) == 1
    assert await outbox(env, member) == {"2026-01-01": scheduler.SENT}
    assert calls == [1] and len(history_reads(env, dm_id)) == 1
    stored = await env.bot.db.fetchval(
        "SELECT message_id FROM checkin_prompts WHERE user_id = ?", (member.id,)
    )
    assert stored == prompts(member.user)[0].id


@pytest.mark.simcord(settle_timeout=30)
async def test_a_connection_error_before_sending_is_retried(simcord_env, channel, member, monkeypatch):
    env = simcord_env
    cog = env.bot.get_cog("Reminders")
    post = cog._post
    failures = [aiohttp.ClientConnectionError("connection reset"), OSError("network is unreachable")]

    async def flaky(channel_id, job):
        if failures:
            raise failures.pop(0)
        return await post(channel_id, job)

    monkeypatch.setattr(cog, "_post", flaky)
    await set_berlin_2130(member, channel)
    await advance_to(env, DUE.replace(minute=35))
    assert len(prompts(member.user)) == 1 and failures == []
    assert await outbox(env, member) == {"2026-01-01": scheduler.SENT}


async def test_no_prompt_when_the_member_checks_in_while_a_retry_waits(simcord_env, channel, member):
    env = simcord_env
    dm_id = member.user.dm_channel.id
    await set_berlin_2130(member, channel)
    env.inject_error("POST", f"/channels/{dm_id}/messages", status=503, times=1)
    await advance_to(env, DUE.replace(second=5))
    await member.slash(channel, "checkin", severity=4)
    await advance_to(env, DUE.replace(minute=50))
    assert prompts(member.user) == []
    assert await outbox(env, member) == {"2026-01-01": scheduler.SKIPPED}


@pytest.mark.simcord(settle_timeout=30)
async def test_closed_dms_pause_after_one_attempt(simcord_env, channel, member):
    env = simcord_env
    dm_id = member.user.dm_channel.id
    env.inject_error("POST", f"/channels/{dm_id}/messages", status=403, code=50007, times=None)
    await set_berlin_2130(member, channel)
    await advance_to(env, datetime(2026, 1, 1, 23, tzinfo=UTC))
    assert len(posts(env, dm_id)) == 1
    assert await outbox(env, member) == {"2026-01-01": scheduler.FINAL}
    assert (
        await env.bot.db.fetchval("SELECT paused FROM checkin_reminders WHERE user_id = ?", (member.id,))
    ) == 1


@pytest.mark.simcord(settle_timeout=30)
async def test_a_crash_after_discord_accepted_the_prompt_is_resolved_without_a_second_one(
    simcord_env, channel, member, restart, monkeypatch
):
    env = simcord_env
    dm_id = member.user.dm_channel.id
    await set_berlin_2130(member, channel)

    async def process_dies_before_recording(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(scheduler, "mark_sent", process_dies_before_recording)
    await advance_to(env, DUE.replace(second=5))
    assert len(prompts(member.user)) == 1
    assert await outbox(env, member) == {"2026-01-01": scheduler.CLAIMED}
    monkeypatch.undo()
    await restart()
    await advance_to(env, DUE.replace(minute=45))
    assert len(prompts(member.user)) == 1
    assert await outbox(env, member) == {"2026-01-01": scheduler.SENT}
    assert len(posts(env, dm_id)) == 1 and len(history_reads(env, dm_id)) == 1


@pytest.mark.simcord(settle_timeout=30)
async def test_a_crash_after_claiming_but_before_sending_still_sends_once(
    simcord_env, channel, member, restart, monkeypatch
):
    env = simcord_env
    dm_id = member.user.dm_channel.id
    await set_berlin_2130(member, channel)
    cog = env.bot.get_cog("Reminders")

    async def dies_before_the_request(channel_id, job):
        raise RuntimeError("killed")

    monkeypatch.setattr(cog, "_post", dies_before_the_request)
    await advance_to(env, DUE.replace(second=5))
    assert prompts(member.user) == []
    assert await outbox(env, member) == {"2026-01-01": scheduler.CLAIMED}
    await restart()
    await advance_to(env, DUE.replace(minute=45))
    [prompt] = prompts(member.user)
    assert "Thursday 1 January" in prompt.content
    assert await outbox(env, member) == {"2026-01-01": scheduler.SENT}
    assert len(posts(env, dm_id)) == 1
    # The next day is untouched by the crash.
    await advance_to(env, datetime(2026, 1, 2, 20, 31, tzinfo=UTC), step=3600)
    assert len(prompts(member.user)) == 2


@pytest.mark.simcord(settle_timeout=30)
async def test_restarts_in_the_middle_of_retries_lose_nothing_and_send_nothing_twice(
    simcord_env, guild, channel, restart
):
    env = simcord_env
    members = [guild.add_member(env.create_user(f"m{i}")) for i in range(4)]
    for m in members:
        await set_berlin_2130(m, channel)
    env.inject_error("POST", "/channels/*/messages", status=503, times=3)
    await advance_to(env, DUE.replace(second=5))
    await restart()
    await env.advance_time(40)
    await restart()
    await advance_to(env, DUE.replace(minute=59))
    assert [len(prompts(m.user)) for m in members] == [1, 1, 1, 1]
    await advance_to(env, datetime(2026, 1, 2, 20, 31, tzinfo=UTC), step=3600)
    assert [len(prompts(m.user)) for m in members] == [2, 2, 2, 2]


async def test_a_change_during_a_round_wakes_the_scheduler_again_at_once(simcord_env, channel, member):
    env = simcord_env
    cog = env.bot.get_cog("Reminders")
    await env.advance_time(1)
    before = cog.rounds
    process_due = cog.process_due
    woke = []

    async def reminder_set_during_the_round(now):
        if not woke:
            woke.append(True)
            cog.wake()  # what /reminder set does, while the round is still running
        return await process_due(now)

    cog.process_due = reminder_set_during_the_round
    cog.wake()
    await env.advance_time(1)
    # Without the wake remembered, the loop would now sleep for a day after one round.
    assert cog.rounds >= before + 2


@pytest.mark.simcord(settle_timeout=30)
async def test_the_prompt_loop_survives_a_database_error_and_runs_the_next_round(
    simcord_env, channel, member, monkeypatch
):
    env = simcord_env
    await set_berlin_2130(member, channel)
    enqueue = scheduler.enqueue_due
    failures = [sqlite3.OperationalError("database is locked")]

    async def flaky(*args, **kwargs):
        if failures:
            raise failures.pop()
        return await enqueue(*args, **kwargs)

    monkeypatch.setattr(scheduler, "enqueue_due", flaky)
    await advance_to(env, DUE.replace(second=5))
    assert prompts(member.user) == [] and failures == []
    await advance_to(env, DUE.replace(minute=32))
    assert len(prompts(member.user)) == 1
    assert not env.bot.get_cog("Reminders")._task.done()


@pytest.mark.simcord(settle_timeout=30)
async def test_a_hung_request_is_cut_off_and_retried_without_a_second_prompt(
    simcord_env, channel, member, monkeypatch
):
    env = simcord_env
    send = discord.abc.Messageable.send
    hung = []

    async def hangs_once(self, *args, **kwargs):
        if not hung:
            hung.append(env.now())
            await asyncio.sleep(3600)  # Discord never answers
        return await send(self, *args, **kwargs)

    monkeypatch.setattr(discord.abc.Messageable, "send", hangs_once)
    await set_berlin_2130(member, channel)
    await advance_to(env, DUE.replace(minute=32), step=30)
    assert hung and len(prompts(member.user)) == 1
    assert await outbox(env, member) == {"2026-01-01": scheduler.SENT}


def test_retry_after_is_read_from_discords_header():
    from types import SimpleNamespace

    from cogs.reminders import _retry_after

    def error(headers):
        response = SimpleNamespace(status=429, reason="Too Many Requests", headers=headers)
        return discord.HTTPException(response, {"message": "slow down", "code": 0})

    assert _retry_after(error({"Retry-After": "12.5"})) == 12.5
    assert _retry_after(error({})) is None
    assert _retry_after(error({"Retry-After": "soon"})) is None
