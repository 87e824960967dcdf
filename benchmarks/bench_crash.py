"""Crash recovery: 10,000 members due at once, the bot killed three times mid-round; none lost, none twice.

Each run of the bot is the real ``RLSBot`` with the real reminder cog: its
``_run`` loop, ``process_due``, the outbox in ``bot.checkins.scheduler``, the
pacer and, after a crash, the lease running out and the look in the member's
DM channel (``channel.history`` parsed by discord.py, ``is_prompt_for``) before
anything is sent again. Only the gateway is missing, and Discord's REST side
is :class:`Discord` below: it keeps every message it accepted, per DM channel,
across every run of the bot, answers history reads from them and now and then
fails a request (a 5xx or a timeout, before or after it accepted the message).

Three times the bot dies at a point the seed chooses, each time in a
different way (in a random order):

- **accepted**: Discord stores a prompt and the process dies before the
  answer arrives, so the outbox still says ``claimed``;
- **database**: the process dies just before one of its SQL statements (in a
  claim, in recording a prompt as sent, anywhere); an open transaction is
  never committed: the connection is closed without it, as a dead process's is;
- **stopped**: the bot is shut down mid-round (``bot.close()``, what SIGTERM
  does), cancelling the round wherever it is.

A dead run does nothing more: every later database statement or request of
it raises :class:`Killed` (not an ``Exception``, so no handler in the bot can
act on it). After a pause the bot starts again on the same database file, and
the simulation goes on until the late window is over. Then Discord's record
is compared with what was due: prompts lost (a due member got none that local
day) and prompts sent twice (a member got two for the same local day), both
of which must be 0, and the outbox rows that disagree with what Discord has.

Time is virtual (the pacer, the loop's sleeps and ``bot.clock``) and moves
only when no task can run and no query is under way, so the lease and the
late window cost no real time and a run is repeatable: the seed chooses where
the crashes and faults fall, and the same seed gives the same figures (all
but the real time).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import discord

from benchmarks.bench_prompts import ZONES, VirtualClock
from benchmarks.report import Figure
from bot import clock as bot_clock
from bot.app import RLSBot
from bot.checkins import reminders, scheduler
from bot.checkins.pacer import Pacer
from bot.db import Database
from bot.settings import Settings
from tests.support.fake_discord import APP, APP_ID, BOT_USER

SUITE = "8 crash recovery"
DUE = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)
START = DUE - timedelta(seconds=30)  # virtual time 0: the bot is up before anyone is due
END = DUE + reminders.GRACE + timedelta(minutes=10)  # every late window is over
KINDS = ("accepted", "database", "stopped")
FAULT_RATE = 0.01  # share of message posts and history reads that fail
FIRST_USER = 10_000_000
STATEMENTS = frozenset({"execute", "executemany", "executescript"})


class Killed(BaseException):
    """The process is dead: nothing it does from here on has any effect."""


def channel_for(user_id: int) -> int:
    return 900_000_000 + user_id


def prompt_id(user_id: int, day: date) -> str:
    """The custom id the daily prompt's "Add details" button carries (what ``is_prompt_for`` looks for)."""
    return f"ci:det:{user_id}:{day.isoformat()}"


def local_day(user_id: int) -> date:
    return DUE.astimezone(ZoneInfo(ZONES[(user_id - FIRST_USER) % len(ZONES)])).date()


def _custom_ids(payload: dict[str, Any]) -> list[str]:
    return [
        child.get("custom_id", "")
        for row in payload.get("components") or ()
        for child in row.get("components") or ()
    ]


@dataclass
class Crash:
    kind: str  # one of KINDS
    after: int  # armed once Discord has accepted this many prompts in all
    skip: int  # matching events let through once armed
    at: float | None = None  # virtual seconds when it happened
    accepted: int = 0  # prompts Discord had accepted by then
    claimed: int = 0  # outbox rows left claimed and unconfirmed
    delivered: int = 0  # ... of which Discord already had the prompt

    def describe(self) -> str:
        if self.at is None:
            return f"{self.kind}: never happened"
        return (
            f"{self.kind} at {self.at:.0f} s after {self.accepted:,} accepted "
            f"({self.claimed} left claimed, {self.delivered} of them delivered)"
        )


class Discord:
    """Discord's side: DM channels and the messages it accepted. It outlives every run of the bot."""

    def __init__(self, rng: random.Random, fault_rate: float) -> None:
        self.rng = rng
        self.fault_rate = fault_rate
        self.messages: dict[int, list[dict[str, Any]]] = {}  # channel id -> payloads, oldest first
        self.accepted = 0  # prompt posts stored
        self.last_accepted = 0.0  # virtual seconds
        self.looks = 0  # history reads
        self.found = 0  # history reads that held the member's prompt for the day
        self.faults: Counter[str] = Counter()
        self._ids = itertools.count(1_300_000_000_000_000_000)

    def _fault(self, choices: tuple[str, ...]) -> str | None:
        if self.rng.random() >= self.fault_rate:
            return None
        kind = self.rng.choice(choices)
        self.faults[kind] += 1
        return kind

    @staticmethod
    def _server_error(status: int) -> discord.DiscordServerError:
        response = SimpleNamespace(status=status, reason="Service Unavailable", headers={})
        return discord.DiscordServerError(response, {"message": "injected", "code": 0})

    def _message(self, channel_id: int, body: dict[str, Any], now: datetime) -> dict[str, Any]:
        return {
            "id": str(next(self._ids)),
            "channel_id": str(channel_id),
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": now.isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }

    async def request(self, life: Life, route: discord.http.Route, **kwargs: Any) -> Any:
        """``HTTPClient.request`` for one run of the bot: what Discord answers (after discord.py's retries)."""
        life.check()
        await asyncio.sleep(0)  # the request on its way
        life.check()
        method, path = route.method, route.path
        if (method, path) == ("GET", "/users/@me"):
            return dict(BOT_USER)
        if (method, path) == ("GET", "/oauth2/applications/@me"):
            return dict(APP)
        if (method, path) == ("PUT", "/applications/{application_id}/commands"):
            return [
                {"description": "", "options": [], **c, "id": str(2000 + i), "application_id": APP_ID}
                for i, c in enumerate(kwargs.get("json") or [])
            ]
        if (method, path) == ("POST", "/users/@me/channels"):
            recipient = int(kwargs["json"]["recipient_id"])
            return {"id": str(channel_for(recipient)), "type": 1, "recipients": [{"id": str(recipient)}]}
        if (method, path) == ("POST", "/channels/{channel_id}/messages"):
            fault = self._fault(("503 before", "500 after", "timeout after", "reset before"))
            if fault == "503 before":
                raise self._server_error(503)
            if fault == "reset before":
                raise aiohttp.ClientConnectionError("connection reset by peer")
            message = self._message(route.channel_id, kwargs["json"], life.now())
            self.messages.setdefault(route.channel_id, []).append(message)
            self.accepted += 1
            self.last_accepted = life.clock.now
            life.plan.on_accepted(life)  # may kill the process before the answer reaches it
            await asyncio.sleep(0)  # the answer on its way back
            life.check()
            if fault == "500 after":
                raise self._server_error(500)
            if fault == "timeout after":
                raise TimeoutError
            return message
        if (method, path) == ("GET", "/channels/{channel_id}/messages"):
            fault = self._fault(("503", "reset"))
            if fault == "503":
                raise self._server_error(503)
            if fault == "reset":
                raise aiohttp.ClientConnectionError("connection reset by peer")
            limit = int((kwargs.get("params") or {}).get("limit", 50))
            newest = list(reversed(self.messages.get(route.channel_id, [])))[:limit]
            self.looks += 1
            user_id = route.channel_id - channel_for(0)
            if any(prompt_id(user_id, local_day(user_id)) in _custom_ids(m) for m in newest):
                self.found += 1
            return newest
        raise AssertionError(f"the simulation does not answer {method} {path}")

    def prompts(self) -> Counter[tuple[int, str]]:
        """How many prompts each (member, local day) received, by the prompt's buttons."""
        count: Counter[tuple[int, str]] = Counter()
        for messages in self.messages.values():
            for message in messages:
                for custom_id in _custom_ids(message):
                    if custom_id.startswith("ci:det:"):
                        _, _, user, day = custom_id.split(":")
                        count[int(user), day] += 1
        return count

    def holds(self, channel_id: int, message_id: int, user_id: int, day: date) -> bool:
        return any(
            int(m["id"]) == message_id and prompt_id(user_id, day) in _custom_ids(m)
            for m in self.messages.get(channel_id, ())
        )


class Plan:
    """Where the crashes fall: each is armed after a number of accepted prompts, then waits ``skip`` events."""

    def __init__(self, crashes: list[Crash]) -> None:
        self.crashes = crashes
        self.index = 0

    @property
    def current(self) -> Crash | None:
        return self.crashes[self.index] if self.index < len(self.crashes) else None

    def _due(self, life: Life, kinds: tuple[str, ...]) -> Crash | None:
        crash = self.current
        if crash is None or crash.kind not in kinds or life.ended.is_set():
            return None
        if life.discord.accepted < crash.after:
            return None
        if crash.skip > 0:
            crash.skip -= 1
            return None
        crash.at, crash.accepted = life.clock.now, life.discord.accepted
        self.index += 1
        return crash

    def on_accepted(self, life: Life) -> None:
        if self._due(life, ("accepted",)):
            life.die()

    def on_statement(self, life: Life) -> None:
        crash = self._due(life, ("database", "stopped"))
        if crash is not None and crash.kind == "database":
            life.die()
        elif crash is not None:
            life.ended.set()  # the harness shuts the bot down (the statement still runs)


class OfflineBot(RLSBot):
    """The real bot, logged in through the simulation; "ready" when the harness has set its clock."""

    def __init__(self, settings: Settings, life: Life) -> None:
        super().__init__(settings, extensions=["cogs.reminders"])
        self.http.request = partial(life.discord.request, life)  # type: ignore[method-assign]
        self.gateway_ready = asyncio.Event()

    async def wait_until_ready(self) -> None:
        await self.gateway_ready.wait()


class Life:
    """One run of the bot process: started, then killed, stopped, or left running to the end."""

    def __init__(
        self,
        discord_: Discord,
        plan: Plan,
        clock: VirtualClock,
        settings: Settings,
        tamper: Callable[[Any], None] | None = None,
    ) -> None:
        self.discord = discord_
        self.tamper = tamper
        self.plan = plan
        self.clock = clock
        self.settings = settings
        self.dead = False
        self.ended = asyncio.Event()
        self.bot: OfflineBot | None = None
        self.tasks: list[asyncio.Task] = []  # every task this run created (see ``simulate``)
        self._conn: Any = None

    def now(self) -> datetime:
        return START + timedelta(seconds=self.clock.now)

    def check(self) -> None:
        if self.dead:
            raise Killed

    def die(self) -> None:
        self.dead = True
        self.ended.set()
        raise Killed

    async def start(self) -> None:
        self.bot = OfflineBot(self.settings, self)
        await self.bot.login("simulated-token")  # setup_hook: database, migrations, the reminder cog
        conn = self._conn = self.bot.db.conn
        original = conn._execute

        async def execute(fn, *args, **kwargs):
            self.check()
            if getattr(fn, "__name__", "") in STATEMENTS:
                self.plan.on_statement(self)
            with self.clock.hold():  # database work takes no simulated time
                return await original(fn, *args, **kwargs)

        conn._execute = execute  # every statement and fetch of this run passes here
        cog = self.bot.get_cog("Reminders")
        cog.pacer = Pacer(
            rate=cog.pacer.rate, burst=int(cog.pacer.burst), clock=self.clock.time, sleep=self.clock.sleep
        )
        cog._sleep = self.clock.sleep  # the loop's sleeps follow the virtual clock
        if self.tamper is not None:
            self.tamper(cog)
        self.bot.gateway_ready.set()

    async def _cancel_leftovers(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)  # their errors (Killed) are expected

    async def end(self) -> None:
        """Bury a dead run (no code of it runs again, its open transaction is lost) or shut it down."""
        assert self.bot is not None
        if self.dead:
            await self._cancel_leftovers()
            stopped = self._conn.stop()  # closes the SQLite connection without committing
            if stopped is not None:
                await stopped
            await self.bot.http.close()
        else:
            await self.bot.close()  # the real shutdown: the round is cancelled, the database closed
            await self._cancel_leftovers()


@dataclass
class Outcome:
    members: int
    lost: int
    doubled: int
    disagree: int
    crashes: list[Crash]
    accepted: int
    looks: int
    found: int
    faults: Counter[str]
    states: Counter[str]
    virtual: float  # seconds from the due time to the last prompt Discord accepted
    real: float
    restarts: int
    logged: Counter[str] = field(default_factory=Counter)


def plan_crashes(rng: random.Random, members: int, count: int) -> list[Crash]:
    kinds = [KINDS[i % len(KINDS)] for i in range(count)]
    rng.shuffle(kinds)
    afters = sorted(rng.sample(range(1, max(2, int(members * 0.9))), count))
    skips = {"accepted": 5, "database": 60, "stopped": 60}
    return [Crash(kind, after, rng.randrange(skips[kind])) for kind, after in zip(kinds, afters, strict=True)]


async def seed(database: Path, members: int) -> None:
    """``members`` reminders in ten time zones, all due at ``DUE``; half have a known DM channel."""
    db = await Database(database).open()
    try:
        await db.migrate()
        rows = []
        for i in range(members):
            zone = ZoneInfo(ZONES[i % len(ZONES)])
            rows.append((FIRST_USER + i, DUE.astimezone(zone).time(), zone))
        await reminders.set_reminders_bulk(db, rows, DUE - timedelta(minutes=5))
        for user_id, _, _ in rows[::2]:
            await reminders.remember_dm_channel(db, user_id, channel_for(user_id))
    finally:
        await db.close()


async def _outbox(database: Path) -> list[Any]:
    db = await Database(database).open()
    try:
        return await db.fetchall(
            "SELECT user_id, local_date, state, channel_id, message_id FROM checkin_outbox"
        )
    finally:
        await db.close()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.count[record.levelname.lower()] += 1


async def simulate(
    members: int,
    workdir: Path,
    *,
    crashes: int = 3,
    seed_value: int = 0,
    fault_rate: float = FAULT_RATE,
    tamper: Callable[[Any], None] | None = None,
) -> Outcome:
    """Run the whole round with ``crashes`` crashes; return what Discord and the outbox ended with.

    ``tamper`` is called with each run's reminder cog before it starts (tests break it on
    purpose, to show the round notices).
    """
    rng = random.Random(seed_value)
    database = workdir / "bot.db"
    articles = workdir / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    await seed(database, members)
    settings = replace(
        Settings(token=None, database=database, articles_dir=articles),
        moderation_model=None,
    )
    discord_ = Discord(random.Random(rng.random()), fault_rate)
    plan = Plan(plan_crashes(rng, members, crashes))
    clock = VirtualClock()
    records = _Records()
    bot_log = logging.getLogger("bot")
    saved = bot_clock.utcnow, bot_log.propagate
    bot_clock.utcnow = lambda: START + timedelta(seconds=clock.now)
    bot_log.addHandler(records)
    bot_log.propagate = False  # counted, not printed: a crash makes the bot log on purpose
    ticker = asyncio.create_task(clock.run())
    finish = asyncio.create_task(clock.sleep((END - START).total_seconds()))
    loop = asyncio.get_running_loop()
    factory = loop.get_task_factory()
    alive: list[Life] = []

    def record_task(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task:
        task = factory(loop, coro, **kwargs) if factory else asyncio.Task(coro, loop=loop, **kwargs)
        if alive:
            alive[0].tasks.append(task)  # so a dead run's tasks can all be ended and their errors read
        return task

    loop.set_task_factory(record_task)
    started = time.perf_counter()
    restarts = 0
    try:
        while True:
            life = Life(discord_, plan, clock, settings, tamper)
            alive[:] = [life]
            with clock.hold():  # start-up takes no simulated time (the pause before it does)
                await life.start()
            alive.clear()
            ended = asyncio.create_task(life.ended.wait())
            alive[:] = [life]
            await asyncio.wait({ended, finish}, return_when=asyncio.FIRST_COMPLETED)
            alive.clear()
            ended.cancel()
            crash = plan.crashes[plan.index - 1] if life.ended.is_set() and plan.index else None
            with clock.hold():
                await life.end()
                if crash is None or finish.done():
                    break
                # What the next run finds: claims nobody confirmed, some of them already delivered.
                received = discord_.prompts()
                for row in await _outbox(database):
                    if row["state"] == scheduler.CLAIMED:
                        crash.claimed += 1
                        crash.delivered += received[row["user_id"], row["local_date"]] > 0
            restarts += 1
            await clock.sleep(rng.uniform(5, 90))  # the process is restarted
    finally:
        real = time.perf_counter() - started
        loop.set_task_factory(factory)
        finish.cancel()
        ticker.cancel()
        await asyncio.gather(finish, ticker, return_exceptions=True)
        bot_clock.utcnow = saved[0]
        bot_log.propagate = saved[1]
        bot_log.removeHandler(records)

    received = discord_.prompts()
    lost = sum(
        1 for i in range(members) if not received[FIRST_USER + i, local_day(FIRST_USER + i).isoformat()]
    )
    doubled = sum(1 for n in received.values() if n > 1)
    rows = await _outbox(database)
    states = Counter(r["state"] for r in rows)
    disagree = 0
    for row in rows:
        user_id, day = row["user_id"], date.fromisoformat(row["local_date"])
        delivered = received[user_id, day.isoformat()] > 0
        if row["state"] == scheduler.SENT:
            disagree += not discord_.holds(row["channel_id"], row["message_id"], user_id, day)
        else:
            disagree += delivered
    return Outcome(
        members=members,
        lost=lost,
        doubled=doubled,
        disagree=disagree,
        crashes=plan.crashes,
        accepted=discord_.accepted,
        looks=discord_.looks,
        found=discord_.found,
        faults=discord_.faults,
        states=states,
        virtual=max(0.0, discord_.last_accepted - (DUE - START).total_seconds()),
        real=real,
        restarts=restarts,
        logged=records.count,
    )


def figures(outcome: Outcome) -> list[Figure]:
    happened = sum(c.at is not None for c in outcome.crashes)
    valid = happened == len(outcome.crashes)
    crashes = "; ".join(c.describe() for c in outcome.crashes)
    faults = ", ".join(f"{n} {kind}" for kind, n in sorted(outcome.faults.items())) or "none"
    states = ", ".join(f"{n:,} {state}" for state, n in sorted(outcome.states.items()))
    return [
        Figure(
            SUITE,
            "prompts lost (due, none that local day)",
            outcome.lost,
            "members",
            "0",
            outcome.lost == 0 and valid,
            f"{outcome.members:,} due at once; {happened} of {len(outcome.crashes)} crashes: {crashes}",
        ),
        Figure(
            SUITE,
            "prompts sent twice (same member, same local day)",
            outcome.doubled,
            "members",
            "0",
            outcome.doubled == 0 and valid,
            f"{outcome.accepted:,} prompts accepted by Discord in all",
        ),
        Figure(
            SUITE,
            "outbox rows that disagree with Discord",
            outcome.disagree,
            "rows",
            "0",
            outcome.disagree == 0,
            f"outbox: {states}",
        ),
        Figure(
            SUITE,
            "prompts found in the DM channel instead of resent",
            outcome.found,
            "prompts",
            note=f"{outcome.looks:,} DM channels looked at; faults injected: {faults}",
        ),
        Figure(
            SUITE,
            "whole round with the crashes and restarts (real time)",
            outcome.real,
            "s",
            note=f"{outcome.restarts} restarts; last prompt {outcome.virtual:,.0f} s after the due time "
            f"(simulated); bot logged {outcome.logged['warning']} warnings, {outcome.logged['error']} errors",
        ),
    ]


async def run(quick: bool, seed: int = 0) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rls-bench-crash-") as tmp:
        outcome = await simulate(1_000 if quick else 10_000, Path(tmp), seed_value=seed)
    return figures(outcome)
