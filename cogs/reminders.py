"""Daily check-in prompts: /reminder, /checkin-prompt, and the scheduler.

One task sleeps until the earliest ``next_due_utc`` in the database (or until
a reminder changes), then sends whatever is due through a pacer so a burst
of prompts stays under Discord's global rate limit.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot import clock
from bot.checkins import reminders, times
from bot.checkins.pacer import Pacer
from bot.errors import PermissionDenied, UserError
from bot.interactions import NO_MENTIONS, send_ephemeral
from cogs import _checkins_views as views

log = logging.getLogger("bot.checkins.reminders")

MAX_IDLE = 86400.0  # re-check at least daily (changes wake the loop at once)
PROMPT_RATE = 48.0  # requests per second ...
PROMPT_BURST = 2  # ... so any 1 s window holds at most 50, Discord's global limit
CONCURRENCY = 8
BATCH = 500


async def zone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    now = clock.utcnow()
    return [
        app_commands.Choice(name=times.zone_label(z, now), value=z)
        for z in times.suggest_timezones(current, 25)
    ]


def _when(reminder_due: datetime, zone) -> str:
    local = reminder_due.astimezone(zone)
    return (
        f"{local.strftime('%A')} {local.day} {local.strftime('%B')} at {local.strftime('%H:%M')} ({zone.key})"
    )


class Reminders(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.pacer = Pacer(rate=PROMPT_RATE, burst=PROMPT_BURST)
        self._task: asyncio.Task | None = None
        self._sleeping = False
        self._woken = False
        self.sent = 0  # prompts sent since start, for measurements

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="checkin-prompts")

    async def cog_unload(self) -> None:
        if self._task:
            self._task.cancel()

    def wake(self) -> None:
        """Cut the scheduler's sleep short (a reminder changed)."""
        if self._sleeping and not self._woken and self._task is not None:
            self._woken = True
            self._task.cancel()

    async def _sleep(self, delay: float) -> None:
        # A plain sleep (interrupted by wake()) is what simulated time can fast-forward.
        self._sleeping = True
        try:
            await asyncio.sleep(delay)
        except asyncio.CancelledError:
            if not self._woken:
                raise
            asyncio.current_task().uncancel()
        finally:
            self._sleeping = self._woken = False

    # -- scheduler ------------------------------------------------------------
    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                await self.process_due(clock.utcnow())
                nxt = await reminders.next_wakeup(self.bot.db)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("check-in prompt round failed; retrying in a minute")
                await self._sleep(60)
                continue
            delay = MAX_IDLE
            if nxt is not None:
                delay = min(MAX_IDLE, max(0.5, (nxt - clock.utcnow()).total_seconds() + 0.5))
            await self._sleep(delay)

    async def process_due(self, now: datetime) -> int:
        """Send every prompt due at ``now``; returns how many were sent."""
        db = self.bot.db
        sent = 0
        while True:
            due = await reminders.due_reminders(db, now, BATCH)
            plans = [(r.user_id, await reminders.plan_prompt(db, r, now)) for r in due]
            # Stored before sending: a crash never leads to a second prompt that day.
            await reminders.reschedule_many(db, plans)
            jobs = [(user_id, plan) for user_id, plan in plans if plan.send]
            sent += await self._send_all(jobs)
            if len(due) < BATCH:
                break
        await self._community_due(now)
        await reminders.prune_prompts(db, now)
        self.sent += sent
        return sent

    async def _send_all(self, jobs) -> int:
        """Send queued prompts with a few workers; the pacer keeps them under the rate limit."""
        queue = list(reversed(jobs))
        sent = 0

        async def worker() -> None:
            nonlocal sent
            while queue:
                user_id, plan = queue.pop()
                if await self.send_prompt(user_id, plan.local_date, late=plan.reason == "late"):
                    sent += 1

        await asyncio.gather(*(worker() for _ in range(min(CONCURRENCY, len(jobs)))))
        return sent

    async def _open_dm(self, user_id: int) -> int:
        channel_id = await reminders.get_dm_channel(self.bot.db, user_id)
        if channel_id is None:
            await self.pacer.acquire()
            data = await self.bot.http.start_private_message(user_id)
            channel_id = int(data["id"])
            await reminders.remember_dm_channel(self.bot.db, user_id, channel_id)
        return channel_id

    async def send_prompt(self, user_id: int, day, *, late: bool = False) -> bool:
        db = self.bot.db
        for attempt in range(2):
            try:
                channel_id = await self._open_dm(user_id)
                channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
                await self.pacer.acquire()
                message = await channel.send(
                    views.prompt_text(day, late=late),
                    view=views.prompt_view(user_id, day),
                    allowed_mentions=NO_MENTIONS,
                )
                await reminders.record_prompt(db, user_id, day, channel_id, message.id, clock.utcnow())
                return True
            except discord.Forbidden as error:
                if error.code == 50007:
                    log.info("DMs closed for %s: pausing their reminder", user_id)
                    await reminders.pause_reminder(db, user_id, reminders.DM_CLOSED, clock.utcnow())
                else:
                    log.warning("could not DM %s: %s", user_id, error)
                return False
            except discord.NotFound:
                # The stored DM channel is gone: forget it and open a new one once.
                await reminders.forget_dm_channel(db, user_id)
                if attempt:
                    return False
            except discord.HTTPException as error:
                if error.status == 429:
                    self.pacer.penalise(1.0)
                log.warning("could not send a check-in prompt to %s: %s", user_id, error)
                return False
        return False

    async def _community_due(self, now: datetime) -> None:
        db = self.bot.db
        for prompt in await reminders.due_community_prompts(db, now):
            plan = reminders.plan_occurrence(prompt.local_time, prompt.zone, now, prompt.last_sent_date)
            await reminders.reschedule_community(
                db, prompt.guild_id, plan.next_due_utc, sent_date=plan.local_date if plan.send else None
            )
            if not plan.send:
                continue
            channel = self.bot.get_channel(prompt.channel_id) or self.bot.get_partial_messageable(
                prompt.channel_id, guild_id=prompt.guild_id
            )
            try:
                await self.pacer.acquire()
                await channel.send(
                    views.COMMUNITY_TEXT,
                    view=views.community_view(prompt.guild_id),
                    allowed_mentions=NO_MENTIONS,
                )
            except discord.HTTPException as error:
                log.warning("community check-in prompt in %s failed: %s", prompt.channel_id, error)

    # -- closed-DM notices ------------------------------------------------------
    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction, command) -> None:
        if interaction.response.type is discord.InteractionResponseType.modal:
            return  # a form is open: the notice comes with the form's reply instead
        try:
            text = await views.pending_notice(self.bot.db, interaction.user.id)
            if text:
                await send_ephemeral(interaction, text)
        except discord.HTTPException:
            log.warning("could not show a notice to %s", interaction.user.id, exc_info=True)

    # -- /reminder -----------------------------------------------------------------
    reminder = app_commands.Group(
        name="reminder",
        description="A private daily DM asking how your legs were today.",
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=False),
    )

    @reminder.command(name="set", description="Get a daily check-in DM at your local time.")
    @app_commands.describe(
        time="Local time, like 21:30 or 9:30pm", timezone="Your time zone, like Europe/Berlin (start typing)"
    )
    @app_commands.autocomplete(timezone=zone_autocomplete)
    async def reminder_set(self, interaction: discord.Interaction, time: str, timezone: str) -> None:
        at = times.parse_local_time(time)
        zone = times.parse_timezone(timezone)
        now = clock.utcnow()
        reminder = await reminders.set_reminder(self.bot.db, interaction.user.id, at, zone, now)
        await views.remember_dm(interaction)
        self.wake()
        await send_ephemeral(
            interaction,
            f"Daily check-in reminder set for {times.format_time(at)} {zone.key}, following daylight-saving "
            f"changes. The next one is {_when(reminder.next_due_utc, zone)}. It comes as a DM, so keep DMs "
            "from this server open. /reminder off stops it.",
        )

    @reminder.command(name="show", description="Show your daily check-in reminder.")
    async def reminder_show(self, interaction: discord.Interaction) -> None:
        reminder = await reminders.get_reminder(self.bot.db, interaction.user.id)
        if reminder is None:
            await send_ephemeral(interaction, "You have no reminder. Set one with /reminder set.")
            return
        if reminder.paused:
            await send_ephemeral(
                interaction,
                f"Your reminder ({times.format_time(reminder.local_time)} {reminder.timezone}) is paused because "
                "I couldn't DM you. Open your DMs to me, then run /reminder set again.",
            )
            return
        await send_ephemeral(
            interaction,
            f"Your reminder: every day at {times.format_time(reminder.local_time)} {reminder.timezone}. "
            f"Next: {_when(reminder.next_due_utc, reminder.zone)}.",
        )

    @reminder.command(name="off", description="Stop your daily check-in reminder.")
    async def reminder_off(self, interaction: discord.Interaction) -> None:
        existed = await reminders.delete_reminder(self.bot.db, interaction.user.id)
        self.wake()
        await send_ephemeral(
            interaction,
            "Your daily reminder is off. Your diary is kept; /mydata delete erases it."
            if existed
            else "You had no reminder, so nothing changed.",
        )

    # -- /checkin-prompt ---------------------------------------------------------
    community = app_commands.Group(
        name="checkin-prompt",
        description="A daily message in a channel with a button to check in privately.",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    @staticmethod
    def _require_manage(interaction: discord.Interaction) -> None:
        if interaction.guild is None:
            raise UserError("This only works in a server.")
        if not interaction.permissions.manage_guild:
            raise PermissionDenied(
                "You need the Manage Server permission to change the community check-in prompt."
            )

    @community.command(name="set", description="Post a daily check-in message in a channel.")
    @app_commands.describe(
        channel="Where to post it",
        time="Local time, like 20:00 or 8pm",
        timezone="Time zone for that time, like Europe/Berlin",
    )
    @app_commands.autocomplete(timezone=zone_autocomplete)
    async def community_set(
        self, interaction: discord.Interaction, channel: discord.TextChannel, time: str, timezone: str
    ) -> None:
        self._require_manage(interaction)
        at = times.parse_local_time(time)
        zone = times.parse_timezone(timezone)
        me = interaction.guild.me
        if me is not None:
            perms = channel.permissions_for(me)
            if not (perms.view_channel and perms.send_messages):
                raise UserError(
                    f"I can't post in {channel.mention}: I need View Channel and Send Messages there."
                )
        prompt = await reminders.set_community_prompt(
            self.bot.db, interaction.guild_id, channel.id, at, zone, clock.utcnow()
        )
        self.wake()
        await send_ephemeral(
            interaction,
            f"Every day at {times.format_time(at)} {zone.key} I'll post a check-in message with a “Check in "
            f"privately” button in {channel.mention} (no pings). First one: {_when(prompt.next_due_utc, zone)}.",
        )

    @community.command(name="off", description="Stop the daily check-in message.")
    async def community_off(self, interaction: discord.Interaction) -> None:
        self._require_manage(interaction)
        existed = await reminders.delete_community_prompt(self.bot.db, interaction.guild_id)
        self.wake()
        await send_ephemeral(
            interaction,
            "The daily check-in message is off." if existed else "There was no daily check-in message here.",
        )


async def setup(bot) -> None:
    await bot.add_cog(Reminders(bot))
