"""Moderation: scan messages and edits, cases in the log channel, /mod commands.

Claims go to the moderators as numbered cases with buttons that survive
restarts; crisis language goes privately to the member (resources by DM)
and to the moderators' alert channel, never publicly.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from datetime import time as dtime
from pathlib import Path
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import clock, safety
from bot.errors import NotFound, UserError
from bot.interactions import handle_error, send_ephemeral
from bot.moderation import learning, store
from bot.moderation import privacy as moderation_privacy
from bot.moderation.cli import load_model
from bot.moderation.rules import CATEGORIES, RuleError, RuleSet
from bot.moderation.scanner import ScanResult
from bot.moderation.service import Moderation as ModerationService
from bot.moderation.service import knowledge_note, models_dir
from bot.safety import get_resources
from bot.workers import ProcessWorker
from cogs import _moderation_ui as ui

log = logging.getLogger("bot.moderation")

FLAG_ACTIONS = {  # what a flag does, as a sentence
    "alert": "Flags will alert moderators here.",
    "reply": "Flags will alert moderators here and get a gentle public reply with what the articles say.",
    "remove": "Flags will remove the message, DM its author what the articles say, and alert moderators here.",
}

SCANNED_TYPES = (discord.MessageType.default, discord.MessageType.reply)
CATEGORY_CHOICES = [app_commands.Choice(name=label, value=key) for key, label in CATEGORIES.items()]
TEACH_CHOICES = [
    app_commands.Choice(name="Not a claim (fine as it is)", value="none"),
    *CATEGORY_CHOICES,
    app_commands.Choice(name="Crisis (someone may be at risk)", value="crisis"),
]


class CaseButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"mod:case:(?P<action>dismiss|reply|remove|warn):(?P<number>[0-9]{1,9})",
):
    """Dismiss / Reply with facts / Remove message / Warn author on a case in the log channel."""

    LABELS = {
        "dismiss": ("Dismiss (false positive)", discord.ButtonStyle.secondary),
        "reply": ("Reply with facts", discord.ButtonStyle.primary),
        "remove": ("Remove message", discord.ButtonStyle.danger),
        "warn": ("Warn author", discord.ButtonStyle.secondary),
    }

    def __init__(self, action: str, number: int) -> None:
        label, style = self.LABELS[action]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"mod:case:{action}:{number}"))
        self.action = action
        self.number = number

    @classmethod
    async def from_custom_id(cls, interaction, item, match):  # type: ignore[override]
        return cls(match["action"], int(match["number"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            ui.ensure_moderator(interaction)
            cog = interaction.client.get_cog("Moderation")
            if cog is None:
                raise UserError("Moderation is not running right now; try again in a moment.")
            await cog.case_action(interaction, self.action, self.number)
        except Exception as exc:  # every failure gets the shared ephemeral answer
            await handle_error(interaction, exc)


def case_view(number: int, status: str = "open") -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in ("dismiss", "reply", "remove", "warn"):
        view.add_item(CaseButton(action, number))
    return view


class Moderation(commands.Cog):
    """Claims and crisis language in members' messages; moderator review."""

    mod = app_commands.Group(
        name="mod",
        description="Moderation tools (Manage Messages)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_messages=True),
    )
    exempt = app_commands.Group(
        name="exempt", description="Roles and channels that are not scanned", parent=mod
    )
    rules = app_commands.Group(name="rules", description="The claim rules", parent=mod)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        path = bot.settings.moderation_rules
        try:
            self.moderation = ModerationService.from_file(path)
        except RuleError as exc:
            log.error("moderation rules not loaded (%s); only crisis language is checked", exc)
            self.moderation = ModerationService(RuleSet(()))
        self.moderation.corpus_dir = bot.settings.moderation_corpus
        self.moderation.cache_dir = self._cache_dir(bot.settings.database)
        self.retention_days = store.retention_from_env(bot.settings.extra)
        self.trainer = ProcessWorker("training")
        self._training: dict[int, asyncio.Task] = {}
        self._model_loading: asyncio.Future | None = None

    @staticmethod
    def _cache_dir(database: Path) -> Path:
        """Where servers' retrained models are kept: beside the database (or a temporary folder)."""
        if str(database) == ":memory:":
            return Path(tempfile.mkdtemp(prefix="rls-models-"))
        return models_dir(database)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(CaseButton)
        self.report_menu = app_commands.ContextMenu(name="Report as unsupported claim", callback=self.report)
        self.report_menu.guild_only = True
        self.bot.tree.add_command(self.report_menu)
        self.purge_loop.start()
        self.learn_loop.start()
        # The learned layer loads in the background: start-up does not wait for it, and whatever
        # needs it (scanning, the crisis checks of other features, /mod commands) waits if it must.
        self._model_loading = asyncio.ensure_future(self._load_model())
        safety.loading(self._model_loading)

    async def model_ready(self) -> None:
        """Wait for the learned layer if it is still loading (the first seconds after start-up)."""
        loading = self._model_loading
        if loading is not None and not loading.done():
            await asyncio.shield(loading)

    async def _load_model(self) -> None:
        """Load the learned layer in a thread (the event loop goes on); without it the rules and
        crisis phrases still work. Then each server's scanner is built."""
        await self._use_model()
        await self._warm(self.bot.guilds)

    async def _use_model(self) -> None:
        try:
            model = await asyncio.to_thread(load_model, self.bot.settings)
        except Exception:
            log.exception("the moderation model could not be loaded; rules only")
            return
        if model is None:
            log.info("moderation model off; rules and crisis phrases only")
            return
        self.moderation.use_model(model)
        safety.use_model(model)
        try:
            loaded = await self.moderation.load_learned(self.db)
        except Exception:
            log.exception("servers' learned models could not be loaded")
            loaded = 0
        log.info("moderation model loaded (corpus %s); %d server model(s) restored", model.corpus_hash, loaded)

    async def _warm(self, guilds) -> None:
        """Each server's scanner is built before its first message arrives (see ``warm``)."""
        try:
            await self.moderation.warm(self.db, [g.id for g in guilds])
        except Exception:
            log.warning("could not prepare the scanners of %d server(s)", len(guilds), exc_info=True)

    @commands.Cog.listener("on_guild_available")
    @commands.Cog.listener("on_guild_join")
    async def _guild_arrived(self, guild: discord.Guild) -> None:
        loading = self._model_loading
        if loading is not None and loading.done():  # otherwise the model's loading warms it
            await self._warm([guild])

    async def cog_unload(self) -> None:
        self.purge_loop.cancel()
        self.learn_loop.cancel()
        for task in self._training.values():
            task.cancel()
        if self._model_loading is not None:
            self._model_loading.cancel()
        self.trainer.close()
        safety.loading(None)
        safety.use_model(None)
        self.bot.tree.remove_command(self.report_menu.name, type=discord.AppCommandType.message)
        self.bot.remove_dynamic_items(CaseButton)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        ui.ensure_moderator(interaction)
        await self.model_ready()
        return True

    @property
    def db(self):
        return self.bot.db

    # -- scanning --------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None:
            await self.check_dm(message)
            return
        await self.check_message(message, edited=False)

    async def check_dm(self, message: discord.Message) -> None:
        """Someone who writes to the bot in crisis gets the support resources straight away."""
        if message.author.bot or not message.content or not isinstance(message.channel, discord.DMChannel):
            return
        await self.model_ready()
        try:
            if safety.detect_crisis(message.content) is None:
                return
            await message.channel.send(ui.crisis_dm(None, await get_resources(self.db, None), alerted=False))
        except discord.HTTPException:
            log.warning("could not answer a DM with crisis language from %s", message.author.id)
        except Exception:
            log.exception("crisis check of a DM failed")

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        if payload.guild_id is None or "content" not in payload.data:
            return
        cached = payload.cached_message
        message = payload.message
        if cached is not None and cached.content == message.content:
            return  # an embed unfurled; the text did not change
        await self.check_message(message, edited=True)

    def _skip(self, message: discord.Message) -> bool:
        return (
            message.guild is None
            or message.author.bot
            or message.webhook_id is not None
            or message.type not in SCANNED_TYPES
            or not message.content
            or not isinstance(message.channel, (discord.TextChannel, discord.Thread))
        )

    async def check_message(self, message: discord.Message, *, edited: bool) -> None:
        if self._skip(message):
            return
        await self.model_ready()
        try:
            guild_id = message.guild.id
            result = await self.moderation.scan(self.db, guild_id, message.content)
            if not result.flagged:
                return
            if result.kind == "crisis":
                # Exemptions are for claim moderation; someone in crisis gets help wherever they post.
                await self.crisis(message)
                return
            exemptions = await store.get_exemptions(self.db, guild_id)
            channels = [message.channel.id]
            if isinstance(message.channel, discord.Thread) and message.channel.parent_id:
                channels.append(message.channel.parent_id)
            roles = [r.id for r in getattr(message.author, "roles", [])]
            if not exemptions.covers(channels, roles):
                await self.claim(message, result, edited=edited)
        except Exception:
            log.exception("moderation failed for message %s", message.id)

    def _note(self, result: ScanResult | None, text: str) -> str | None:
        parts = [result.note] if result is not None and result.note else []
        try:
            treatments = self.bot.knowledge.mentioned_treatments(text)
        except Exception:
            log.warning("knowledge lookup failed", exc_info=True)
            treatments = []
        extra = knowledge_note(treatments)
        if extra:
            parts.append(extra)
        return ui.clip("\n".join(parts), 1024) if parts else None

    async def _post_case(self, guild: discord.Guild, case: store.Case) -> None:
        settings = await store.get_settings(self.db, guild.id)
        if settings.log_channel_id is None:
            log.info("case #%s in %s: no log channel set", case.number, guild.id)
            return
        channel = guild.get_channel_or_thread(settings.log_channel_id)
        if channel is None:
            log.warning("log channel %s of %s is gone", settings.log_channel_id, guild.id)
            return
        try:
            posted = await channel.send(embed=ui.case_embed(case), view=case_view(case.number))
        except discord.HTTPException:
            log.warning(
                "could not post case #%s to the log channel of %s", case.number, guild.id, exc_info=True
            )
            return
        await store.set_log_message(self.db, guild.id, case.number, channel.id, posted.id)

    async def _refresh_log(self, case: store.Case) -> None:
        if case.log_channel_id is None or case.log_message_id is None:
            return
        channel = self.bot.get_channel(case.log_channel_id)
        if channel is None:
            return
        try:
            events = await store.case_events(self.db, case.guild_id, case.number)
            await channel.get_partial_message(case.log_message_id).edit(embed=ui.case_embed(case, events))
        except discord.HTTPException:
            log.warning("could not update the log message of case #%s", case.number, exc_info=True)
        except Exception:  # a timeout, a dropped connection, the database: the case itself is saved
            log.exception("could not update the log message of case #%s", case.number)

    async def forget_learned(self) -> None:
        """A member's data was deleted: scanners are rebuilt without the examples from their messages,
        a server model that learned from them is dropped at once (the shipped one stands in) and is
        rebuilt from the server's other examples in the worker process."""
        try:
            dropped = await self.moderation.drop_forgotten(self.db)
            await self.moderation.refresh_all(self.db)
        except Exception:
            log.exception("scanners could not be rebuilt after a member's data was deleted")
            return
        for guild_id in dropped:
            await self.maybe_retrain(guild_id, force=True)

    async def refresh_cases(self, refs: list[tuple[int, int]]) -> None:
        """Rebuild the log messages of cases changed elsewhere (e.g. a member's data deleted)."""
        for guild_id, number in refs:
            try:
                case = await store.get_case(self.db, guild_id, number)
            except Exception:
                log.warning("case #%s of %s is gone", number, guild_id, exc_info=True)
                continue
            await self._refresh_log(case)  # never raises

    async def claim(self, message: discord.Message, result: ScanResult, *, edited: bool) -> None:
        guild = message.guild
        now = clock.utcnow()
        existing = await store.open_case_for(self.db, guild.id, message.id)
        if existing is not None:
            if edited:
                case = await store.update_content(
                    self.db, guild.id, existing.number, message.content, now=now
                )
                await self._refresh_log(case)
            return
        if edited and await store.was_dismissed(self.db, guild.id, message.id, result.rule):
            return
        case, created = await store.open_case(
            self.db,
            guild.id,
            now=now,
            source="scan",
            channel_id=message.channel.id,
            message_id=message.id,
            author_id=message.author.id,
            content=message.content,
            rule_id=result.rule,
            category=result.category,
            matched=result.matched,
            note=self._note(result, message.content),
            layer=result.layer,
            score=result.score,
        )
        if not created:
            return
        await self._post_case(guild, case)
        settings = await store.get_settings(self.db, guild.id)
        # Only flags precise enough for the channel to see are acted on in public; the rest wait
        # in the log for a moderator, whatever the server's action.
        if result.public and settings.action == "reply":
            if await store.reserve_public_reply(
                self.db, guild.id, message.channel.id, message.author.id, now=clock.utcnow()
            ):
                try:
                    await message.reply(
                        ui.facts_reply(message.author.display_name, case.note), mention_author=False
                    )
                    await store.record_action(
                        self.db, guild.id, case.number, "auto-replied", actor_id=None, now=now
                    )
                except discord.HTTPException:
                    log.warning("could not reply publicly to %s", message.id, exc_info=True)
        elif result.public and settings.action == "remove":
            await self._remove(message.channel, message.id, case, actor_id=None)
        fresh = await store.get_case(self.db, guild.id, case.number)
        if fresh.updated_at != case.updated_at:
            await self._refresh_log(fresh)

    async def _remove(self, channel, message_id: int, case: store.Case, *, actor_id: int | None) -> bool:
        """Delete the message and DM its author why, with a copy. True if deleted."""
        try:
            await channel.get_partial_message(message_id).delete()
        except discord.NotFound:
            deleted = False
        except discord.HTTPException:
            log.warning("could not delete message %s", message_id, exc_info=True)
            raise UserError(
                "I couldn't delete that message (am I missing the Manage Messages permission?)."
            ) from None
        else:
            deleted = True
        guild = channel.guild
        action = "remove" if actor_id else "auto-removed"
        await store.record_action(
            self.db, guild.id, case.number, action, actor_id=actor_id, now=clock.utcnow()
        )
        if deleted and case.content:
            text = ui.removal_dm(guild.name, channel.name, case.category, case.note, case.content)
            try:
                await self._dm(case.author_id, text)
            except discord.HTTPException:
                log.info("could not DM the author of removed message %s", message_id)
        return deleted

    async def _dm(self, user_id: int, content: str) -> None:
        user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
        await user.send(content)

    async def crisis(self, message: discord.Message) -> None:
        """Privately: resources to the member, an alert (pinging the responder role) to moderators.

        The member is told moderators were alerted only when the alert was really posted.
        """
        guild = message.guild
        first = await store.record_crisis_alert(
            self.db,
            guild.id,
            message_id=message.id,
            channel_id=message.channel.id,
            author_id=message.author.id,
            now=clock.utcnow(),
        )
        if not first:
            return
        settings = await safety.get_settings(self.db, guild.id)
        channel_id = settings.channel_id or (await store.get_settings(self.db, guild.id)).log_channel_id
        channel = guild.get_channel_or_thread(channel_id) if channel_id else None
        role = guild.get_role(settings.role_id) if settings.role_id else None
        embed = ui.crisis_alert(message, dm_sent=None)
        alert = None
        if channel is not None:
            try:
                alert = await channel.send(
                    content=role.mention if role else None,
                    embed=embed,
                    allowed_mentions=discord.AllowedMentions(
                        everyone=False, users=False, replied_user=False, roles=[role] if role else False
                    ),
                )
            except discord.HTTPException:
                log.error("could not post a crisis alert in %s", guild.id, exc_info=True)
        else:
            log.warning("crisis language in %s but no alert or log channel is set", guild.id)
        if alert is None:
            await safety.mark_unrouted(self.db, guild.id, store.ts(clock.utcnow()))
        resources = await get_resources(self.db, guild.id)
        dm_sent = True
        try:
            await message.author.send(ui.crisis_dm(guild.name, resources, alerted=alert is not None))
        except discord.HTTPException as exc:
            dm_sent = False
            log.info("crisis DM to %s failed (%s)", message.author.id, exc.status)
        await store.set_crisis_dm_sent(self.db, guild.id, message.id, dm_sent)
        if alert is not None:
            try:
                await moderation_privacy.remember_alert_post(self.db, guild.id, message.id, alert.channel.id, alert.id)
            except Exception:
                log.exception("could not record where the crisis alert of %s was posted", guild.id)
            try:
                await alert.edit(embed=ui.crisis_alert(message, dm_sent=dm_sent))
            except discord.HTTPException:
                log.warning("could not update the crisis alert in %s", guild.id, exc_info=True)

    async def scrub_posts(self, posts: list[tuple[int, int]]) -> None:
        """Replace crisis alert posts that quoted a member with a note that the alert expired."""
        embed = discord.Embed(
            title="Crisis alert (expired)",
            colour=discord.Colour.dark_grey(),
            description="The member's message and name were removed (retention period or their request).",
        )
        for channel_id, message_id in posts:
            if not (channel_id and message_id):
                continue
            try:
                channel = self.bot.get_partial_messageable(channel_id)
                await channel.get_partial_message(message_id).edit(embed=embed)
            except discord.NotFound:
                pass
            except Exception:
                log.warning("could not scrub the crisis alert post %s", message_id, exc_info=True)

    # -- case buttons ------------------------------------------------------
    async def case_action(self, interaction: discord.Interaction, action: str, number: int) -> None:
        guild = interaction.guild
        if guild is None:
            raise UserError("Case buttons only work in a server.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.model_ready()
        case = await store.get_case(self.db, guild.id, number)
        now = clock.utcnow()
        user = interaction.user
        if action == "dismiss":
            case = await store.record_action(self.db, guild.id, number, "dismiss", actor_id=user.id, now=now)
            done = f"Case #{number} dismissed as a false positive."
        elif action == "reply":
            channel = guild.get_channel_or_thread(case.channel_id)
            if channel is None:
                raise NotFound("That channel is gone.")
            try:
                target = await channel.fetch_message(case.message_id)
                await target.reply(
                    ui.facts_reply(target.author.display_name, case.note), mention_author=False
                )
            except discord.NotFound:
                raise NotFound("The message is gone, so there is nothing to reply to.") from None
            case = await store.record_action(self.db, guild.id, number, "reply", actor_id=user.id, now=now)
            done = f"Replied with the facts under the message (case #{number})."
        elif action == "remove":
            channel = guild.get_channel_or_thread(case.channel_id)
            if channel is None:
                raise NotFound("That channel is gone.")
            deleted = await self._remove(channel, case.message_id, case, actor_id=user.id)
            case = await store.get_case(self.db, guild.id, number)
            done = (
                f"Message removed and its author told why (case #{number})."
                if deleted
                else f"The message was already gone; case #{number} is marked as actioned."
            )
        else:  # warn
            try:
                await self._dm(case.author_id, ui.warning_dm(guild.name, case.category, case.note))
            except discord.HTTPException:
                raise UserError(
                    "I couldn't DM the author (their DMs are closed); nothing was recorded."
                ) from None
            case = await store.record_action(self.db, guild.id, number, "warn", actor_id=user.id, now=now)
            done = f"The author was warned by DM (case #{number})."
        await self._refresh_log(case)
        await interaction.followup.send(done, ephemeral=True)
        await self._learn(case, action, user.id, now)

    async def _learn(self, case: store.Case, action: str, moderator_id: int, now) -> None:
        """Keep the decision as an example for this server, and retrain when enough are new."""
        try:
            if await self.moderation.learn_from_case(self.db, case, action, moderator_id=moderator_id, now=now):
                await self.maybe_retrain(case.guild_id)
        except Exception:
            log.exception("could not learn from case #%s of %s", case.number, case.guild_id)

    async def maybe_retrain(
        self, guild_id: int, *, nightly: bool = False, force: bool = False
    ) -> asyncio.Task | None:
        """Start retraining a server's model in the worker process when it is due (or ``force``)."""
        running = self._training.get(guild_id)
        if running is not None and not running.done():
            return running  # a model that read deleted examples is not kept (see Moderation.retrain)
        if not force and not learning.due(await learning.state(self.db, guild_id), nightly=nightly):
            return None
        task = asyncio.create_task(self._retrain(guild_id))
        self._training[guild_id] = task
        return task

    async def _retrain(self, guild_id: int) -> None:
        try:
            if await self.moderation.retrain(self.db, guild_id, self.trainer.run, now=clock.utcnow()):
                log.info("the moderation model of %s learned from its moderators", guild_id)
        except Exception:
            log.exception("retraining the moderation model of %s failed", guild_id)

    @tasks.loop(time=dtime(hour=4, minute=0))
    async def learn_loop(self) -> None:
        """Nightly: every server with new decisions gets its model rebuilt."""
        await self.model_ready()
        try:
            guilds = await learning.guilds_with_examples(self.db)
        except Exception:
            log.exception("nightly learning round failed")
            return
        for guild_id in guilds:
            try:
                task = await self.maybe_retrain(guild_id, nightly=True)
                if task is not None:
                    await task
            except Exception:
                log.exception("nightly learning failed for %s", guild_id)

    # -- report context menu ---------------------------------------------
    async def report(self, interaction: discord.Interaction, message: discord.Message) -> None:
        guild = interaction.guild
        if guild is None:
            raise UserError("Reports only work in a server.")
        if message.author.bot or message.webhook_id is not None:
            raise UserError("That message is from a bot; only members' messages can be reported.")
        if message.author.id == interaction.user.id:
            raise UserError("You can't report your own message.")
        if not message.content:
            raise UserError("That message has no text to review.")
        await self.model_ready()
        result = await self.moderation.scan(self.db, guild.id, message.content)
        if result.kind == "crisis":
            # Someone reported a message from a member who may be at risk: that member gets help.
            await self.crisis(message)
        claim = result if result.kind == "claim" else None
        case, created = await store.open_case(
            self.db,
            guild.id,
            now=clock.utcnow(),
            source="report",
            channel_id=message.channel.id,
            message_id=message.id,
            author_id=message.author.id,
            content=message.content,
            rule_id=claim.rule if claim else None,
            category=claim.category if claim else None,
            matched=claim.matched if claim else None,
            note=self._note(claim, message.content),
            reporter_id=interaction.user.id,
            layer=claim.layer if claim else None,
            score=claim.score if claim else None,
        )
        if created:
            await self._post_case(guild, case)
        else:
            await self._refresh_log(case)
        await send_ephemeral(
            interaction,
            "Thank you. The moderators will review that message. The author is not told who reported it.",
        )

    # -- retention -------------------------------------------------------
    @tasks.loop(time=dtime(hour=3, minute=30))
    async def purge_loop(self) -> None:
        try:
            await self.purge_now()
        except Exception:  # never let one bad night stop the loop for good
            log.exception("case retention purge failed; trying again tomorrow")

    async def purge_now(self) -> int:
        try:
            purged = await store.purge_expired(self.db, now=clock.utcnow(), default_days=self.retention_days)
            alerts = await moderation_privacy.purge_crisis_alerts(
                self.db, now=clock.utcnow(), default_days=self.retention_days
            )
            if alerts:
                log.info("removed %d crisis alerts past the retention period", len(alerts))
                await self.scrub_posts(alerts)
        except Exception:
            log.exception("case retention purge failed")
            return 0
        for case in purged:
            await self._refresh_log(case)  # never raises
        if purged:
            log.info("removed the message text of %d old cases", len(purged))
        return len(purged)

    @purge_loop.before_loop
    async def _before_purge(self) -> None:
        # An exception here would end the loop before its first night: catch everything.
        try:
            await self.bot.wait_until_ready()
            await self.purge_now()
        except Exception:
            log.exception("case retention purge at start-up failed; the nightly purge still runs")

    # -- /mod commands ---------------------------------------------------
    @mod.command(name="setup", description="Where cases go and what a flag does")
    @app_commands.describe(
        log_channel="Channel for case reports (moderators only); left out: the current one",
        action="alert: log only · reply: also a gentle public reply · remove: delete and DM the author",
        retention_days="Days to keep flagged message text in cases; left out: the current setting",
    )
    async def setup_cmd(
        self,
        interaction: discord.Interaction,
        log_channel: discord.TextChannel | None = None,
        action: Literal["alert", "reply", "remove"] | None = None,
        retention_days: app_commands.Range[int, 1, 3650] | None = None,
    ) -> None:
        if log_channel is None:
            current = await store.get_settings(self.db, interaction.guild_id)
            log_channel = interaction.guild.get_channel(current.log_channel_id or 0)
            if not isinstance(log_channel, discord.TextChannel):
                raise UserError("Pick a log channel: there is none set up yet (or it was deleted).")
        me = interaction.guild.me
        perms = log_channel.permissions_for(me) if me else None
        if perms is not None and not (perms.send_messages and perms.embed_links and perms.view_channel):
            raise UserError(
                f"I can't post embeds in {log_channel.mention}; give me Send Messages and Embed Links there."
            )
        settings = await store.configure(
            self.db,
            interaction.guild_id,
            log_channel_id=log_channel.id,
            action=action,
            retention_days=retention_days,
        )
        days = settings.retention_days or self.retention_days
        await send_ephemeral(
            interaction,
            f"Cases go to {log_channel.mention}. {FLAG_ACTIONS.get(settings.action, settings.action)} "
            f"Case message text is kept for {days} days.",
        )

    async def _set_exempt(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None,
        channel: discord.TextChannel | discord.Thread | None,
        change,
    ) -> str:
        if role is None and channel is None:
            raise UserError("Pick a role, a channel, or both.")
        targets = [("role", role), ("channel", channel)]
        for kind, target in targets:
            if target is not None:
                await change(self.db, interaction.guild_id, kind, target.id)
        return ", ".join(target.mention for _, target in targets if target is not None)

    @exempt.command(name="add", description="Stop scanning a role's or a channel's messages")
    @app_commands.describe(
        role="A role whose messages are not scanned", channel="A channel or thread not scanned"
    )
    async def exempt_add(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        channel: discord.TextChannel | discord.Thread | None = None,
    ) -> None:
        done = await self._set_exempt(interaction, role, channel, store.add_exemption)
        await send_ephemeral(
            interaction,
            f"Not scanned any more: {done}. Crisis language is still noticed, so anyone there can get help.",
        )

    @exempt.command(name="remove", description="Scan a role's or a channel's messages again")
    @app_commands.describe(role="A role to scan again", channel="A channel or thread to scan again")
    async def exempt_remove(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        channel: discord.TextChannel | discord.Thread | None = None,
    ) -> None:
        done = await self._set_exempt(interaction, role, channel, store.remove_exemption)
        await send_ephemeral(interaction, f"Scanned again: {done}.")

    @mod.command(name="cases", description="List recent cases")
    @app_commands.describe(status="Which cases to list (default: open ones)")
    async def cases_cmd(
        self,
        interaction: discord.Interaction,
        status: Literal["open", "dismissed", "actioned", "all"] = "open",
    ) -> None:
        cases = await store.list_cases(
            self.db, interaction.guild_id, None if status == "all" else status, limit=20
        )
        if not cases:
            await send_ephemeral(interaction, f"No {'' if status == 'all' else status + ' '}cases.")
            return
        lines = [
            f"**#{c.number}** · {ui.category_label(c.category)} · <@{c.author_id}> in <#{c.channel_id}> · "
            f"{ui.STATUS_LABELS[c.status]} · {discord.utils.format_dt(c.created_at, 'R')}"
            for c in cases
        ]
        embed = discord.Embed(title=f"Cases ({status})", description=ui.clip("\n".join(lines), 4000))
        embed.set_footer(text="/mod case id: shows one case with its history")
        await send_ephemeral(interaction, embed=embed)

    @mod.command(name="case", description="Show one case with its history")
    @app_commands.describe(id="The case number, as in /mod cases")
    async def case_cmd(self, interaction: discord.Interaction, id: app_commands.Range[int, 1]) -> None:
        case = await store.get_case(self.db, interaction.guild_id, id)
        events = await store.case_events(self.db, interaction.guild_id, id)
        await send_ephemeral(interaction, embed=ui.case_embed(case, events))

    @rules.command(name="list", description="Every claim rule and whether it is on")
    async def rules_list(self, interaction: discord.Interaction) -> None:
        rows = await self.moderation.rules(self.db, interaction.guild_id)
        lines = [
            f"{'✅' if row.enabled else '⛔'} `{row.rule.id}` · {ui.category_label(row.rule.category)} · "
            f"{row.rule.severity}{' · added here' if row.rule.custom else ''} · "
            f"{len(row.rule.pieces)} phrase{'s' if len(row.rule.pieces) != 1 else ''}"
            for row in rows
        ]
        embed = discord.Embed(
            title="Claim rules",
            description=ui.clip("\n".join(lines) or "No rules loaded.", 4000),
        )
        embed.set_footer(text="/mod rules test text: shows which rule matches and why")
        await send_ephemeral(interaction, embed=embed)

    @rules.command(name="test", description="Dry run: which rule matches a text, and why")
    @app_commands.describe(text="The text to try the rules on")
    async def rules_test(
        self, interaction: discord.Interaction, text: app_commands.Range[str, 1, 1500]
    ) -> None:
        scanner = await self.moderation.scanner(self.db, interaction.guild_id)
        result = await asyncio.to_thread(scanner.scan, text, explain=True)  # nearest examples: a search
        await send_ephemeral(interaction, ui.clip(ui.explain(result), 2000))

    @rules.command(name="add", description="Add a phrase rule (plain words, no regular expressions)")
    @app_commands.describe(
        id="Short name, e.g. copper-bracelet-cure",
        category="What kind of claim",
        phrases="Phrases separated by ; (a/b = either word, word* = prefix, [word] = optional, ... = a gap)",
        note="What moderators (and a public reply) should say about it",
        severity="How serious (default medium)",
    )
    @app_commands.choices(category=CATEGORY_CHOICES)
    async def rules_add(
        self,
        interaction: discord.Interaction,
        id: app_commands.Range[str, 2, 49],
        category: app_commands.Choice[str],
        phrases: app_commands.Range[str, 1, 1000],
        note: app_commands.Range[str, 1, 800],
        severity: Literal["low", "medium", "high"] = "medium",
    ) -> None:
        rule = await self.moderation.add_rule(
            self.db,
            interaction.guild_id,
            rule_id=id,
            category=category.value,
            phrases=phrases,
            note=note,
            severity=severity,
            author_id=interaction.user.id,
            now=clock.utcnow(),
        )
        await send_ephemeral(
            interaction,
            f"Added `{rule.id}` ({ui.category_label(rule.category)}) with {len(rule.pieces)} phrase(s). "
            "Try it with /mod rules test.",
        )

    async def _rule_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        rows = await self.moderation.rules(self.db, interaction.guild_id)
        current = current.casefold()
        return [
            app_commands.Choice(
                name=f"{row.rule.id} ({'on' if row.enabled else 'off'})"[:100], value=row.rule.id
            )
            for row in rows
            if current in row.rule.id
        ][:25]

    @rules.command(name="disable", description="Switch a rule off in this server")
    @app_commands.describe(id="The rule's id (start typing)")
    async def rules_disable(
        self, interaction: discord.Interaction, id: app_commands.Range[str, 1, 100]
    ) -> None:
        changed = await self.moderation.set_enabled(self.db, interaction.guild_id, id, False)
        await send_ephemeral(interaction, f"`{id.strip().lower()}` is {'now' if changed else 'already'} off.")

    @rules.command(name="enable", description="Switch a rule back on in this server")
    @app_commands.describe(id="The rule's id (start typing)")
    async def rules_enable(
        self, interaction: discord.Interaction, id: app_commands.Range[str, 1, 100]
    ) -> None:
        changed = await self.moderation.set_enabled(self.db, interaction.guild_id, id, True)
        await send_ephemeral(interaction, f"`{id.strip().lower()}` is {'now' if changed else 'already'} on.")

    rules_disable.autocomplete("id")(_rule_autocomplete)
    rules_enable.autocomplete("id")(_rule_autocomplete)

    @mod.command(name="stats", description="Hits per rule and for the model, and the precision moderators' decisions imply")
    async def stats_cmd(self, interaction: discord.Interaction) -> None:
        guild_id = interaction.guild_id
        stats = await store.rule_stats(self.db, guild_id, now=clock.utcnow())
        st = await learning.state(self.db, guild_id)
        lines = []
        for s in stats[:40]:
            name = "the model" if s.rule_id == "model" else (
                "moderators' decisions" if s.rule_id == "learned" else f"`{s.rule_id}`"
            )
            precision = s.recent_precision
            implied = (
                f", 30-day precision {precision:.0%} ({s.recent_actioned} confirmed, {s.recent_dismissed} dismissed)"
                if precision is not None
                else ", none decided in 30 days"
            )
            lines.append(
                f"{name}: {s.hits} case{'s' if s.hits != 1 else ''}, {s.dismissed} dismissed "
                f"({s.dismissed_share:.0%}){implied}"
            )
        learned = (
            f"The model last learned {discord.utils.format_dt(st.trained_at, 'R')} from {st.examples_in_model} "
            f"of this server's examples."
            if st.trained_at
            else "The model has not learned from this server yet (it uses the shipped model)."
        )
        learned += f" Examples from moderators: {st.examples}, {st.pending} not yet learned"
        learned += f" (it retrains after {learning.RETRAIN_AFTER} new ones, or nightly)."
        model = self.moderation.model_for(guild_id)
        if model is None:
            learned += " The learned layer is off: rules only."
        embed = discord.Embed(
            title="Moderation statistics",
            description=ui.clip("\n".join(lines) or "No cases yet.", 3000) + "\n\n" + learned,
        )
        embed.set_footer(text="A high dismissed share means a rule needs tuning (/mod rules disable) or teaching (/mod teach).")
        await send_ephemeral(interaction, embed=embed)

    @mod.command(name="teach", description="Teach the model an example: what a message like this is")
    @app_commands.describe(
        text="An example message, as a member might write it",
        label="What it is: not a claim, a kind of claim, or crisis",
    )
    @app_commands.choices(label=TEACH_CHOICES)
    async def teach_cmd(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 3, 1500],
        label: app_commands.Choice[str],
    ) -> None:
        count = await self.moderation.teach(
            self.db, interaction.guild_id, text=text, label=label.value, moderator_id=interaction.user.id,
            now=clock.utcnow(),
        )
        st = await learning.state(self.db, interaction.guild_id)
        await send_ephemeral(
            interaction,
            f"Learned: messages like that are **{ui.label_name(label.value)}**. Very similar messages follow it "
            f"from now on; the model folds it in at its next retraining ({st.pending} new example"
            f"{'s' if st.pending != 1 else ''}, {count} in all).",
        )
        await self.maybe_retrain(interaction.guild_id)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Moderation(bot))
