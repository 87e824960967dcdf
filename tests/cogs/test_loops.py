"""Background loops keep running after a database error or a Discord error in one iteration."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import discord
import pytest

from bot.checkins import reminders
from bot.moderation import store


@pytest.fixture
def mod_role(guild):
    return guild.create_role(
        "Moderators", permissions=discord.Permissions(manage_messages=True, manage_guild=True)
    )


@pytest.fixture
def moderator(simcord_env, guild, mod_role):
    return guild.add_member(simcord_env.create_user("mod_ana"), roles=[mod_role])


@pytest.fixture
async def logs(guild, moderator, channel, mod_role):
    log_channel = guild.create_text_channel(
        "mod-log",
        overwrites={
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            mod_role: discord.PermissionOverwrite(view_channel=True),
            guild.me: discord.PermissionOverwrite(view_channel=True, send_messages=True, embed_links=True),
        },
    )
    await moderator.slash(channel, "mod setup", log_channel=log_channel, retention_days=1)
    return log_channel


async def advance_to(env, moment: datetime, step: float = 3600) -> None:
    while env.now() < moment:
        await env.advance_time(min(step, (moment - env.now()).total_seconds()))


def failing_once(monkeypatch, owner, name, error):
    real = getattr(owner, name)
    calls = []

    async def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise error
        return await real(*args, **kwargs)

    monkeypatch.setattr(owner, name, flaky)
    return calls


async def content(env, guild, number):
    return (await store.get_case(env.bot.db, guild.id, number)).content


@pytest.mark.simcord(settle_timeout=30)
async def test_purge_loop_survives_a_database_error_and_purges_the_next_night(
    simcord_env, guild, member, channel, logs, monkeypatch
):
    env = simcord_env
    await member.send(channel, "5G causes RLS")
    await advance_to(env, datetime(2026, 1, 1, 4, tzinfo=UTC))  # the first nightly purge has run
    calls = failing_once(monkeypatch, store, "purge_expired", sqlite3.OperationalError("database is locked"))
    await advance_to(env, datetime(2026, 1, 2, 4, tzinfo=UTC))  # 03:30 on 2 January: fails
    assert calls and await content(env, guild, 1) == "5G causes RLS"
    await advance_to(env, datetime(2026, 1, 3, 4, tzinfo=UTC))  # the next night runs
    assert await content(env, guild, 1) is None
    assert env.bot.get_cog("Moderation").purge_loop.is_running()


@pytest.mark.simcord(settle_timeout=30)
async def test_purge_loop_survives_discord_and_other_errors_while_refreshing_the_log(
    simcord_env, guild, member, channel, logs, monkeypatch
):
    env = simcord_env
    await member.send(channel, "5G causes RLS")
    env.inject_error("PATCH", f"/channels/{logs.id}/messages/*", status=500, times=None)
    await advance_to(env, datetime(2026, 1, 2, 4, tzinfo=UTC))
    assert await content(env, guild, 1) is None  # purged even though the log could not be edited
    env.backend.faults.clear()
    await advance_to(env, datetime(2026, 1, 2, 12, tzinfo=UTC))
    await member.send(channel, "Vaccines cause RLS, it's a cover-up")
    # Not an HTTP error this time: the database fails while the log message is rebuilt.
    failing_once(monkeypatch, store, "case_events", sqlite3.OperationalError("disk I/O error"))
    await advance_to(env, datetime(2026, 1, 4, 4, tzinfo=UTC))
    assert await content(env, guild, 2) is None
    assert env.bot.get_cog("Moderation").purge_loop.is_running()


@pytest.mark.simcord(settle_timeout=30)
async def test_a_failing_before_loop_does_not_stop_the_purge_for_good(
    simcord_env, guild, member, channel, logs, monkeypatch, restart
):
    env = simcord_env
    await member.send(channel, "5G causes RLS")
    real = store.purge_expired
    calls = []

    async def broken_at_start_up(*args, **kwargs):
        calls.append(env.now())
        if len(calls) > 1:
            return await real(*args, **kwargs)

        def cases():  # a row that cannot be read: fails outside the purge's own error handling
            raise RuntimeError("malformed case row")
            yield

        return cases()

    monkeypatch.setattr(store, "purge_expired", broken_at_start_up)
    await restart()
    await env.advance_time(1)
    assert len(calls) == 1  # the start-up purge (in before_loop) failed
    await advance_to(env, datetime(2026, 1, 2, 4, tzinfo=UTC))
    assert len(calls) == 3  # 03:30 on 1 and 2 January
    assert await content(env, guild, 1) is None
    assert env.bot.get_cog("Moderation").purge_loop.is_running()


@pytest.mark.simcord(settle_timeout=30)
async def test_community_prompts_survive_a_database_error_and_a_discord_error(
    simcord_env, guild, moderator, channel, monkeypatch
):
    env = simcord_env
    await moderator.slash(
        channel, "checkin-prompt set", channel=channel, time="20:00", timezone="Europe/Berlin"
    )

    def posted():
        return [m for m in channel.history() if m.author.bot and m.content.startswith("Daily check-in")]

    failing_once(monkeypatch, reminders, "due_community_prompts", sqlite3.OperationalError("locked"))
    await advance_to(env, datetime(2026, 1, 1, 19, 5, tzinfo=UTC))  # fails, retried a minute later
    assert len(posted()) == 1
    env.inject_error("POST", f"/channels/{channel.id}/messages", status=503, times=1)
    await advance_to(env, datetime(2026, 1, 2, 19, 0, 10, tzinfo=UTC))  # 2 January: Discord refuses
    assert len(posted()) == 1
    await advance_to(env, datetime(2026, 1, 2, 19, 5, tzinfo=UTC))  # ... and it is posted on the retry
    assert len(posted()) == 2
    await advance_to(env, datetime(2026, 1, 3, 19, 5, tzinfo=UTC))  # 3 January: once, on time
    assert len(posted()) == 3
    assert not env.bot.get_cog("Reminders")._task.done()
