"""Memory: resident size of the real bot process after start-up and after 10,000 messages.

The bot (``benchmarks.probe``) starts with the 1,000-article library, then
10,000 member messages from the chat mix arrive as MESSAGE_CREATE events on
the local gateway (1,000 a second) and go through the real moderation
listener. A second, fresh bot process then receives 10,000 all at once (a
burst: thousands of handler tasks pending together), reported apart. RSS is read
with psutil once the process is idle. The probe also reports whether
matplotlib has been imported: it must not be before the first chart, and is
after one (/history), which shows the check itself works.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.bench_history import seed_diary
from benchmarks.chat import messages
from benchmarks.corpus import corpus
from benchmarks.live import LiveBot, seed_server
from benchmarks.report import Figure

SUITE = "6 memory"
TARGET_MB = 150.0


async def measure_on(bot: LiveBot, count: int, rate: float = 1_000) -> list[Figure]:
    """On a running bot whose diary for the probe's member is seeded."""
    await bot.idle()
    after_start = bot.rss_mb()
    state_start = await bot.state()
    seconds = await bot.messages(messages(count, seed=17), rate=rate)
    await bot.idle()
    after_messages = bot.rss_mb()
    peak_steady = bot.peak_rss_mb()
    state_messages = await bot.state()
    _, reply = await bot.slash("history", [{"name": "days", "type": 4, "value": 30}])
    await bot.idle()
    after_chart = bot.rss_mb()
    workers, workers_mb = bot.children_rss_mb()
    state_chart = await bot.state()
    lazy = not state_start["matplotlib"] and not state_messages["matplotlib"]
    drawn = reply.content_type.startswith("multipart/")  # the reply carried the chart
    where = "in the bot process" if state_chart["matplotlib"] else "not in the bot process"
    return [
        Figure(
            SUITE,
            "RSS after start-up",
            after_start,
            "MB",
            f"< {TARGET_MB:g} MB",
            after_start < TARGET_MB,
            f"{state_start['modules']} modules loaded",
        ),
        Figure(
            SUITE,
            f"RSS after {count:,} messages scanned",
            after_messages,
            "MB",
            f"< {TARGET_MB:g} MB",
            after_messages < TARGET_MB,
            f"{rate:,.0f} msgs/s through the gateway for {seconds:.1f} s; peak so far {peak_steady:.0f} MB",
        ),
        Figure(
            SUITE,
            "matplotlib imported before the first chart",
            float(not lazy),
            "(0 = no)",
            "0",
            lazy,
            f"after the first chart ({'drawn' if drawn else 'NOT drawn'}): {where}",
        ),
        Figure(
            SUITE,
            "RSS after the first chart",
            after_chart,
            "MB",
            note=f"plus {workers} process(es) it started: {workers_mb:.0f} MB",
        ),
    ]


async def measure_burst(bot: LiveBot, count: int) -> Figure:
    """A freshly started bot receives ``count`` messages all at once (thousands of handler tasks pending)."""
    await bot.idle()
    before = bot.rss_mb()
    await bot.messages(messages(count, seed=19))
    await bot.idle()
    after = bot.rss_mb()
    state = await bot.state()
    return Figure(
        SUITE,
        f"fresh bot, {count:,} messages in one burst",
        after,
        "MB",
        f"< {TARGET_MB:g} MB",
        after < TARGET_MB,
        f"{before:.0f} MB before; peak {bot.peak_rss_mb():.0f} MB; at most {state.get('peak_tasks', 0):,} tasks pending",
    )


async def measure(articles: int, count: int, workdir: Path) -> list[Figure]:
    directory, _ = corpus(articles)
    await seed_server(workdir / "bot.db")
    await seed_diary(workdir / "bot.db", 30)
    async with LiveBot(workdir / "steady", articles_dir=directory, database=workdir / "bot.db") as bot:
        figures = await measure_on(bot, count)
    async with LiveBot(workdir / "burst", articles_dir=directory, database=workdir / "bot.db") as bot:
        figures.insert(2, await measure_burst(bot, count))
    return figures


async def run(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rls-bench-memory-") as tmp:
        return await measure(100 if quick else 1000, 1_000 if quick else 10_000, Path(tmp))
