"""Event-loop lag while 5,000 messages arrive in 10 s through the real listener.

The real bot process (``benchmarks.probe``: the bot plus a loop monitor that
sleeps 5 ms again and again and records how late it wakes) is connected to
the local gateway, which sends MESSAGE_CREATE events from the chat mix at an
even 500 per second. discord.py parses each one and the moderation listener
scans it; each claim becomes a case posted to the moderation log channel. The lag of an idle bot, just
before, is the floor.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.chat import messages
from benchmarks.corpus import corpus
from benchmarks.live import LiveBot, seed_server
from benchmarks.report import Figure, percentile

SUITE = "7 loop lag"
TARGET_P99_MS = 20.0


async def measure_on(bot: LiveBot, count: int, seconds: float) -> list[Figure]:
    await bot.idle()
    start = time.monotonic()
    await asyncio.sleep(min(2.0, seconds / 2))
    idle = await bot.lag_samples(start, time.monotonic())
    requests_before = len(bot.server.requests)
    cpu_before = bot.cpu_seconds()
    start = time.monotonic()
    sent_in = await bot.messages(messages(count, seed=23), rate=count / seconds)
    await bot.idle()
    end = time.monotonic()
    cpu = bot.cpu_seconds() - cpu_before
    busy = await bot.lag_samples(start, end)
    replies = len(bot.server.requests) - requests_before
    p99 = percentile(busy, 99)
    return [
        Figure(SUITE, "floor: idle bot, lag p99", percentile(idle, 99), "ms", note=f"{len(idle)} samples"),
        Figure(
            SUITE,
            f"{count:,} msgs in {seconds:g} s, lag p99",
            p99,
            "ms",
            f"< {TARGET_P99_MS:g} ms",
            p99 < TARGET_P99_MS,
            f"p50 {percentile(busy, 50):.1f} ms, max {max(busy, default=0):.0f} ms; sent in {sent_in:.1f} s",
        ),
        Figure(
            SUITE,
            "bot CPU per message",
            cpu / count * 1000,
            "ms",
            note=f"{cpu / (end - start) * 100:.0f}% of a core; {replies} requests to Discord",
        ),
    ]


async def measure(articles: int, count: int, seconds: float, workdir: Path) -> list[Figure]:
    directory, _ = corpus(articles)
    await seed_server(workdir / "bot.db")
    async with LiveBot(workdir, articles_dir=directory) as bot:
        return await measure_on(bot, count, seconds)


async def run(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rls-bench-lag-") as tmp:
        return await measure(
            100 if quick else 1000, 1_000 if quick else 5_000, 2.0 if quick else 10.0, Path(tmp)
        )
