"""Owner tools: force a command sync without restarting."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import PermissionDenied
from bot.interactions import send_ephemeral


class Admin(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(name="sync", description="Owner only: push the slash commands to Discord now.")
    @app_commands.default_permissions(administrator=True)
    async def sync(self, interaction: discord.Interaction) -> None:
        if not await self.bot.is_owner(interaction.user):
            raise PermissionDenied("Only the bot's owner can force a command sync.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        scopes = await self.bot.sync_commands(force=True)
        await send_ephemeral(interaction, f"Synced slash commands ({', '.join(scopes)}).")


async def setup(bot) -> None:
    await bot.add_cog(Admin(bot))
