"""Every slash option is described and every text option is bounded; /mod setup keeps what is left out."""

from __future__ import annotations

import discord
import simcord
from discord import AppCommandOptionType, app_commands

from bot.errors import UserError
from bot.moderation import store


def every_option(bot):
    for command in bot.tree.walk_commands():
        if isinstance(command, app_commands.Command):
            for parameter in command.parameters:
                yield command.qualified_name, parameter


async def test_every_option_has_a_description_and_every_text_option_a_max_length(simcord_env):
    options = list(every_option(simcord_env.bot))
    assert len(options) > 20
    undescribed = [f"{c} {p.name}" for c, p in options if not p.description or p.description == "…"]
    unbounded = [
        f"{c} {p.name}"
        for c, p in options
        if p.type is AppCommandOptionType.string and not p.choices and p.max_value is None
    ]
    assert undescribed == [] and unbounded == []


async def test_mod_setup_keeps_current_values_of_options_left_out(simcord_env, guild, channel):
    role = guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True))
    mod = guild.add_member(simcord_env.create_user("mod"), roles=[role])
    log = guild.create_text_channel(
        "mod-log",
        overwrites={
            guild.me: discord.PermissionOverwrite(view_channel=True, send_messages=True, embed_links=True)
        },
    )
    first = await mod.slash(channel, "mod setup")
    assert "Pick a log channel" in first.response.content
    await mod.slash(channel, "mod setup", log_channel=log, action="reply", retention_days=30)
    again = await mod.slash(channel, "mod setup", retention_days=45)
    settings = await store.get_settings(simcord_env.bot.db, guild.id)
    assert (settings.log_channel_id, settings.action, settings.retention_days) == (log.id, "reply", 45)
    text = again.response.content
    assert f"Cases go to <#{log.id}>" in text and "kept for 45 days" in text
    assert "Flags will alert moderators here and get a gentle public reply" in text
    simcord.assert_error(simcord_env, UserError, contains="Pick a log channel")
