"""Fact lookup: /ask and /treatment domain calls on 1,000 generated articles (~10,000 sections).

The floor is a bare FTS5 MATCH (the question's words OR-ed, best 3 by bm25)
on the same index through the same database connection, measured in the same
run: ``ask`` adds question analysis, treatment detection, coverage checks and
ranking on top of it. ``find_treatment`` is what /treatment and its
autocomplete (``suggest``) call before showing a fact card.
"""

from __future__ import annotations

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


def floor_query(question: str) -> str:
    words = [w for w in kb_search.tokens(question) if w not in kb_search.STOPWORDS] or ["rls"]
    return " OR ".join(kb_search.fts_phrase(w) for w in words[:16])


async def measure(articles: int, n_questions: int, workdir: Path) -> list[Figure]:
    directory, treatments = corpus(articles)
    db = await Database(workdir / "bot.db").open()
    try:
        await db.migrate()
        kb = await KnowledgeBase.open(db, directory)
        sections = await db.fetchval("SELECT count(*) FROM kb_sections")
        qs = questions(treatments, n_questions)
        ns = names(treatments, n_questions)
        floors = [floor_query(q) for q in qs]

        for q, f in zip(qs, floors, strict=True):  # warm caches once
            await kb.ask(q)
            await db.fetchall("SELECT rowid FROM kb_fts WHERE kb_fts MATCH ? ORDER BY rank LIMIT 3", (f,))

        # Interleaved, question by question, so machine noise hits the floor and the calls alike.
        floor, asks, finds, suggests = [], [], [], []
        for q, f, n in zip(qs, floors, ns, strict=True):
            start = time.perf_counter()
            await db.fetchall("SELECT rowid FROM kb_fts WHERE kb_fts MATCH ? ORDER BY rank LIMIT 3", (f,))
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
        Figure(SUITE, "floor: bare FTS5 MATCH p50", floor_p50, "ms", note=scale),
        Figure(SUITE, "floor: bare FTS5 MATCH p99", floor_p99, "ms"),
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
    return figures


async def run(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rls-bench-knowledge-") as tmp:
        return await measure(100 if quick else 1000, 200 if quick else 1000, Path(tmp))
