"""Daily prompts: 10,000 members due in the same minute, found and sent at Discord's pace.

Finding who is due is ``bot.checkins.reminders.due_reminders``: one indexed
range query, timed on the real database. Sending runs the reminder cog's own
``process_due`` (queueing in the outbox, claiming, the shared pacer, recording
each prompt as sent) on that database, with the pacer driven by a virtual clock and the
Discord side replaced by a transport that enforces Discord's global limit on
the same clock: at most 50 requests in any one-second window, else a 429
whose ``retry_after`` is waited out and the request retried (what discord.py
does). Every member's DM channel is already known, so a prompt is one request.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from benchmarks.report import Figure, median
from bot.checkins import reminders
from bot.checkins.pacer import Pacer
from bot.db import Database

SUITE = "5 daily prompts"
GLOBAL_LIMIT = 50  # requests per second, Discord's global limit for a bot
TARGET_FIND_MS = 50.0
TARGET_SLACK = 1.10  # "close to count/50 s and never much more"
DUE = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)
ZONES = [
    "UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo",
    "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", "Africa/Johannesburg",
]  # fmt: skip


class VirtualClock:
    """Simulated seconds: ``await sleep(d)`` returns when the clock reaches now + d.

    ``run()`` (a task beside the code under test) lets every runnable task reach its
    next wait (until nothing else is ready to run on the loop), then moves the clock to
    the earliest pending wake-up and releases that sleeper, one at a time; concurrent
    sleepers therefore wake in time order, at their own instants, and real work
    (database calls) takes no simulated time. While :meth:`hold` is in effect (real
    work in another thread that must finish first, e.g. a query or a start-up), the
    clock does not move at all.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._held = 0
        self._free = asyncio.Event()
        self._free.set()

    @contextmanager
    def hold(self) -> Iterator[None]:
        self._held += 1
        self._free.clear()
        try:
            yield
        finally:
            self._held -= 1
            if not self._held:
                self._free.set()

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        # A real sleep never returns early, and a timer is never finer than a microsecond: without
        # that floor a wait of 1e-17 s (rounding in a token bucket) would leave ``now`` unchanged.
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (self.now + max(seconds, 1e-6), next(self._order), future))
        await future

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            # Let woken tasks run to their next wait (the request they send), however many turns
            # of the loop that takes: until nothing but this task is ready to run.
            turns = 0
            while turns < 8 or getattr(loop, "_ready", None):
                turns += 1
                await asyncio.sleep(0)
            if self._held:
                await self._free.wait()
                continue
            if not self._waiters:
                await asyncio.sleep(0.0005)  # everyone is in real work (database) or done
                continue
            wake, _, future = heapq.heappop(self._waiters)
            if future.done():
                continue  # its sleeper was cancelled: the clock does not move for it
            self.now = max(self.now, wake)
            future.set_result(None)


class GlobalLimit:
    """Discord's global rate limit on a clock: ``limit`` requests in any ``window`` seconds."""

    def __init__(self, clock: VirtualClock, limit: int = GLOBAL_LIMIT, window: float = 1.0) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self.recent: deque[float] = deque()
        self.accepted = 0
        self.rejected = 0
        self.last = 0.0

    async def request(self) -> None:
        while True:
            now = self.clock.time()
            while self.recent and self.recent[0] <= now - self.window:
                self.recent.popleft()
            if len(self.recent) < self.limit:
                self.recent.append(now)
                self.accepted += 1
                self.last = now
                return
            self.rejected += 1  # a 429: wait retry_after, then try again
            await self.clock.sleep(self.recent[0] + self.window - now + 1e-6)


class Transport:
    """The two calls the reminder cog makes, answered after passing the global limit."""

    def __init__(self, limit: GlobalLimit) -> None:
        self.limit = limit
        self.http = self
        self._ids = itertools.count(1)

    async def start_private_message(self, user_id: int) -> dict:
        await self.limit.request()
        return {"id": str(900_000_000 + user_id)}

    def get_partial_messageable(self, channel_id: int, **_: object) -> SimpleNamespace:
        async def send(*args: object, **kwargs: object) -> SimpleNamespace:
            await self.limit.request()
            return SimpleNamespace(id=next(self._ids))

        return SimpleNamespace(id=channel_id, send=send)


async def pacer_alone(rate: float, burst: int, count: int, workers: int = 8) -> GlobalLimit:
    """``count`` requests from ``workers`` concurrent senders through a Pacer: the limiter's verdict."""
    clock = VirtualClock()
    limit = GlobalLimit(clock)
    pacer = Pacer(rate=rate, burst=burst, clock=clock.time, sleep=clock.sleep)
    left = [count]

    async def sender() -> None:
        while left[0] > 0:
            left[0] -= 1
            await pacer.acquire()
            await limit.request()

    ticker = asyncio.create_task(clock.run())
    try:
        await asyncio.gather(*(sender() for _ in range(workers)))
    finally:
        ticker.cancel()
    return limit


async def seed(db: Database, members: int) -> None:
    """``members`` reminders, in ten time zones, all due at ``DUE``; DM channels known."""
    rows = []
    for i in range(members):
        zone = ZoneInfo(ZONES[i % len(ZONES)])
        rows.append((10_000_000 + i, DUE.astimezone(zone).time(), zone))
    await reminders.set_reminders_bulk(db, rows, DUE - timedelta(minutes=5))
    for user_id, _, _ in rows:
        await reminders.remember_dm_channel(db, user_id, 900_000_000 + user_id)


async def measure(members: int, workdir: Path) -> list[Figure]:
    from cogs.reminders import BATCH, Reminders

    db = await Database(workdir / "bot.db").open()
    try:
        await db.migrate()
        await seed(db, members)
        await db.execute("ANALYZE")
        plan = " ".join(
            str(r[-1])
            for r in await db.fetchall(
                "EXPLAIN QUERY PLAN SELECT user_id FROM checkin_reminders INDEXED BY checkin_reminders_due"
                " WHERE paused = 0 AND next_due_utc <= ? ORDER BY next_due_utc LIMIT ?",
                (int(DUE.timestamp()), members),
            )
        )
        finds = []
        for _ in range(7):
            start = time.perf_counter()
            due = await reminders.due_reminders(db, DUE, limit=members)
            finds.append((time.perf_counter() - start) * 1000)
        assert len(due) == members, len(due)
        batches = []
        for _ in range(7):
            start = time.perf_counter()
            await reminders.due_reminders(db, DUE, limit=BATCH)
            batches.append((time.perf_counter() - start) * 1000)

        clock = VirtualClock()
        limit = GlobalLimit(clock)
        transport = Transport(limit)
        transport.db = db  # type: ignore[attr-defined]
        cog = Reminders(transport)
        # The cog's own pacer settings, on the virtual clock.
        cog.pacer = Pacer(
            rate=cog.pacer.rate, burst=int(cog.pacer.burst), clock=clock.time, sleep=clock.sleep
        )
        ticker = asyncio.create_task(clock.run())
        started = time.perf_counter()
        try:
            sent = await cog.process_due(DUE)
        finally:
            wall = time.perf_counter() - started
            ticker.cancel()
        left = len(await reminders.due_reminders(db, DUE, limit=members))
    finally:
        await db.close()

    control = await pacer_alone(GLOBAL_LIMIT, GLOBAL_LIMIT, members)
    ideal = members / GLOBAL_LIMIT
    batch = limit.last
    return [
        Figure(
            SUITE,
            f"find {members:,} due members (one query)",
            median(finds),
            "ms",
            f"< {TARGET_FIND_MS:g} ms",
            median(finds) < TARGET_FIND_MS,
            "index used" if "checkin_reminders_due" in plan else f"NO INDEX: {plan}",
        ),
        Figure(SUITE, f"find the first {BATCH} due (the scheduler's batch)", median(batches), "ms"),
        Figure(
            SUITE,
            f"send {members:,} prompts (virtual clock)",
            batch,
            "s",
            f"≈ {ideal:g} s, ≤ {ideal * TARGET_SLACK:g} s, 0 x 429",
            limit.rejected == 0 and batch <= ideal * TARGET_SLACK and sent == members,
            f"{sent:,} sent, {limit.rejected} x 429, pacer {cog.pacer.rate:g}/s burst {cog.pacer.burst:g}; "
            f"{left} still due",
        ),
        Figure(SUITE, "bot-side work for the batch (real time)", wall, "s", note="outbox, DB writes, views"),
        Figure(
            SUITE,
            "control: the same pacer at 50/s with a burst of 50",
            control.last,
            "s",
            note=f"{control.rejected} x 429: the simulated limit does catch bursts",
        ),
    ]


async def run(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rls-bench-prompts-") as tmp:
        return await measure(1_000 if quick else 10_000, Path(tmp))
