"""The demo community is seeded through the bot's real commands and listeners."""

from __future__ import annotations

from datetime import date, time, timedelta

import discord
import pytest
import simcord

from bot.checkins import reminders
from bot.checkins.entries import list_checkins
from bot.demo import samples, world
from bot.moderation import store
from bot.safety import get_alert_channel


@pytest.fixture
async def community(simcord_env):
    people = world.create_people(simcord_env)
    return await world.build(simcord_env, people)


def bot_posts(channel):
    return [m for m in channel.history() if m.author.bot]


pytestmark = pytest.mark.simcord(settle_timeout=30)


async def test_the_claim_is_a_case_in_the_mod_log_and_the_experience_is_left_alone(simcord_env, community):
    db = simcord_env.bot.db
    case = await store.open_case_for(db, community.guild.id, community.claim.id)
    assert case is not None and case.category == "miracle_cure"
    assert case.author_id == community.sam.id and case.log_channel_id == community.mod_log.id
    assert await store.open_case_for(db, community.guild.id, community.experience.id) is None
    assert await db.fetchval("SELECT COUNT(*) FROM mod_cases") == 1

    posted = [m for m in bot_posts(community.mod_log) if m.embeds and m.embeds[0].title.startswith("Case #1")]
    assert len(posted) == 1 and case.log_message_id == posted[0].id
    assert samples.CLAIM in posted[0].embeds[0].description
    labels = [c.label for row in posted[0].components for c in row.children]
    assert labels == ["Dismiss (false positive)", "Reply with facts", "Remove message", "Warn author"]
    # Alert only: nothing is said in public about either post.
    assert bot_posts(community.support) == [] and bot_posts(community.general) == []


async def test_the_moderators_setup_is_done_in_advance(simcord_env, community):
    db = simcord_env.bot.db
    settings = await store.get_settings(db, community.guild.id)
    assert (settings.log_channel_id, settings.action) == (community.mod_log.id, "alert")
    # /safety setup without a channel: crisis alerts go to the mod log, and the row exists.
    assert (
        await db.fetchval("SELECT COUNT(*) FROM guild_settings WHERE guild_id = ?", (community.guild.id,))
        == 1
    )
    assert await get_alert_channel(db, community.guild.id) is None
    prompt = await reminders.get_community_prompt(db, community.guild.id)
    assert prompt.channel_id == community.check_ins.id and prompt.local_time == time(20, 0)
    # Only moderators (and the bot) see the mod log.
    assert "mod cases" in community.mod.available_commands(community.mod_log)
    with pytest.raises(simcord.BackendError, match="Missing Access"):
        await community.you.send(community.mod_log, "hello?")


async def test_you_have_a_reminder_and_weeks_of_diary_but_nothing_today(simcord_env, community):
    db = simcord_env.bot.db
    reminder = await reminders.get_reminder(db, community.you.id)
    assert (reminder.local_time, reminder.timezone, reminder.paused) == (time(21, 0), samples.ZONE, False)
    today = samples.local_today(simcord_env.now())
    assert reminder.next_due_utc.astimezone(reminder.zone).date() == today
    days = [c.local_date for c in await list_checkins(db, community.you.id)]
    assert days == [today - timedelta(days=n) for n in range(samples.DIARY_DAYS, 0, -1)]


async def test_sam_has_dms_closed_so_warning_him_is_refused_and_not_recorded(simcord_env, community):
    posted = next(m for m in bot_posts(community.mod_log) if m.embeds)
    result = await community.mod.click(posted, custom_id="mod:case:warn:1")
    reply = result.followups[-1] if result.followups else result.response
    assert "couldn't DM the author" in reply.content and reply.ephemeral
    events = await store.case_events(simcord_env.bot.db, community.guild.id, 1)
    assert "warn" not in [e.action for e in events]
    assert not [m for m in community.sam.user.dm_channel.history() if m.author.bot]


def test_people_get_the_same_ids_in_every_demo():
    """A resumed demo (--database) finds your diary again: user ids do not depend on the bot's commands."""

    def ids(bot) -> list[int]:
        people = world.create_people(simcord.Env(bot))
        return [people.you.id, people.mod.id, people.sam.id]

    first = ids(discord.Client(intents=discord.Intents.none()))
    second = ids(discord.Client(intents=discord.Intents.default()))
    assert first == second and len(set(first)) == 3


def test_the_sample_diary_ends_the_day_before_today():
    today = date(2026, 3, 1)
    entries = samples.sample_diary(42, today)
    assert [e.local_date for e in entries] == [
        today - timedelta(days=n) for n in range(samples.DIARY_DAYS, 0, -1)
    ]
    assert {e.user_id for e in entries} == {42}
    assert all(0 <= e.severity <= 10 and 0 < e.sleep_hours <= 24 for e in entries)
