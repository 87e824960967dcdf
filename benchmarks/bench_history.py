"""/history chart for 365 check-ins: time to the reply, and the longest event-loop stall meanwhile.

The real bot process (``benchmarks.probe``: the bot plus a loop monitor)
receives ``/history days:365`` as an INTERACTION_CREATE from the local
gateway; the time is from sending the event to the follow-up carrying the
chart reaching the local server. The diary holds a year of daily check-ins
(severity, sleep, onset, treatment changes). The first chart after start-up
also imports matplotlib (lazily, in the drawing thread); the target applies
to the charts after it, the stall target to every run.
"""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.corpus import corpus
from benchmarks.live import LiveBot
from benchmarks.report import Figure, median
from bot.checkins.entries import build_checkin, save_checkin
from bot.db import Database

SUITE = "4 /history"
TARGET_MS = 300.0
TARGET_STALL_MS = 50.0
USER_ID = 42


async def seed_diary(database: Path, days: int, user_id: int = USER_ID) -> None:
    rng = random.Random(3)
    today = datetime.now(UTC).date()
    db = await Database(database).open()
    try:
        await db.migrate()
        treatments = "iron"
        for i in range(days):
            day = today - timedelta(days=days - 1 - i)
            if i % 60 == 30:
                treatments = rng.choice(
                    ["iron, pramipexole 0.125 mg", "gabapentin 300 mg", "iron, magnesium"]
                )
            checkin = build_checkin(
                user_id,
                day,
                severity=rng.randint(0, 10),
                sleep_hours=round(rng.uniform(3, 9), 1),
                onset=rng.choice(["evening", "bedtime", "afternoon", None]),
                treatments=treatments,
                side_effects=rng.choice([None, None, "nausea", "drowsy"]),
                note=rng.choice([None, "long drive", "bad night"]),
            )
            await save_checkin(db, checkin, datetime.combine(day, datetime.min.time(), UTC))
    finally:
        await db.close()


async def measure_on(bot: LiveBot, runs: int, days: int) -> list[Figure]:
    """``runs`` charts on a running bot whose diary for USER_ID is seeded; the first is the cold one."""
    times, stalls = [], []
    for _ in range(runs):
        seconds, request = await bot.slash("history", [{"name": "days", "type": 4, "value": 365}])
        lag = await bot.lag_samples(request.at - seconds, request.at + 0.02)
        times.append(seconds * 1000)
        stalls.append(max(lag, default=0.0))
    warm = times[1:] or times
    worst = max(stalls)
    return [
        Figure(
            SUITE,
            f"first chart after start-up ({days} check-ins)",
            times[0],
            "ms",
            note="includes starting to draw (matplotlib import)",
        ),
        Figure(
            SUITE,
            f"chart for {days} check-ins, median of {len(warm)}",
            median(warm),
            "ms",
            f"< {TARGET_MS:g} ms",
            median(warm) < TARGET_MS,
            f"slowest {max(warm):.0f} ms",
        ),
        Figure(
            SUITE,
            "longest loop stall during a chart",
            worst,
            "ms",
            f"< {TARGET_STALL_MS:g} ms",
            worst < TARGET_STALL_MS,
            f"first chart {stalls[0]:.1f} ms, later ones ≤ {max(stalls[1:] or stalls):.1f} ms",
        ),
    ]


async def measure(articles: int, days: int, runs: int, workdir: Path) -> list[Figure]:
    directory, _ = corpus(articles)
    await seed_diary(workdir / "bot.db", days)
    async with LiveBot(workdir, articles_dir=directory) as bot:
        await bot.idle()
        return await measure_on(bot, runs, days)


async def run(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rls-bench-history-") as tmp:
        return await measure(100 if quick else 1000, 365, 4 if quick else 8, Path(tmp))


__all__ = ["measure", "measure_on", "run", "seed_diary"]
