"""Claim scan: messages per second through the shipped rules on a realistic chat mix.

``Scanner.scan`` (what the moderation listener runs on every message: crisis
language, normalisation, the anchor prefilter, then only the candidate
phrases' regexes) against the baseline ``Scanner.scan_naive`` (every rule's
every phrase searched in turn) on the same messages, one thread, best of
three passes each. Both must flag the same messages.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from benchmarks.chat import labelled
from benchmarks.report import Figure
from bot.moderation.scanner import Scanner
from bot.settings import DEFAULT_MODERATION_RULES, PROJECT_ROOT

SUITE = "2 claim scan"
TARGET_RATE = 50_000
TARGET_RATIO = 10.0


def rate(fn: Callable[[str], object], texts: list[str], passes: int = 3) -> float:
    """Messages per second, best of ``passes``."""
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def measure(count: int, baseline_count: int) -> list[Figure]:
    scanner = Scanner.from_file(PROJECT_ROOT / DEFAULT_MODERATION_RULES)
    mix = labelled(count)
    texts = [text for text, _ in mix]
    kinds = Counter(kind for _, kind in mix)
    subset = texts[:baseline_count]

    fast = rate(scanner.scan, texts)
    fast_subset = rate(scanner.scan, subset)
    naive = rate(scanner.scan_naive, subset)
    flagged = sum(scanner.scan(t).flagged for t in texts)
    disagree = sum(scanner.scan(t).flagged != scanner.scan_naive(t).flagged for t in subset)
    share = ", ".join(f"{kinds[k] * 100 // count}% {k}" for k in ("chat", "question", "experience", "claim"))
    return [
        Figure(
            SUITE,
            "scan throughput",
            fast,
            "msgs/s",
            f"≥ {TARGET_RATE:,} msgs/s",
            fast >= TARGET_RATE,
            f"{len(scanner)} rules, {count:,} msgs ({share}), {flagged} flagged",
        ),
        Figure(SUITE, "baseline: rule-by-rule loop", naive, "msgs/s", note=f"first {len(subset):,} msgs"),
        Figure(
            SUITE,
            "speed-up over baseline",
            fast_subset / naive,
            "x",
            f"≥ {TARGET_RATIO:g}x",
            fast_subset / naive >= TARGET_RATIO,
            f"same {len(subset):,} msgs; {disagree} verdicts differ",
        ),
    ]


def run(quick: bool) -> list[Figure]:
    return measure(5_000 if quick else 50_000, 1_000 if quick else 5_000)
