"""Training the section ranker from member questions labelled with the section that answers them.

``python -m bot knowledge train`` runs it: the questions in ``data/knowledge/section_questions/``
(every ``questions*.tsv`` there) are asked of the shipped articles plus the raw articles beside
them (imported as an admin would), and a logistic model learns which section is the right one.
The answer threshold is chosen on out-of-fold probabilities: the one that keeps the most right
answers while refusing the most questions the articles do not answer. The same data gives the
same weights.

``python -m bot knowledge train --by-article`` measures how the ranker does on an article it was
not trained on: for each article, the ranker is trained without that article's questions (and
without a share of the questions to refuse), and those questions are then asked end to end.
"""

from __future__ import annotations

import contextlib
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.knowledge import ranker
from bot.knowledge.evaluation import REFUSE, Case, Score, build_articles, named, read_cases, score

FOLDS = 5
SEED = 7
THRESHOLDS = [round(0.01 * i, 2) for i in range(2, 61)]  # 0.02 .. 0.60
REFUSAL_WEIGHT = 2.0
DOUBT_OFF = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
OFF_ARTICLE_FLOORS = [round(0.05 * i, 2) for i in range(0, 15)]  # 0 .. 0.70


@dataclass
class Report:
    questions: int  # answerable questions whose treatment was recognised
    refusable: int  # questions to refuse that name a covered treatment
    out_of_fold_top1: float  # share whose best section is right, trained without them
    threshold: float
    kept: float  # out-of-fold: share answered with the right section at that threshold
    refused: float  # share of the refusable ones refused (by topic or threshold)
    off_article: float  # how likely the off-article topics must be to refuse
    doubt_off: float  # ... and how likely together for a question to need a surer section
    doubt_below: float  # that surer probability
    topic_refusals: tuple[int, int, int, int]  # (answerable refused, of), (refusable refused, of) by topic


@dataclass(frozen=True)
class Answerable:
    case: Case
    rows: list[list[float]]  # one feature row per section of the named article
    right: int  # the position of the section that answers it
    off: float = 0.0  # how likely the topic model finds the off-article topics, together


@dataclass(frozen=True)
class Refusable:
    case: Case
    topic: str
    probabilities: dict[str, float]
    rows: list[list[list[float]]]  # per treatment named, one feature row per section


@dataclass(frozen=True)
class Asked:
    case: Case
    topic: str
    probabilities: dict[str, float]


def cases(directory: Path) -> list[Case]:
    """Every labelled question in the folder, file by file in name order."""
    return [c for path in sorted(directory.glob("questions*.tsv")) for c in read_cases(path)]


@contextlib.asynccontextmanager
async def _knowledge(directory: Path, shipped: Path):
    """A knowledge base over the shipped articles plus the raw ones beside the questions."""
    from bot.knowledge.cli import open_memory_kb

    with tempfile.TemporaryDirectory(prefix="rls-ranker-") as tmp:
        imported, comments, names = build_articles(
            shipped, sorted((directory / "articles").glob("*.txt")), Path(tmp) / "articles"
        )
        db, kb = await open_memory_kb(Path(tmp) / "articles")
        try:
            if kb._model is None and kb._model_loading is not None:
                kb._model = await kb._model_loading
            yield kb, imported, comments, names
        finally:
            await db.close()


def _groups(kb, labelled: list[Case]) -> tuple[list[Answerable], list[Refusable], list[Asked]]:
    """Feature rows for each question whose treatment is recognised, as ``ask`` would build them."""
    answerable, refusable, asked = [], [], []
    for case in labelled:
        understood = kb.understand(case.question)
        prediction = understood.prediction
        if prediction is None:
            continue
        probabilities = ranker.topic_probabilities(prediction.scores)
        asked.append(Asked(case, prediction.topic, probabilities))
        if not understood.slugs:
            continue  # a question naming no treatment is ranked by the general search
        query = kb.query_for(understood)

        def rows(slug: str, case=case, prediction=prediction, query=query, probabilities=probabilities):
            treatment = kb.get(slug)
            article = kb.articles.get(treatment.article.file) if treatment else None
            if article is None or not article.sections:
                return None, None
            candidates = kb._candidates(case.question, prediction, query, article)
            return article, [ranker.features(prediction.topic, probabilities, c) for c in candidates]

        if case.article == REFUSE:
            found = [r for r in (rows(s)[1] for s in understood.slugs) if r]
            if found:
                refusable.append(Refusable(case, prediction.topic, probabilities, found))
            continue
        if case.article not in understood.slugs:
            continue
        article, found = rows(case.article)
        if not found:
            continue
        wanted = " ".join(case.section.split())
        right = [i for i, s in enumerate(article.sections) if " ".join(s.heading.split()) == wanted]
        if right:
            answerable.append(Answerable(case, found, right[0], ranker.off_article_share(probabilities)))
    return answerable, refusable, asked


def _best(model: ranker.Ranker, rows: list[list[float]]) -> tuple[float, int]:
    scored = [(model.probability(r), i) for i, r in enumerate(rows)]
    return max(scored, key=lambda x: (x[0], -x[1]))


def _fit(
    answerable: list[Answerable], refusable: list[Refusable], asked: list[Asked]
) -> tuple[ranker.Ranker, Report]:
    def by_topic(floor: float) -> tuple[int, int]:
        probe = ranker.Ranker([0.0] * len(ranker.FEATURES), 0.0, 0.0, floor)
        refused = [a.case.article == REFUSE for a in asked if probe.refuses(a.topic, a.probabilities)]
        return refused.count(False), refused.count(True)

    # refuse by topic where that refuses more questions it should than ones it should not
    floor = max(OFF_ARTICLE_FLOORS, key=lambda f: (by_topic(f)[1] - by_topic(f)[0], -f))
    probe = ranker.Ranker([0.0] * len(ranker.FEATURES), 0.0, 0.0, floor)
    groups = [(a.rows, a.right) for a in answerable]
    order = list(range(len(groups)))
    random.Random(SEED).shuffle(order)
    folds = [order[i::FOLDS] for i in range(FOLDS)]
    out_of_fold: list[tuple[float, bool, float]] = []
    for fold in folds:
        held = set(fold)
        weights, bias = ranker.fit([g for i, g in enumerate(groups) if i not in held])
        model = ranker.Ranker(weights, bias, 0.0)
        for i in fold:
            rows, right = groups[i]
            probability, picked = _best(model, rows)
            out_of_fold.append((probability, picked == right, answerable[i].off))
    weights, bias = ranker.fit(groups)
    full = ranker.Ranker(weights, bias, 0.0)
    refusal_best = [
        (r.topic, r.probabilities, max(_best(full, rows)[0] for rows in r.rows)) for r in refusable
    ]
    # as arrays: each answerable question's best probability, whether that section is right, and
    # how off-article it may be; each refusable one's best probability, off-article share and
    # whether its topic alone refuses it
    a_p = np.array([p for p, _, _ in out_of_fold])
    a_right = np.array([right for _, right, _ in out_of_fold], dtype=bool)
    a_off = np.array([off for _, _, off in out_of_fold])
    r_p = np.array([p for _, _, p in refusal_best])
    r_off = np.array([ranker.off_article_share(probabilities) for _, probabilities, _ in refusal_best])
    r_topic = np.array(
        [probe.refuses(topic, probabilities) for topic, probabilities, _ in refusal_best], dtype=bool
    )

    def outcome(t: float, doubt_off: float, doubt_below: float) -> tuple[int, int]:
        a_floor = np.where(a_off >= doubt_off, max(t, doubt_below), t)
        r_floor = np.where(r_off >= doubt_off, max(t, doubt_below), t)
        return int((a_right & (a_p >= a_floor)).sum()), int((r_topic | (r_p < r_floor)).sum())

    # most right answers kept plus refusals refused (a refusal counts REFUSAL_WEIGHT times: an
    # answer to what the articles never say misleads, a refusal only disappoints); on a tie, the
    # choice that asks more of a section (the higher thresholds, the wider doubt)
    def value(choice: tuple[float, float, float]) -> tuple[float, float, float, float]:
        kept_n, refused_n = outcome(*choice)
        return (kept_n + REFUSAL_WEIGHT * refused_n, choice[0], -choice[1], choice[2])

    choices = [(t, 1.0, 0.0) for t in THRESHOLDS] + [
        (t, doubt_off, doubt_below)
        for t in THRESHOLDS
        for doubt_off in DOUBT_OFF
        for doubt_below in THRESHOLDS
        if doubt_below > t
    ]
    threshold, doubt_off, doubt_below = max(choices, key=value)
    model = ranker.Ranker(weights, bias, threshold, floor, doubt_off, doubt_below)
    kept_n, refused_n = outcome(threshold, doubt_off, doubt_below)
    n = len(out_of_fold) or 1
    wrong_by_topic, right_by_topic = by_topic(floor)
    report = Report(
        questions=len(answerable),
        refusable=len(refusal_best),
        out_of_fold_top1=sum(right for _, right, _ in out_of_fold) / n,
        doubt_off=doubt_off,
        doubt_below=doubt_below,
        threshold=threshold,
        kept=kept_n / n,
        refused=refused_n / (len(refusal_best) or 1),
        off_article=floor,
        topic_refusals=(
            wrong_by_topic,
            sum(1 for a in asked if a.case.article != REFUSE),
            right_by_topic,
            sum(1 for a in asked if a.case.article == REFUSE),
        ),
    )
    return model, report


async def train(
    directory: Path = ranker.TRAINING, shipped: Path | None = None
) -> tuple[ranker.Ranker, Report]:
    shipped = shipped or ranker.ROOT / "data" / "articles"
    async with _knowledge(directory, shipped) as (kb, _, _, names):
        return _fit(*_groups(kb, named(cases(directory), names)))


async def by_article(directory: Path = ranker.TRAINING, shipped: Path | None = None) -> dict[str, Score]:
    """End-to-end figures per article, each from a ranker trained without that article's questions.

    The questions to refuse are dealt round-robin to the articles, so each is also held out once.
    The topic model is the shipped one; it is trained on other questions.
    """
    shipped = shipped or ranker.ROOT / "data" / "articles"
    results: dict[str, Score] = {}
    async with _knowledge(directory, shipped) as (kb, imported, comments, names):
        labelled = named(cases(directory), names)
        articles = sorted({c.article for c in labelled if c.article != REFUSE})
        to_refuse = [c for c in labelled if c.article == REFUSE]
        held_refusals = {a: set(to_refuse[i :: len(articles)]) for i, a in enumerate(articles)}
        answerable, refusable, asked = _groups(kb, labelled)
        shipped_ranker = kb._ranker
        try:
            for article in articles:
                held = held_refusals[article]

                def keep(case: Case, article=article, held=held) -> bool:
                    return case.article != article and case not in held

                kb._ranker, _ = _fit(
                    [a for a in answerable if keep(a.case)],
                    [r for r in refusable if keep(r.case)],
                    [a for a in asked if keep(a.case)],
                )
                mine = [c for c in labelled if c.article == article or c in held]
                results[article] = await score(kb, mine, imported, comments)
        finally:
            kb._ranker = shipped_ranker
    return results
