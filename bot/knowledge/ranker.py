"""Which section of a treatment's article answers a question, and whether any does.

A small linear model weighs what is known about each section against the question:
how strongly the section covers each topic, weighted by how likely the question is to ask
about that topic (the topic model's scores, softened, so a near tie still counts), what the
topic model itself reads in the heading (headings are often questions: "Who should avoid it"), the
question's specific words the section uses, how close the two are in wordllama's embedding
space, and where the section sits in its article. Its output is a probability that the
section answers the question, so one threshold decides whether to answer at all.

It is trained on member questions labelled with the section that answers them
(``data/knowledge/section_questions/``: questions about the shipped articles and three
raw articles imported as an admin would import them). ``python -m bot knowledge train``
rebuilds ``data/knowledge/ranker.json`` from them; the same data gives the same weights.
No discord imports.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.sections import SUMMARY_ASKED, SUMMARY_HEADING
from bot.knowledge.topics import ANSWERABLE, OFF_ARTICLE

ROOT = Path(__file__).resolve().parents[2]
WEIGHTS = ROOT / "data" / "knowledge" / "ranker.json"
TRAINING = ROOT / "data" / "knowledge" / "section_questions"
SOFTNESS = 2.0  # topic scores -> probabilities: exp(SOFTNESS * score), normalised
STRENGTH_CAP = 7.0  # a section's topic strength counts up to this (a heading plus four sentences)
FEATURES = (
    "soft_topic",  # sum over topics of P(topic) x the section's strength on it
    "best_topic",  # the section's strength on the most likely topic
    "covers_best",  # whether the section covers the most likely topic at all
    "rare_words",  # question words only this section (or few) of the article uses
    "word_share",  # share of the question's meaningful words the section uses
    "similarity",  # cosine of question and section embeddings
    "similarity_gap",  # that cosine minus the article's best one (0 for the closest section)
    "heading_words",  # question words the heading uses
    "word_focus",  # of the article's uses of the question's words, the share this section has
    "first",  # the article's first section
    "last",  # its last one
    "summary",  # a conclusion or summary
    "summary_asked",  # ... and the question wants the overall view ("bottom line, worth it?")
    "heading_soft",  # sum over topics of P(topic) x the topic model's reading of the heading
    "heading_best",  # the heading's reading on the most likely topic
    "content_soft",  # sum over topics of P(topic) x the topic model's reading of the sentences
    "content_best",  # the sentences' reading on the most likely topic
    *(f"topic:{t}" for t in ANSWERABLE),  # P(topic) x strength, topic by topic
)


def off_article_share(probabilities: dict[str, float]) -> float:
    """How likely the question is, in all, to ask something off-article."""
    return sum(p for t, p in probabilities.items() if t in OFF_ARTICLE)


def topic_probabilities(scores: dict[str, float]) -> dict[str, float]:
    """The topic model's scores as probabilities (softmax at SOFTNESS)."""
    if not scores:
        return {}
    top = max(scores.values())
    raw = {k: math.exp(SOFTNESS * (v - top)) for k, v in scores.items()}
    total = sum(raw.values())
    return {k: v / total for k, v in raw.items()}


@dataclass(frozen=True)
class Candidate:
    """What is known about one section for one question."""

    topics: dict[str, float]  # the section's topic strengths
    rare_words: int
    word_share: float
    similarity: float
    similarity_gap: float
    heading_words: int
    position: int
    sections: int
    heading: str
    question: str = ""
    heading_topics: dict[str, float] = field(default_factory=dict)  # the topic model reading the heading
    # topic by topic, the topic model's surest reading of any one of the section's sentences
    content_topics: dict[str, float] = field(default_factory=dict)
    word_focus: float = 0.0


def features(best: str, probabilities: dict[str, float], c: Candidate) -> list[float]:
    def strength(topic: str) -> float:
        return min(c.topics.get(topic, 0.0), STRENGTH_CAP) / STRENGTH_CAP

    soft = sum(p * strength(t) for t, p in probabilities.items() if t in c.topics)
    return [
        soft,
        strength(best),
        float(best in c.topics),
        float(c.rare_words),
        c.word_share,
        c.similarity,
        c.similarity_gap,
        float(c.heading_words),
        c.word_focus,
        float(c.position == 0),
        float(c.position == c.sections - 1),
        float(summary := bool(SUMMARY_HEADING.search(c.heading))),
        float(summary and bool(SUMMARY_ASKED.search(c.question))),
        sum(p * c.heading_topics.get(t, 0.0) for t, p in probabilities.items()),
        c.heading_topics.get(best, 0.0),
        sum(p * c.content_topics.get(t, 0.0) for t, p in probabilities.items()),
        c.content_topics.get(best, 0.0),
        *(probabilities.get(t, 0.0) * strength(t) for t in ANSWERABLE),
    ]


class Ranker:
    """P(section answers question) = sigmoid(weights . features + bias)."""

    def __init__(
        self,
        weights: list[float],
        bias: float,
        threshold: float,
        off_article: float = 0.0,
        doubt_off: float = 1.0,
        doubt_below: float = 0.0,
    ) -> None:
        if len(weights) != len(FEATURES):
            raise ValueError(f"expected {len(FEATURES)} weights, got {len(weights)}")
        self.weights = [float(w) for w in weights]
        self.bias = float(bias)
        self.threshold = float(threshold)  # below this, no section answers the question
        # an off-article topic (doses, pregnancy, chat...) refuses when it is the likeliest topic
        # and at least this likely
        self.off_article = float(off_article)
        # a question that may well ask something off-article (its off-article topics together at
        # least doubt_off likely) needs a surer section: doubt_below instead of the threshold
        self.doubt_off = float(doubt_off)
        self.doubt_below = float(doubt_below)

    def doubtful(self, probabilities: dict[str, float]) -> bool:
        """Whether the question may well ask what the articles never answer (doses, chat...)."""
        return off_article_share(probabilities) >= self.doubt_off

    def answer_floor(self, probabilities: dict[str, float]) -> float:
        """How likely a section must be to answer this question."""
        return max(self.threshold, self.doubt_below) if self.doubtful(probabilities) else self.threshold

    def refuses(self, topic: str, probabilities: dict[str, float]) -> bool:
        """Whether the question asks something the articles never answer."""
        if topic not in OFF_ARTICLE:
            return False
        return probabilities.get(topic, 0.0) >= self.off_article

    def probability(self, row: list[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, row, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_json(self) -> str:
        return (
            json.dumps(
                {
                    "features": list(FEATURES),
                    "weights": [round(w, 6) for w in self.weights],
                    "bias": round(self.bias, 6),
                    "threshold": round(self.threshold, 4),
                    "off_article": round(self.off_article, 4),
                    "doubt_off": round(self.doubt_off, 4),
                    "doubt_below": round(self.doubt_below, 4),
                },
                indent=1,
            )
            + "\n"
        )

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Ranker:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError(f"{path}: trained on other features; run `python -m bot knowledge train`")
        return cls(
            data["weights"],
            data["bias"],
            data["threshold"],
            data["off_article"],
            data.get("doubt_off", 1.0),
            data.get("doubt_below", 0.0),
        )


L2 = 10.0  # the conditional logit's penalty, chosen on the by-article figures


def fit(groups: list[tuple[list[list[float]], int]], *, l2: float = L2) -> tuple[list[float], float]:
    """(weights, bias) from (candidate rows, index of the right one) groups.

    The weights are a conditional logit: for each question, a softmax over its article's sections
    that the right one should win (what ranking needs), with an L2 penalty, on standardised
    features. A one-feature logistic fit of every row's score then turns scores into the
    probability that a section answers, for the answer threshold. Deterministic: L-BFGS from zero.
    """
    import numpy as np
    from scipy.optimize import minimize
    from sklearn.linear_model import LogisticRegression

    blocks = [np.asarray(rows, dtype=np.float64) for rows, _ in groups]
    rights = [right for _, right in groups]
    every = np.vstack(blocks)
    mean, scale = every.mean(axis=0), every.std(axis=0) + 1e-9
    blocks = [(b - mean) / scale for b in blocks]
    dimensions = every.shape[1]

    def loss(w):
        total, gradient = 0.0, np.zeros(dimensions)
        for rows, right in zip(blocks, rights, strict=True):
            scores = rows @ w
            top = scores.max()
            exp = np.exp(scores - top)
            share = exp / exp.sum()
            total -= scores[right] - top - np.log(exp.sum())
            gradient += rows.T @ share - rows[right]
        return total + 0.5 * l2 * float(w @ w), gradient + l2 * w

    w = minimize(loss, np.zeros(dimensions), jac=True, method="L-BFGS-B").x
    scores = np.concatenate([rows @ w for rows in blocks])
    labels = np.concatenate(
        [np.arange(len(rows)) == right for rows, right in zip(blocks, rights, strict=True)]
    )
    calibration = LogisticRegression(C=100.0).fit(scores[:, None], labels.astype(int))
    a, b = float(calibration.coef_[0][0]), float(calibration.intercept_[0])
    weights = a * w / scale
    return [float(x) for x in weights], b - float(weights @ mean)
