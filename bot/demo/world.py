"""The demo's simulated community, set up through the bot's real commands and listeners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.checkins import reminders
from bot.demo import samples


@dataclass
class People:
    """The demo's users, created before the bot starts so their ids are the same on every run."""

    you: Any
    mod: Any
    sam: Any


@dataclass
class World:
    env: Any
    guild: Any
    general: Any
    support: Any
    check_ins: Any
    mod_log: Any
    you: Any  # member actors
    mod: Any
    sam: Any
    claim: discord.Message  # the sample posts in #support
    experience: discord.Message


def create_people(env) -> People:
    return People(
        you=env.create_user(samples.YOU),
        mod=env.create_user(samples.MOD),
        sam=env.create_user(samples.SAM),
    )


async def build(env, people: People) -> World:
    """Create the server, run the admins' setup commands and post the sample messages."""
    guild = env.create_guild(samples.GUILD_NAME, id=samples.GUILD_ID)
    await env.settle()
    mod_role = guild.create_role(
        samples.MOD_ROLE, permissions=discord.Permissions(manage_messages=True, manage_guild=True)
    )
    general = guild.create_text_channel(samples.GENERAL, topic="Say hello; try any slash command here")
    support = guild.create_text_channel(samples.SUPPORT, topic="Questions and experiences")
    check_ins = guild.create_text_channel(samples.CHECK_INS, topic="The daily check-in post")
    mod_log = guild.create_text_channel(
        samples.MOD_LOG,
        topic="Cases for the moderators",
        overwrites={
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            mod_role: discord.PermissionOverwrite(view_channel=True),
            guild.me: discord.PermissionOverwrite(view_channel=True, send_messages=True, embed_links=True),
        },
    )
    you = guild.add_member(people.you)
    mod = guild.add_member(people.mod, roles=[mod_role])
    sam = guild.add_member(people.sam)
    # sam keeps DMs closed: every DM the bot tries fails the way Discord refuses it.
    env.inject_error(
        "POST",
        f"/channels/{people.sam.dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
        times=None,
    )
    await env.settle()

    # Done in advance by the moderator, with the same commands an admin runs in Discord.
    await mod.slash(mod_log, "mod setup", log_channel=mod_log, action="alert")
    await mod.slash(mod_log, "safety setup")
    await mod.slash(
        mod_log, "checkin-prompt set", channel=check_ins, time=samples.COMMUNITY_TIME, timezone=samples.ZONE
    )
    db = env.bot.db
    await samples.seed_diary(db, you.id, env.now())
    if await reminders.get_reminder(db, you.id) is None:
        # In the DM, so its answer (and when the next prompt comes) is the first thing there.
        await people.you.slash("reminder set", time=samples.REMINDER_TIME, timezone=samples.ZONE)

    await mod.send(general, samples.WELCOME)
    experience = await sam.send(support, samples.EXPERIENCE)
    claim = await sam.send(support, samples.CLAIM)
    return World(env, guild, general, support, check_ins, mod_log, you, mod, sam, claim, experience)
