"""/safety setup: where crisis alerts go and which resources members are offered."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import safety
from bot.errors import UserError
from bot.interactions import send_ephemeral
from cogs import _moderation_ui as ui


class Safety(commands.Cog):
    """Crisis-path settings (the detection runs in the moderation listener)."""

    safety_group = app_commands.Group(
        name="safety",
        description="Crisis support settings (Manage Messages)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_messages=True),
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        ui.ensure_moderator(interaction)
        return True

    @safety_group.command(name="setup", description="Where crisis alerts go and what members are offered")
    @app_commands.describe(
        channel="Private channel for crisis alerts (default: the moderation log channel)",
        resources="Helplines and support text sent privately to a member in crisis (default: international list)",
    )
    async def setup_cmd(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        resources: app_commands.Range[str, 10, 1500] | None = None,
    ) -> None:
        if channel is not None and interaction.guild.me is not None:
            perms = channel.permissions_for(interaction.guild.me)
            if not (perms.view_channel and perms.send_messages and perms.embed_links):
                raise UserError(
                    f"I can't post embeds in {channel.mention}; give me Send Messages and Embed Links there."
                )
        await safety.configure(
            self.bot.db,
            interaction.guild_id,
            channel_id=channel.id if channel else None,
            resources=resources.strip() if resources else None,
        )
        where = channel.mention if channel else "the moderation log channel (/mod setup)"
        text = await safety.get_resources(self.bot.db, interaction.guild_id)
        await send_ephemeral(
            interaction,
            ui.clip(f"Crisis alerts go to {where}. Members in crisis are sent, privately:\n\n{text}", 2000),
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Safety(bot))
