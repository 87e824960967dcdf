"""Every benchmark suite's code path on tiny inputs, so the suite cannot rot.

Nothing here asserts a timing: only that each suite runs end to end against
the current code and reports the figures it promises, plus the facts that are
not timings (nothing re-indexed on a second start, every prompt sent,
matplotlib not imported before the first chart).
"""

from __future__ import annotations

import math
from pathlib import Path

from benchmarks import (
    bench_history,
    bench_knowledge,
    bench_lag,
    bench_memory,
    bench_prompts,
    bench_scan,
    bench_startup,
)
from benchmarks.corpus import corpus
from benchmarks.live import LiveBot, seed_server
from benchmarks.report import Figure


def check(figures: list[Figure], suite: str, count: int) -> dict[str, Figure]:
    assert len(figures) == count, [f.name for f in figures]
    for figure in figures:
        assert figure.suite == suite
        assert math.isfinite(figure.value) and figure.value >= 0, figure
        assert figure.row().startswith(f"| {suite} |")
    return {f.name: f for f in figures}


def test_corpus_is_valid_articles(tmp_path: Path):
    from bot.knowledge.articles import article_files, parse_file

    directory, treatments = corpus(12)
    files = article_files(directory)
    assert len(files) == len(treatments) == 12
    for path in files:
        article, problems = parse_file(path)
        assert article is not None and not problems, problems
        assert 8 <= len(article.sections) <= 12
        assert article.slug in {t.slug for t in treatments}


async def test_fact_lookup_suite(tmp_path: Path):
    figures = check(await bench_knowledge.measure(12, 20, tmp_path), bench_knowledge.SUITE, 33)
    answered = figures["ask p50"].note.split("/")[0]
    assert int(answered) > 0
    assert figures["first /treatments: longest event-loop stall"].ok is not None
    assert figures["member questions (blind): reader-comment passages served"].value == 0
    assert figures["second blind set: reader-comment passages served"].value == 0
    assert figures["third blind set: reader-comment passages served"].value == 0
    assert figures["fourth blind set: reader-comment passages served"].value == 0
    assert figures["fifth blind set: reader-comment passages served"].value == 0
    assert figures["section questions (training): reader-comment passages served"].value == 0


def test_claim_scan_suite():
    figures = check(bench_scan.measure(300, 60), bench_scan.SUITE, 3)
    assert figures["speed-up over baseline"].note.endswith("0 verdicts differ")


async def test_daily_prompts_suite(tmp_path: Path):
    figures = check(await bench_prompts.measure(60, tmp_path), bench_prompts.SUITE, 5)
    find, _, send, _, control = figures.values()
    assert not control.note.startswith("0 x 429")  # a burst of 50 on top of 50/s is caught
    assert find.note == "index used"
    assert "60 sent" in send.note and send.note.endswith("0 still due")
    assert send.value >= 60 / bench_prompts.GLOBAL_LIMIT * 0.99  # never faster than Discord allows


async def test_startup_suite(tmp_path: Path):
    figures = check(await bench_startup.measure(8, tmp_path), bench_startup.SUITE, 3)
    first, second = list(figures.values())[1:]
    assert first.note == "8 articles indexed"
    assert second.note.startswith("0 articles re-indexed")


async def test_live_suites_on_one_bot(tmp_path: Path):
    directory, _ = corpus(8)
    await seed_server(tmp_path / "bot.db")
    await bench_history.seed_diary(tmp_path / "bot.db", 40)
    async with LiveBot(tmp_path, articles_dir=directory) as bot:
        memory = check(await bench_memory.measure_on(bot, 200, rate=2_000), bench_memory.SUITE, 4)
        check([await bench_memory.measure_burst(bot, 100)], bench_memory.SUITE, 1)
        history = check(await bench_history.measure_on(bot, 2, 40), bench_history.SUITE, 3)
        lag = check(await bench_lag.measure_on(bot, 100, 0.5), bench_lag.SUITE, 3)
    lazy = memory["matplotlib imported before the first chart"]
    assert lazy.ok is True and lazy.note.startswith("after the first chart (drawn)"), lazy.note
    assert all(f.value > 0 for f in history.values())
    assert "Traceback" not in bot.log_text(), bot.log_tail()
    assert lag
