"""``python -m bot demo``: the real bot, every cog, in simcord's simulated Discord, shown in the browser."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.checkins import reminders
from bot.demo import samples
from bot.settings import Settings

log = logging.getLogger("bot.demo")

SETTLE_TIMEOUT = 60.0  # real seconds simcord waits for the bot after an action or a clock jump
CLOCK_KEY = "demo_clock"  # where a demo database remembers the simulated time it stopped at


@dataclass(frozen=True)
class Options:
    database: Path | None = None
    browser: bool = True
    seconds: float | None = None
    fast_forward: bool = False


def can_open_browser() -> bool:
    """A graphical browser can be started (no console browser taking over the terminal)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def say(out: TextIO, text: str) -> None:
    print(text, file=out, flush=True)


async def fast_forward(pages, env, you_id: int, out: TextIO) -> None:
    """Move the simulated clock just past your next daily prompt; it then shows in the DM page."""
    reminder = await reminders.get_reminder(env.bot.db, you_id)
    if reminder is None or reminder.paused:
        say(out, "No daily reminder is set for you (/reminder set), so there is nothing to wait for.")
        return
    day = reminder.next_due_utc.astimezone(reminder.zone).date()
    seconds = max(0.0, (reminder.next_due_utc - env.now()).total_seconds()) + 1
    await pages.advance(seconds)
    local = env.now().astimezone(reminder.zone)
    after = await reminders.get_reminder(env.bot.db, you_id)
    if after is not None and after.last_sent_date == day:
        news = "your daily prompt is on the dm page"
    else:
        news = "no prompt: that day already has a check-in, so the next one is tomorrow"
    say(out, f"Clock: {local:%A} {local.day} {local:%B %H:%M} {reminder.timezone}; {news}.")


def _watch_enter(pages, env, you_id: int, out: TextIO) -> Callable[[], None] | None:
    """Enter in the demo's terminal fast-forwards to the next prompt; returns how to stop listening.

    A reader callback rather than a thread blocked in ``readline``, so Ctrl-C never waits for Enter.
    """
    if sys.stdin is None or not sys.stdin.isatty():
        return None
    loop = asyncio.get_running_loop()
    busy: set[asyncio.Task] = set()

    def on_line() -> None:
        if not sys.stdin.readline() or busy:
            return
        task = loop.create_task(fast_forward(pages, env, you_id, out))
        busy.add(task)
        task.add_done_callback(busy.discard)

    try:
        loop.add_reader(sys.stdin.fileno(), on_line)
    except (NotImplementedError, OSError, ValueError):
        return None
    say(out, "Press Enter to move the simulated clock to your next daily prompt.")
    return lambda: loop.remove_reader(sys.stdin.fileno())


async def _start_clock(env, db) -> None:
    """Today at START_AT in simulated time; a resumed demo continues from where it stopped."""
    target = samples.start_time(env.now())
    stored = await db.get_meta(CLOCK_KEY)
    if stored:
        target = max(target, datetime.fromisoformat(stored) + timedelta(minutes=1))
    seconds = (target - env.now()).total_seconds()
    if seconds > 0:
        await env.advance_time(seconds)


async def run(settings: Settings, options: Options, out: TextIO = sys.stdout) -> int:
    # discord.py's notes about voice (also printed while simcord loads) and simulated clock drift.
    logging.getLogger("discord").setLevel(logging.ERROR)
    import simcord

    from bot.app import RLSBot
    from bot.demo import world
    from bot.demo.pages import Pages

    with contextlib.ExitStack() as stack:
        if options.database is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="rls-demo-"))
            database = Path(folder) / "demo.db"
        else:
            database = options.database
            database.parent.mkdir(parents=True, exist_ok=True)
        # No token, no endpoint overrides, no guild sync list: the simulated Discord is the only server.
        settings = replace(
            settings,
            token=None,
            database=database,
            sync_guilds=(),
            api_base=None,
            gateway_url=None,
            owner_ids=(),
        )
        # force_sync: the simulated Discord starts with no commands even when the database remembers a sync.
        bot = RLSBot(settings, force_sync=True)
        env = simcord.Env(bot, settle_timeout=SETTLE_TIMEOUT, check_errors=False)
        env.backend.bot_user.name = "RLS Companion"  # simcord calls its bot "TestBot" (a backend field)
        people = world.create_people(env)

        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)

        pages = Pages(env)
        stop_listening = None
        try:
            await env.start()
            with env.time_context():
                await _start_clock(env, bot.db)
                community = await world.build(env, people)
                zone = samples.ZONE
                await pages.open("general", community.general, community.you, timezone=zone)
                await pages.open("support", community.support, community.you, timezone=zone)
                await pages.open("mod-log", community.mod_log, community.mod, timezone=zone)
                await pages.open("dm", people.you.dm_channel, people.you, timezone=zone)
                say(out, f"Database: {database}")
                for page in pages.pages:
                    say(out, f"Demo: {page.name} {page.url}")
                say(
                    out,
                    "Served on 127.0.0.1 only. Each address holds a secret token: anyone who has it can act "
                    "in the demo. Ctrl-C stops it.",
                )
                if options.fast_forward:
                    await fast_forward(pages, env, people.you.id, out)
                stop_listening = _watch_enter(pages, env, people.you.id, out)
                if options.browser:
                    if can_open_browser():
                        webbrowser.open(pages.pages[0].url)
                    else:
                        say(out, "No display found: open a page's address in your browser.")

                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=options.seconds)
                await bot.db.set_meta(CLOCK_KEY, env.now().isoformat())
        finally:
            if stop_listening is not None:
                stop_listening()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(sig)
            try:
                await pages.close()
                await env.shutdown()
            finally:
                await bot.close()  # closes the database and ends the drawing worker
        say(out, "Stopped; the database is closed.")
    return 0
