"""Fact lookup: /ask and /treatment domain calls on 1,000 generated articles (~10,000 sections).

The floor is a bare FTS5 MATCH restricted the way ``ask`` restricts it: for a
question naming a treatment, its words matched within that treatment's rows;
otherwise every meaningful word in one section, best 30 by bm25. It runs on
the same index through the same connection in the same run. ``ask`` adds the
topic model, treatment detection by name and description, section topics and
ranking on top of it. The first /treatments drafts every fact card in a
thread: the longest event-loop stall while it runs is measured. The member
question set's top-1 and refusal figures are printed too (development data: it was used once as a
blind set, then tuned against). ``find_treatment`` is what /treatment and its
autocomplete (``suggest``) call before showing a fact card.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import GeneratedTreatment, corpus
from benchmarks.report import Figure, percentile
from bot.db import Database
from bot.knowledge import KnowledgeBase
from bot.knowledge import search as kb_search

SUITE = "1 fact lookup"
TARGET_MS = 10.0
TARGET_RATIO = 5.0

GENERAL = [
    "what helps with drowsiness",
    "does iron help restless legs",
    "how long should I taper when stopping",
    "is augmentation a risk with dopamine agonists",
    "which medications interact with alcohol",
    "does xylotrazine help rls",  # a treatment nobody wrote about
    "can I take it with antihistamines",
    "what does the research say about sleep",
]


def questions(treatments: list[GeneratedTreatment], count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        t = rng.choice(treatments)
        effect, _, risk, receptor, condition = t.terms
        out.append(
            rng.choice(
                [
                    f"{t.name} side effects",
                    f"is {t.aliases[0]} addictive?",
                    f"does {t.name.lower()} cause {effect}?",
                    f"what does the research say about {t.name}",
                    f"how does {t.name} work",
                    f"{t.aliases[-1]} withdrawal",
                    f"is {t.name} safe with {condition}?",
                    f"{t.name} and {risk}",
                    f"{receptor} receptors",
                    rng.choice(GENERAL),
                ]
            )
        )
    return out


def names(treatments: list[GeneratedTreatment], count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        t = rng.choice(treatments)
        out.append(
            rng.choice(
                [t.name, t.slug, t.aliases[0], t.aliases[-1], f"{t.aliases[0]} ({t.name})", t.name[:-1] + "x"]
            )
        )
    return out


def floor_query(kb: KnowledgeBase, question: str) -> tuple[str, tuple]:
    """The bare FTS5 statement and parameters for the question, restricted as ``ask`` restricts it."""
    understood = kb.understand(question)
    query = kb_search.analyse(understood.text, understood.slugs, understood.words)
    words = [t for t in query.terms if t.weight >= 1] or query.terms or query.generic
    groups = [kb_search.fts_any(t.forms) for t in words] or ['"rls"']
    sql = "SELECT rowid, bm25(kb_fts, 3.0, 1.0, 2.0) AS rank FROM kb_fts WHERE kb_fts MATCH ?"
    if understood.slugs and (span := kb._span(understood.slugs[0])):
        match = f"{{heading body}} : ({' OR '.join(groups)})"
        return sql + " AND rowid BETWEEN ? AND ? ORDER BY rank LIMIT 30", (match, *span)
    return sql + " ORDER BY rank LIMIT 30", (f"{{heading body}} : ({' AND '.join(groups)})",)


async def loop_stall(work) -> tuple[float, float]:
    """(longest gap between 1 ms ticks, total seconds) while ``work()`` is awaited."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    start = time.perf_counter()
    await work()
    total = time.perf_counter() - start
    done.set()
    await ticker
    return max(gaps, default=0.0) * 1000, total


ROOT = Path(__file__).resolve().parents[1]


QUESTION_SETS = (
    # (label, directory): the blind set was written apart from the code and is never tuned on;
    # the section ranker is trained on the other one, so its figures are training figures.
    ("member questions (blind)", ROOT / "tests" / "blind" / "ask"),
    ("second blind set", ROOT / "tests" / "blind" / "ask2"),
    ("third blind set", ROOT / "tests" / "blind" / "ask3"),
    ("fourth blind set", ROOT / "tests" / "blind" / "ask4"),
    ("fifth blind set", ROOT / "tests" / "blind" / "ask5"),
    ("section questions (training)", ROOT / "data" / "knowledge" / "section_questions"),
)


async def blind_figures() -> list[Figure]:
    figures: list[Figure] = []
    for label, directory in QUESTION_SETS:
        if await asyncio.to_thread((directory / "questions.tsv").exists):
            figures.extend(await set_figures(label, directory))
    return figures


async def set_figures(label: str, directory: Path) -> list[Figure]:
    from bot.knowledge.evaluation import score_set

    raw = sorted(await asyncio.to_thread(lambda: list((directory / "articles").glob("*.txt"))))
    score = await score_set(directory / "questions.tsv", ROOT / "data" / "articles", raw)
    return [
        Figure(
            SUITE,
            f"{label}: top-1 correct",
            100 * score.top1_rate,
            "%",
            "≥ 90 %",
            score.top1_rate >= 0.9,
            f"{score.top1}/{score.answerable} answerable questions",
        ),
        Figure(
            SUITE,
            f"{label}: off-article refused",
            100 * score.refusal_rate,
            "%",
            "≥ 95 %",
            score.refusal_rate >= 0.95,
            f"{score.refused}/{score.refusable}",
        ),
        Figure(
            SUITE,
            f"{label}: imported articles top-1",
            100 * score.imported_rate,
            "%",
            "≥ 85 %",
            score.imported_rate >= 0.85,
            f"{score.imported_top1}/{score.imported} ({', '.join(p.stem for p in raw)})",
        ),
        Figure(
            SUITE,
            f"{label}: reader-comment passages served",
            score.comment_leaks,
            "",
            "0",
            score.comment_leaks == 0,
        ),
    ]


async def measure(articles: int, n_questions: int, workdir: Path) -> list[Figure]:
    directory, treatments = corpus(articles)
    db = await Database(workdir / "bot.db").open()
    try:
        await db.migrate()
        kb = await KnowledgeBase.open(db, directory)
        sections = await db.fetchval("SELECT count(*) FROM kb_sections")
        qs = questions(treatments, n_questions)
        ns = names(treatments, n_questions)
        stall_ms, warm_s = await loop_stall(kb.warm_cards)  # what the first /treatments waits for
        floors = [floor_query(kb, q) for q in qs]

        for q, (sql, params) in zip(qs, floors, strict=True):  # warm caches once
            await kb.ask(q)
            await db.fetchall(sql, params)

        # Interleaved, question by question, so machine noise hits the floor and the calls alike.
        floor, asks, finds, suggests = [], [], [], []
        for q, (sql, params), n in zip(qs, floors, ns, strict=True):
            start = time.perf_counter()
            await db.fetchall(sql, params)
            floor.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            await kb.ask(q)
            asks.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            kb.find_treatment(n)
            finds.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            kb.suggest(n[:4])
            suggests.append((time.perf_counter() - start) * 1000)
        answered = sum([(await kb.ask(q)).answered for q in qs[:200]])
        found = sum(kb.find_treatment(n) is not None for n in ns)
    finally:
        await db.close()

    floor_p50, floor_p99 = percentile(floor, 50), percentile(floor, 99)
    ask_p50, ask_p99 = percentile(asks, 50), percentile(asks, 99)
    scale = f"{articles} articles, {sections} sections, {len(qs)} questions"
    figures = [
        Figure(
            SUITE,
            "first /treatments: longest event-loop stall",
            stall_ms,
            "ms",
            "< 50 ms",
            stall_ms < 50,
            f"every fact card drafted in a thread in {warm_s:.2f} s",
        ),
        Figure(SUITE, "floor: restricted FTS5 MATCH p50", floor_p50, "ms", note=scale),
        Figure(SUITE, "floor: restricted FTS5 MATCH p99", floor_p99, "ms"),
        Figure(SUITE, "ask p50", ask_p50, "ms", note=f"{answered}/{min(200, len(qs))} answered"),
        Figure(
            SUITE,
            "ask p99",
            ask_p99,
            "ms",
            f"< {TARGET_MS:g} ms and ≤ {TARGET_RATIO:g}x floor p99",
            ask_p99 < TARGET_MS and ask_p99 <= TARGET_RATIO * floor_p99,
            f"{ask_p99 / floor_p99:.1f}x floor p99",
        ),
    ]
    for label, samples, note in (
        ("find_treatment", finds, f"{found}/{len(ns)} names found (brands, typos, labels)"),
        ("suggest (autocomplete)", suggests, "4-letter prefixes"),
    ):
        p99 = percentile(samples, 99)
        figures.append(Figure(SUITE, f"{label} p50", percentile(samples, 50), "ms", note=note))
        figures.append(
            Figure(
                SUITE,
                f"{label} p99",
                p99,
                "ms",
                f"< {TARGET_MS:g} ms and ≤ {TARGET_RATIO:g}x floor p99",
                p99 < TARGET_MS and p99 <= TARGET_RATIO * floor_p99,
                f"{p99 / floor_p99:.1f}x floor p99",
            )
        )
    return figures + await blind_figures()


async def run(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rls-bench-knowledge-") as tmp:
        return await measure(100 if quick else 1000, 200 if quick else 1000, Path(tmp))
