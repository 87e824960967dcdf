"""Training the section ranker from member questions labelled with the section that answers them.

``python -m bot knowledge train`` runs it: the questions in ``data/knowledge/section_questions/``
are asked of the shipped articles plus the raw articles beside them (imported as an admin would),
and a logistic model learns which section is the right one. The answer threshold is chosen on
out-of-fold probabilities: the one that keeps the most right answers while refusing the most
questions the articles do not answer. The same data gives the same weights.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import ranker, search
from bot.knowledge.evaluation import REFUSE, build_articles, read_cases

FOLDS = 5
SEED = 7
THRESHOLDS = [round(0.02 * i, 2) for i in range(1, 31)]  # 0.02 .. 0.60
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
    topic_refusals: tuple[int, int, int, int]  # (answerable refused, of), (refusable refused, of) by topic


async def _groups(directory: Path, shipped: Path):
    """(feature rows, index of the right section) per answerable question; rows per refusable one."""
    from bot.knowledge.cli import open_memory_kb

    with tempfile.TemporaryDirectory(prefix="rls-ranker-") as tmp:
        build_articles(shipped, sorted((directory / "articles").glob("*.txt")), Path(tmp) / "articles")
        db, kb = await open_memory_kb(Path(tmp) / "articles")
        try:
            if kb._model is None and kb._model_loading is not None:
                kb._model = await kb._model_loading
            answerable, refusable, asked = [], [], []
            for case in read_cases(directory / "questions.tsv"):
                understood = kb.understand(case.question)
                prediction = understood.prediction
                if prediction is None:
                    continue
                probabilities = ranker.topic_probabilities(prediction.scores)
                asked.append((case.article == REFUSE, prediction.topic, probabilities))
                if not understood.slugs:
                    continue  # a question naming no treatment is ranked by the general search
                query = search.analyse(understood.text, understood.slugs, understood.words)

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
                        refusable.append((prediction.topic, probabilities, found))
                    continue
                if case.article not in understood.slugs:
                    continue
                article, found = rows(case.article)
                if not found:
                    continue
                wanted = " ".join(case.section.split())
                right = [i for i, s in enumerate(article.sections) if " ".join(s.heading.split()) == wanted]
                if right:
                    answerable.append((found, right[0]))
            return answerable, refusable, asked
        finally:
            await db.close()


def _best(model: ranker.Ranker, rows: list[list[float]]) -> tuple[float, int]:
    scored = [(model.probability(r), i) for i, r in enumerate(rows)]
    return max(scored, key=lambda x: (x[0], -x[1]))


async def train(directory: Path = ranker.TRAINING, shipped: Path | None = None) -> tuple[ranker.Ranker, Report]:
    shipped = shipped or ranker.ROOT / "data" / "articles"
    answerable, refusable, asked = await _groups(directory, shipped)

    def by_topic(floor: float) -> tuple[int, int]:
        probe = ranker.Ranker([0.0] * len(ranker.FEATURES), 0.0, 0.0, floor)
        wrong = sum(1 for refuse, topic, p in asked if not refuse and probe.refuses(topic, p))
        right = sum(1 for refuse, topic, p in asked if refuse and probe.refuses(topic, p))
        return wrong, right

    # refuse by topic where that refuses more questions it should than ones it should not
    floor = max(OFF_ARTICLE_FLOORS, key=lambda f: (by_topic(f)[1] - by_topic(f)[0], -f))
    probe = ranker.Ranker([0.0] * len(ranker.FEATURES), 0.0, 0.0, floor)
    order = list(range(len(answerable)))
    random.Random(SEED).shuffle(order)
    folds = [order[i::FOLDS] for i in range(FOLDS)]
    out_of_fold: list[tuple[float, bool]] = []
    for fold in folds:
        held = set(fold)
        weights, bias = ranker.fit([g for i, g in enumerate(answerable) if i not in held])
        model = ranker.Ranker(weights, bias, 0.0)
        for i in fold:
            rows, right = answerable[i]
            probability, picked = _best(model, rows)
            out_of_fold.append((probability, picked == right))
    weights, bias = ranker.fit(answerable)
    full = ranker.Ranker(weights, bias, 0.0)
    refusal_best = [
        (topic, probabilities, max(_best(full, rows)[0] for rows in per_slug))
        for topic, probabilities, per_slug in refusable
    ]

    def kept(t: float) -> int:
        return sum(1 for p, right in out_of_fold if right and p >= t)

    def refused(t: float) -> int:
        return sum(1 for (topic, probabilities, p) in refusal_best if probe.refuses(topic, probabilities) or p < t)

    # most right answers kept plus refusals refused; the lower threshold on a tie
    threshold = max(THRESHOLDS, key=lambda t: (kept(t) + refused(t), -t))
    model = ranker.Ranker(weights, bias, threshold, floor)
    n = len(out_of_fold) or 1
    report = Report(
        questions=len(answerable),
        refusable=len(refusal_best),
        out_of_fold_top1=sum(right for _, right in out_of_fold) / n,
        threshold=threshold,
        kept=kept(threshold) / n,
        refused=refused(threshold) / (len(refusal_best) or 1),
        off_article=floor,
        topic_refusals=(
            by_topic(floor)[0],
            sum(1 for r, _, _ in asked if not r),
            by_topic(floor)[1],
            sum(1 for r, _, _ in asked if r),
        ),
    )
    return model, report
