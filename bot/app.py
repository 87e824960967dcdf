"""The ``Bot`` subclass: database, knowledge base, extensions, command sync."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import pkgutil
from collections.abc import Sequence

import discord
from discord.ext import commands

import cogs
from bot.db import Database
from bot.interactions import NO_MENTIONS, Tree, answer_unclaimed, is_claimed, log_latency
from bot.knowledge import KnowledgeBase
from bot.memory import release_free_memory
from bot.settings import Settings

log = logging.getLogger("bot")
_COMPONENT_TYPES = (discord.InteractionType.component, discord.InteractionType.modal_submit)


def all_extensions() -> list[str]:
    """Every feature extension under ``cogs/`` (modules starting with _ are helpers)."""
    return sorted(f"cogs.{m.name}" for m in pkgutil.iter_modules(cogs.__path__) if not m.name.startswith("_"))


def make_intents(*, message_content: bool = True) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True  # channels, roles, threads: where commands and alerts go
    intents.guild_messages = True  # scanning members' posts for unsupported claims
    intents.message_content = message_content  # privileged: the text of those posts
    intents.dm_messages = True  # DM channels for check-in prompts
    return intents


MESSAGE_CACHE = 200


class RLSBot(commands.Bot):
    """One instance per process. Services hang off it for the cogs to use."""

    db: Database
    knowledge: KnowledgeBase

    def __init__(
        self,
        settings: Settings,
        *,
        extensions: Sequence[str] | None = None,
        force_sync: bool = False,
        message_content: bool = True,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=make_intents(message_content=message_content),
            allowed_mentions=NO_MENTIONS,
            tree_cls=Tree,
            owner_ids=set(settings.owner_ids) or None,
            # Edits are read from raw events; the cache only tells an unfurled embed from a new text
            # (an older message's unfurl is scanned again, which opens no second case). discord.py's
            # default of 1,000 messages held several MB for nothing.
            max_messages=MESSAGE_CACHE,
        )
        self.settings = settings
        self.extensions_to_load = list(all_extensions() if extensions is None else extensions)
        self.force_sync = force_sync

    # -- lifecycle -------------------------------------------------------
    async def setup_hook(self) -> None:
        self.db = Database(self.settings.database)  # assigned first: close() closes it whatever fails next
        await self.db.open()
        await self.db.migrate()
        self.knowledge = await KnowledgeBase.open(self.db, self.settings.articles_dir)
        for name in self.extensions_to_load:
            await self.load_extension(name)
        await self.sync_commands(force=self.force_sync)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            db = getattr(self, "db", None)
            if db is not None:
                await db.close()

    def dispatch(self, event_name: str, /, *args: object, **kwargs: object) -> None:
        if event_name == "interaction" and args:
            interaction = args[0]
            if isinstance(interaction, discord.Interaction) and interaction.type in _COMPONENT_TYPES:
                # Decided now, while the handlers found for it have not run yet.
                interaction.extras["claimed"] = is_claimed(self._connection._view_store, interaction)
        super().dispatch(event_name, *args, **kwargs)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.extras.get("claimed", True):
            return
        await answer_unclaimed(interaction)

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: skip building a command context for every message in every channel."""

    async def on_ready(self) -> None:
        log.info("ready as %s in %d servers", self.user, len(self.guilds))
        await asyncio.to_thread(release_free_memory)  # start-up's temporaries, given back

    async def on_app_command_completion(self, interaction: discord.Interaction, command: object) -> None:
        log_latency(interaction, ok=True)

    # -- command sync ----------------------------------------------------
    def command_hash(self, guild: discord.abc.Snowflake | None = None) -> str:
        payload = [cmd.to_dict(self.tree) for cmd in self.tree.get_commands(guild=guild)]
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    async def sync_commands(self, *, force: bool = False) -> list[str]:
        """Sync the command tree where it changed since the last sync; returns scopes synced."""
        scopes: list[discord.Object | None]
        if self.settings.sync_guilds:
            scopes = [discord.Object(gid) for gid in self.settings.sync_guilds]
            for guild in scopes:
                self.tree.copy_global_to(guild=guild)
        else:
            scopes = [None]
        synced = []
        for guild in scopes:
            scope = f"guild:{guild.id}" if guild else "global"
            digest = self.command_hash(guild)
            key = f"command_hash:{scope}"
            if not force and await self.db.get_meta(key) == digest:
                log.info("commands unchanged for %s; not syncing", scope)
                continue
            await self.tree.sync(guild=guild)
            await self.db.set_meta(key, digest)
            log.info("synced commands for %s", scope)
            synced.append(scope)
        return synced
