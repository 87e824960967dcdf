"""/safety setup: where crisis alerts go and which resources members are offered."""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import safety
from bot.errors import UserError
from bot.interactions import send_ephemeral
from cogs import _moderation_ui as ui

log = logging.getLogger("bot.safety")


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

    @safety_group.command(name="setup", description="Where crisis alerts go, who is pinged, what members are offered")
    @app_commands.describe(
        channel="Private channel for crisis alerts (default: the moderation log channel)",
        responder_role="Role pinged on every crisis alert, so someone sees it at 3 a.m.",
        ping="off: stop pinging the responder role on crisis alerts",
        resources="Helplines and support text sent privately to a member in crisis (default: international list)",
    )
    async def setup_cmd(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        responder_role: discord.Role | None = None,
        resources: app_commands.Range[str, 10, 1500] | None = None,
        ping: Literal["off"] | None = None,
    ) -> None:
        if channel is not None and interaction.guild.me is not None:
            perms = channel.permissions_for(interaction.guild.me)
            if not (perms.view_channel and perms.send_messages and perms.embed_links):
                raise UserError(
                    f"I can't post embeds in {channel.mention}; give me Send Messages and Embed Links there."
                )
        if responder_role is not None and responder_role.is_default():
            raise UserError("Pick a responder role other than @everyone.")
        if responder_role is not None and ping == "off":
            raise UserError("Choose a `responder_role:` or `ping: off`, not both.")
        settings = await safety.configure(
            self.bot.db,
            interaction.guild_id,
            channel_id=channel.id if channel else None,
            resources=resources.strip() if resources else None,
            role_id=responder_role.id if responder_role else None,
            clear_role=ping == "off",
        )
        where = f"<#{settings.channel_id}>" if settings.channel_id else "the moderation log channel (/mod setup)"
        who = f"<@&{settings.role_id}> is pinged on each alert." if settings.role_id else (
            "No role is pinged (add one with `responder_role:`)."
        )
        text = await safety.get_resources(self.bot.db, interaction.guild_id)
        await send_ephemeral(
            interaction,
            ui.clip(f"Crisis alerts go to {where}. {who} Members in crisis are sent, privately:\n\n{text}", 2000),
        )

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction, command) -> None:
        """Tell moderators, after their next /mod or /safety command, that a crisis alert had nowhere to go."""
        root = getattr(command, "root_parent", None) or command
        if interaction.guild_id is None or getattr(root, "name", None) not in ("mod", "safety"):
            return
        try:
            if not await safety.unrouted_since(self.bot.db, interaction.guild_id):
                return
            await interaction.followup.send(safety.UNROUTED_NOTICE, ephemeral=True)
            await safety.clear_unrouted(self.bot.db, interaction.guild_id)
        except discord.HTTPException:
            log.warning("could not tell the moderators of %s about an unrouted crisis alert", interaction.guild_id)
        except Exception:
            log.exception("unrouted crisis notice failed")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Safety(bot))
