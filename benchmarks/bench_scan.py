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


TARGET_MODEL_RATE = 20_000
TARGET_P99_MS = 2.0
TARGET_TRAIN_S = 60.0


def measure_model(count: int, baseline_count: int, train_too: bool) -> list[Figure]:
    """The whole scanner (phrases, the learned model, context gates) on the same mix.

    The baseline is ``scan_naive``: every phrase searched in turn and the model scored
    feature by feature with nothing cached; both must give the same verdicts.
    """
    from bot.moderation.cli import load_model
    from bot.moderation.model import load_corpus, train
    from bot.moderation.rules import load_rules
    from bot.settings import Settings

    settings = Settings.load()
    model = load_model(settings)
    scanner = Scanner(load_rules(PROJECT_ROOT / DEFAULT_MODERATION_RULES), model=model)
    texts = [text for text, _ in labelled(count)]
    subset = texts[:baseline_count]
    fast = rate(scanner.scan, texts)
    naive = rate(scanner.scan_naive, subset, passes=1)
    disagree = sum(
        (a.flagged, a.category, a.rule) != (b.flagged, b.category, b.rule)
        for a, b in ((scanner.scan(t), scanner.scan_naive(t)) for t in subset)
    )
    times = []
    for text in texts[: min(len(texts), 20_000)]:
        start = time.perf_counter()
        scanner.scan(text)
        times.append(time.perf_counter() - start)
    times.sort()
    p99 = times[int(len(times) * 0.99)] * 1000
    flagged = Counter(r.kind for r in map(scanner.scan, texts[:5000]) if r.flagged)
    out = [
        Figure(
            SUITE,
            "scan throughput with the model",
            fast,
            "msgs/s",
            f"≥ {TARGET_MODEL_RATE:,} msgs/s",
            fast >= TARGET_MODEL_RATE,
            f"{count:,} msgs; of the first 5,000: {flagged['claim']} claims, {flagged['crisis']} crisis",
        ),
        Figure(SUITE, "per-message p99 with the model", p99, "ms", f"< {TARGET_P99_MS:g} ms", p99 < TARGET_P99_MS),
        Figure(
            SUITE,
            "baseline: naive rules and uncached model",
            naive,
            "msgs/s",
            note=f"first {len(subset):,} msgs; {disagree} verdicts differ",
            ok=None if disagree == 0 else False,
        ),
    ]
    if train_too:
        examples = load_corpus(settings.moderation_corpus)
        start = time.perf_counter()
        train(examples)
        took = time.perf_counter() - start
        out.append(
            Figure(
                SUITE,
                "training on the shipped corpus",
                took,
                "s",
                f"< {TARGET_TRAIN_S:g} s",
                took < TARGET_TRAIN_S,
                f"{len(examples):,} examples, 4 folds and the final fit",
            )
        )
    return out


def run(quick: bool) -> list[Figure]:
    return measure(5_000 if quick else 50_000, 1_000 if quick else 5_000) + measure_model(
        5_000 if quick else 50_000, 500 if quick else 2_000, train_too=not quick
    )
