"""Start-up: the real ``python -m bot`` process, spawn to IDENTIFY, with 1,000 generated articles.

``setup_hook`` (database, migrations, knowledge base incl. indexing, cogs,
command sync) completes before discord.py connects to the gateway, so the
time from spawning the process to its IDENTIFY on the local gateway is the
time to ready. The first start indexes every article; the second start, on
the same database with nothing changed, must skip re-indexing. The same
process with no articles at all is the floor (interpreter, imports, login).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from benchmarks.corpus import corpus
from benchmarks.live import LiveBot
from benchmarks.report import Figure

SUITE = "3 start-up"
TARGET_SECOND = 2.0
_INDEXED = re.compile(r"\bindexed \S+ \(\d+ sections\)")


async def start_once(workdir: Path, articles: Path, database: Path) -> tuple[float, int]:
    """Seconds from spawn to IDENTIFY, and how many articles that start (re)indexed."""
    bot = LiveBot(workdir, articles_dir=articles, database=database, probe=False)
    try:
        seconds = await bot.start()
    finally:
        await bot.stop()
    return seconds, len(_INDEXED.findall(bot.log_text()))


async def measure(articles: int, workdir: Path) -> list[Figure]:
    directory, _ = corpus(articles)
    empty = workdir / "no-articles"
    empty.mkdir(parents=True, exist_ok=True)
    database = workdir / "bot.db"
    floor, _ = await start_once(workdir / "floor", empty, workdir / "floor.db")
    first, indexed_first = await start_once(workdir / "first", directory, database)
    second, indexed_second = await start_once(workdir / "second", directory, database)
    return [
        Figure(
            SUITE, "floor: no articles, spawn to IDENTIFY", floor, "s", note="interpreter, imports, login"
        ),
        Figure(
            SUITE,
            f"first start, {articles} articles (indexing)",
            first,
            "s",
            note=f"{indexed_first} articles indexed",
        ),
        Figure(
            SUITE,
            f"second start, {articles} articles, nothing changed",
            second,
            "s",
            f"< {TARGET_SECOND:g} s, no re-indexing",
            second < TARGET_SECOND and indexed_second == 0,
            f"{indexed_second} articles re-indexed; {second / floor:.1f}x the floor",
        ),
    ]


async def run(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rls-bench-startup-") as tmp:
        return await measure(100 if quick else 1000, Path(tmp))
