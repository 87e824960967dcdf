"""Daily check-in prompts: /reminder, /checkin-prompt, and the scheduler.

One task sleeps until the scheduler's next wake-up (or until a reminder
changes), then sends whatever :mod:`bot.checkins.scheduler` hands it, through
a pacer so a burst of prompts stays under Discord's global rate limit. Every
decision (who is due, retries, what to do after a crash) is the scheduler's;
this cog only talks to Discord and reports what happened.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot import clock
from bot.checkins import reminders, scheduler, times
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
SEND_TIMEOUT = 30.0  # seconds for one request; the claim lease (scheduler.CLAIM_LEASE) is far longer
VERIFY_HISTORY = 50  # messages read (one request) to find a prompt that may have been sent


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


def _retry_after(error: discord.HTTPException) -> float | None:
    """Discord's ``Retry-After`` (seconds) on a 429 that discord.py gave up waiting out."""
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    value = headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class Reminders(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.pacer = Pacer(rate=PROMPT_RATE, burst=PROMPT_BURST)
        self.token = scheduler.new_token()  # this process's claims in the outbox
        self._task: asyncio.Task | None = None
        self._sleeping = False
        self._woken = False
        self._wake_requested = False
        self.sent = 0  # prompts sent since start, for measurements
        self.rounds = 0  # scheduler rounds finished (ok or not), for tests
        self._community_attempts: dict[int, int] = {}  # failed posts in a row, per server

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="checkin-prompts")
        # the zone tables, read off the event loop before the first /reminder set or autocomplete
        self._warming = asyncio.create_task(self._warm_zones(), name="time-zone-tables")

    @staticmethod
    async def _warm_zones() -> None:
        try:
            await asyncio.to_thread(times.warm)
        except Exception:  # typed zones still work: the tables are then read at first use
            log.exception("could not read the time zone tables ahead of use")

    async def cog_unload(self) -> None:
        if self._task:
            self._task.cancel()

    def wake(self) -> None:
        """Run a round now (a reminder changed): cuts a sleep short, or runs again right after a round."""
        self._wake_requested = True
        if self._sleeping and not self._woken and self._task is not None:
            self._woken = True
            self._task.cancel()

    async def _sleep(self, delay: float) -> None:
        # A plain sleep (cut short by wake()) is what simulated time can fast-forward.
        if self._wake_requested:
            return
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
        while True:
            try:
                await self.bot.wait_until_ready()
                break
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("waiting for the gateway failed; trying again in a minute")
                await asyncio.sleep(60)
        while not self.bot.is_closed():
            self._wake_requested = False
            delay = 60.0
            try:
                await self.process_due(clock.utcnow())
                nxt = await scheduler.next_wakeup(self.bot.db)
                delay = MAX_IDLE
                if nxt is not None:
                    delay = min(MAX_IDLE, max(0.5, (nxt - clock.utcnow()).total_seconds() + 0.5))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("check-in prompt round failed; trying again in a minute")
            finally:
                self.rounds += 1
            await self._sleep(delay)

    async def process_due(self, now: datetime) -> int:
        """Queue, claim and send every prompt due at ``now``; returns how many were sent."""
        db = self.bot.db
        await scheduler.recover_stale_claims(db, now)
        await scheduler.enqueue_due(db, now, batch=BATCH)
        sent = 0
        while jobs := await scheduler.claim(db, self.token, now, BATCH):
            sent += await self._send_all(jobs)
        try:
            await self._community_due(now)
        finally:
            await scheduler.prune(db, now)
            self.sent += sent
        return sent

    async def _send_all(self, jobs: list[scheduler.Job]) -> int:
        """Send claimed prompts with a few workers; the pacer keeps them under the rate limit."""
        queue = list(reversed(jobs))
        sent = 0

        async def worker() -> None:
            nonlocal sent
            while queue:
                job = queue.pop()
                try:
                    if await self.deliver(job):
                        sent += 1
                except asyncio.CancelledError:
                    raise
                except Exception:
                    # Recording the outcome failed (e.g. the database): the claim runs out and the
                    # prompt is looked for in the DM channel before it is sent again.
                    log.exception("check-in prompt for %s: outcome not recorded", job.user_id)

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

    async def _find_sent(self, channel_id: int, job: scheduler.Job) -> int | None:
        """The id of this day's prompt if an earlier attempt did reach the DM channel (one request)."""
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        await self.pacer.acquire()
        async with asyncio.timeout(SEND_TIMEOUT):
            async for message in channel.history(limit=VERIFY_HISTORY):
                if views.is_prompt_for(message, job.user_id, job.local_date):
                    return message.id
        return None

    async def _post(self, channel_id: int, job: scheduler.Job) -> int:
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        await self.pacer.acquire()
        # Bounded well inside the claim's lease: a hung request becomes a timeout, retried after a look.
        async with asyncio.timeout(SEND_TIMEOUT):
            message = await channel.send(
                views.prompt_text(job.local_date, late=job.late),
                view=views.prompt_view(job.user_id, job.local_date),
                allowed_mentions=NO_MENTIONS,
            )
        return message.id

    async def deliver(self, job: scheduler.Job) -> bool:
        """Send one claimed prompt and record the outcome; True if it is now sent."""
        db = self.bot.db
        if not await scheduler.still_wanted(db, job):
            await scheduler.release(db, job, clock.utcnow(), "no longer wanted")
            return False
        try:
            channel_id = await self._open_dm(job.user_id)
            if job.verify:
                found = await self._find_sent(channel_id, job)
                if found is not None:
                    log.info("check-in prompt for %s was already delivered; not sending again", job.user_id)
                    await scheduler.mark_sent(db, job, channel_id, found, clock.utcnow())
                    return True
            message_id = await self._post(channel_id, job)
        except discord.Forbidden as error:
            if error.code == 50007:
                log.info("DMs closed for %s: pausing their reminder", job.user_id)
                await scheduler.mark_dm_closed(db, job, clock.utcnow())
            else:
                log.warning("could not DM %s: %s", job.user_id, error)
                await scheduler.mark_failed(db, job, clock.utcnow(), str(error), retryable=False)
            return False
        except discord.NotFound as error:
            # The stored DM channel is gone: forget it; the retry opens a new one.
            await reminders.forget_dm_channel(db, job.user_id)
            await scheduler.mark_failed(db, job, clock.utcnow(), str(error), retryable=True)
            return False
        except discord.HTTPException as error:
            retry_after = _retry_after(error)
            if error.status == 429:
                self.pacer.penalise(retry_after or 1.0)
            retryable = error.status == 429 or error.status >= 500
            log.warning("check-in prompt to %s failed (%s): %s", job.user_id, error.status, error)
            await scheduler.mark_failed(
                db,
                job,
                clock.utcnow(),
                f"HTTP {error.status}: {error.text or ''}",
                retryable=retryable,
                retry_after=retry_after,
                verify=error.status >= 500,
            )
            return False
        except discord.RateLimited as error:
            self.pacer.penalise(error.retry_after)
            await scheduler.mark_failed(
                db, job, clock.utcnow(), "rate limited", retryable=True, retry_after=error.retry_after
            )
            return False
        except (TimeoutError, OSError, aiohttp.ClientError) as error:
            # The request may have reached Discord: the retry looks before it sends.
            log.warning("check-in prompt to %s failed: %r", job.user_id, error)
            await scheduler.mark_failed(db, job, clock.utcnow(), repr(error), retryable=True, verify=True)
            return False
        await scheduler.mark_sent(db, job, channel_id, message_id, clock.utcnow())
        return True

    async def _community_due(self, now: datetime) -> None:
        db = self.bot.db
        for prompt in await reminders.due_community_prompts(db, now):
            plan = scheduler.plan_community(prompt, now)
            # Moved on first (compare-and-set); the day is recorded as sent only once it was posted.
            moved = await reminders.reschedule_community(db, prompt, plan.next_due_utc, sent_date=None)
            if not (moved and plan.send):
                continue  # changed meanwhile (it is read again next round), or nothing to send
            channel = self.bot.get_channel(prompt.channel_id) or self.bot.get_partial_messageable(
                prompt.channel_id, guild_id=prompt.guild_id
            )
            try:
                await self.pacer.acquire()
                async with asyncio.timeout(SEND_TIMEOUT):
                    await channel.send(
                        views.COMMUNITY_TEXT,
                        view=views.community_view(prompt.guild_id),
                        allowed_mentions=NO_MENTIONS,
                    )
            except asyncio.CancelledError:
                raise
            except Exception as error:
                retryable = isinstance(
                    error, TimeoutError | OSError | aiohttp.ClientError | discord.RateLimited
                ) or (
                    isinstance(error, discord.HTTPException) and (error.status == 429 or error.status >= 500)
                )
                attempts = self._community_attempts.get(prompt.guild_id, 0) + 1
                self._community_attempts[prompt.guild_id] = attempts
                again = retryable and await scheduler.community_retry(
                    db, prompt, plan, clock.utcnow(), attempts
                )
                log.warning(
                    "community check-in prompt in %s failed (%s): %r",
                    prompt.channel_id,
                    "will retry" if again else "given up for today",
                    error,
                )
                continue
            self._community_attempts.pop(prompt.guild_id, None)
            await scheduler.community_sent(db, prompt.guild_id, plan.local_date)

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
        time="Local time, like 21:30, 9:30pm or half nine pm",
        timezone="Your time zone, city or country, like Europe/Berlin, London or UK (start typing)",
    )
    @app_commands.autocomplete(timezone=zone_autocomplete)
    async def reminder_set(
        self,
        interaction: discord.Interaction,
        time: app_commands.Range[str, 1, times.MAX_TYPED],
        timezone: app_commands.Range[str, 1, times.MAX_TYPED],
    ) -> None:
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
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, times.MAX_TYPED],
        timezone: app_commands.Range[str, 1, times.MAX_TYPED],
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
