"""What a question asks about: a topic model learnt from members' own questions.

The training corpus (``data/knowledge/questions*.tsv``) holds member questions
labelled by topic. Treatment names are replaced by one placeholder before
training and before prediction, so the model learns how people ask about
*a* treatment, not about one in particular, and works for articles imported
later.

Features are TF-IDF word unigrams and bigrams, TF-IDF character n-grams
(typos, British and American spellings) and wordllama's static sentence
embedding (lay words near the articles' words); a linear SVM scores the
topics. The trained arrays are plain JSON and ``.npy`` files (never pickle),
kept under a name derived from the corpus hash: they are rebuilt only when the
corpus or the feature recipe changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "data" / "knowledge"  # every questions*.tsv in it
SHIPPED_MODEL = ROOT / "data" / "knowledge" / "model"
RECIPE = "topics-5"  # change when features or classifier change: the cache key includes it
PLACEHOLDER = "medname"

# Topics an article can answer, and the off-article ones that are always refused.
ANSWERABLE = (
    "what_it_is",
    "how_it_works",
    "evidence",
    "side_effects",
    "serious_risks",
    "dependence",
    "withdrawal",
    "interactions",
    "suitability",
    "doctor",
    "combining",
    "monitoring",
    "about_rls",
)
OFF_ARTICLE = ("dosing", "pregnancy", "children", "other_condition", "access", "chat")
TOPIC_NAMES = {
    "what_it_is": "what it is",
    "how_it_works": "how it works",
    "evidence": "the evidence",
    "side_effects": "side effects",
    "serious_risks": "serious risks",
    "dependence": "dependence",
    "withdrawal": "stopping and withdrawal",
    "interactions": "interactions with other medicines",
    "suitability": "who it may not suit",
    "doctor": "what to discuss with your doctor",
    "combining": "combining it with other treatments",
    "monitoring": "keeping track of how it works",
    "about_rls": "RLS itself",
    "dosing": "doses",
    "pregnancy": "pregnancy and breastfeeding",
    "children": "children",
    "other_condition": "other conditions",
    "access": "getting hold of it (prices, prescriptions, generics)",
    "chat": "chat",
}

_SPACE = re.compile(r"\s+")
_APOSTROPHE = re.compile(r"['’]")


def corpus_files(path: Path = CORPUS) -> list[Path]:
    """The corpus: one TSV, or every ``questions*.tsv`` of a folder, in name order."""
    path = Path(path)
    return sorted(path.glob("questions*.tsv")) if path.is_dir() else [path]


def read_corpus(path: Path = CORPUS) -> list[tuple[str, str]]:
    """(topic, question) rows; comment lines and the header are skipped."""
    rows = []
    for line in (ln for f in corpus_files(path) for ln in f.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or parts[0] == "topic":
            continue
        rows.append((parts[0].strip(), parts[1].strip()))
    return rows


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({n.casefold().strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


def normalise(text: str, names: re.Pattern[str] | None) -> str:
    """Lower case, apostrophes dropped ("alzheimer's" -> "alzheimers"), treatment names as one token."""
    text = text.casefold()
    if names is not None:
        text = names.sub(f" {PLACEHOLDER} ", text)
    text = _APOSTROPHE.sub("", text)
    return _SPACE.sub(" ", text).strip()


# -- embeddings -------------------------------------------------------------------
def embed(texts: list[str]) -> np.ndarray:
    """wordllama's static sentence embeddings (the shared table in bot.embeddings; never downloaded)."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    from bot.embeddings import embedder

    return embedder().embed_texts(texts)


# -- features ---------------------------------------------------------------------
_WORD = re.compile(r"(?u)\b\w\w+\b")


def _word_grams(text: str) -> list[str]:
    words = _WORD.findall(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _char_grams(text: str) -> list[str]:
    grams = []
    for word in text.split():
        padded = f" {word} "
        for size in range(2, 6):
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


ANALYSERS = {"word": _word_grams, "char": _char_grams}


@dataclass
class _Block:
    """One TF-IDF block: vocabulary, idf; sublinear tf, l2-normalised like scikit-learn's."""

    analyser: str
    vocabulary: dict[str, int]
    idf: np.ndarray

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of the text's non-zero features."""
        counts: dict[int, int] = {}
        for gram in ANALYSERS[self.analyser](text):
            index = self.vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        return idx, self.weights(idx, np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))

    def weights(self, idx: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """The features' values from their counts: (1 + log count) x idf, l2-normalised."""
        values = (1.0 + np.log(counts)) * self.idf[idx]
        norm = float(np.sqrt((values * values).sum())) or 1.0
        return (values / norm).astype(np.float32)


@dataclass
class Prediction:
    topic: str
    margin: float  # best score minus the runner-up's
    scores: dict[str, float]

    def ranked(self) -> list[str]:
        return sorted(self.scores, key=lambda k: -self.scores[k])

    def among(self, allowed: Iterable[str]) -> Prediction:
        """The same scores with only the allowed topics left in the running."""
        kept = {k: v for k, v in self.scores.items() if k in set(allowed)}
        order = sorted(kept, key=lambda k: -kept[k])
        margin = kept[order[0]] - kept[order[1]] if len(order) > 1 else 0.0
        return Prediction(order[0], margin, kept)


class TopicModel:
    """Linear topic scores over TF-IDF and embedding features."""

    def __init__(self, blocks: list[_Block], coef: np.ndarray, intercept: np.ndarray, classes: list[str]):
        self.blocks = blocks
        self.coef = np.ascontiguousarray(coef, dtype=np.float32)
        self.intercept = intercept.astype(np.float32)
        self.classes = list(classes)
        # the training set's size, from the largest idf (a word used once): ln((1+n)/2) + 1
        self.documents = round(2 * math.exp(float(blocks[0].idf.max()) - 1) - 1) if blocks else 0

    def uses(self, word: str) -> int:
        """How many training questions use the word (from its idf)."""
        block = self.blocks[0]
        index = block.vocabulary.get(word.casefold())
        if index is None:
            return 0
        # idf = ln((1 + n) / (1 + df)) + 1
        return max(0, round((1 + self.documents) / math.exp(float(block.idf[index]) - 1) - 1))

    def is_rare(self, word: str, most: int = 3) -> bool:
        """Whether at most ``most`` training questions use the word: a specific term, not phrasing."""
        block = self.blocks[0]
        index = block.vocabulary.get(word.casefold())
        if index is None:
            return True
        # idf = ln((1 + n) / (1 + df)) + 1, so df <= most  <=>  idf >= ln((1 + n) / (1 + most)) + 1
        return float(block.idf[index]) >= math.log((1 + self.documents) / (1 + most)) + 1 - 1e-9

    def scores(self, text: str, vector: np.ndarray | None = None) -> np.ndarray:
        """Each class's score: only the columns of the text's features are read."""
        out = self.intercept.copy()
        offset = 0
        for block in self.blocks:
            idx, values = block.row(text)
            if len(idx):
                out += self.coef[:, offset + idx] @ values
            offset += len(block.vocabulary)
        vector = embed([text])[0] if vector is None else vector
        out += self.coef[:, offset:] @ vector.astype(np.float32)
        return out

    def scores_many(self, texts: list[str]) -> np.ndarray:
        """``scores`` for many texts at once, one row each (the same numbers): each word's
        character n-grams are looked up once for all of them, and the embeddings come in one batch."""
        out = np.tile(self.intercept, (len(texts), 1)).astype(np.float32)
        if not texts:
            return out
        offset = 0
        for block in self.blocks:
            vocabulary, per_word = block.vocabulary, {}
            columns = self.coef[:, offset : offset + len(vocabulary)]
            for row, text in enumerate(texts):
                if block.analyser == "char":
                    ids: list[int] = []
                    for word in text.split():
                        known = per_word.get(word)
                        if known is None:
                            known = per_word[word] = [vocabulary[g] for g in _char_grams(word) if g in vocabulary]
                        ids.extend(known)
                else:
                    ids = [vocabulary[g] for g in ANALYSERS[block.analyser](text) if g in vocabulary]
                if not ids:
                    continue
                idx, counts = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
                out[row] += columns[:, idx] @ block.weights(idx, counts)
            offset += len(vocabulary)
        out += embed(texts).astype(np.float32) @ self.coef[:, offset:].T
        return out

    def predict(self, text: str, vector: np.ndarray | None = None) -> Prediction:
        scores = self.scores(text, vector)
        order = np.argsort(-scores)
        best, second = int(order[0]), int(order[1])
        return Prediction(
            self.classes[best],
            float(scores[best] - scores[second]),
            {c: float(s) for c, s in zip(self.classes, scores, strict=True)},
        )

    # -- training and storage ----------------------------------------------------
    @classmethod
    def train(cls, texts: list[str], labels: list[str], *, c: float = 1.0) -> TopicModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        word = TfidfVectorizer(analyzer=_word_grams, sublinear_tf=True)
        char = TfidfVectorizer(analyzer=_char_grams, sublinear_tf=True, min_df=2)
        from scipy.sparse import csr_matrix, hstack

        matrix = hstack(
            [word.fit_transform(texts), char.fit_transform(texts), csr_matrix(embed(texts))]
        ).tocsr()
        svm = LinearSVC(C=c, random_state=0).fit(matrix, labels)
        blocks = [
            _Block("word", {k: int(v) for k, v in word.vocabulary_.items()}, word.idf_),
            _Block("char", {k: int(v) for k, v in char.vocabulary_.items()}, char.idf_),
        ]
        return cls(blocks, svm.coef_, svm.intercept_, [str(x) for x in svm.classes_])

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "classes": self.classes,
            "blocks": [{"analyser": b.analyser, "vocabulary": b.vocabulary} for b in self.blocks],
        }
        tmp = directory / "meta.json.tmp"
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        for name, array in (
            ("coef", self.coef),
            ("intercept", self.intercept),
            *((f"idf{i}", b.idf) for i, b in enumerate(self.blocks)),
        ):
            np.save(directory / f"{name}.npy", np.asarray(array), allow_pickle=False)
        tmp.replace(directory / "meta.json")

    @classmethod
    def load(cls, directory: Path) -> TopicModel:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        blocks = [
            _Block(b["analyser"], b["vocabulary"], np.load(directory / f"idf{i}.npy", allow_pickle=False))
            for i, b in enumerate(meta["blocks"])
        ]
        return cls(
            blocks,
            np.load(directory / "coef.npy", allow_pickle=False),
            np.load(directory / "intercept.npy", allow_pickle=False),
            meta["classes"],
        )


def training_names() -> list[str]:
    from bot.knowledge.importer import KNOWN_NAMES

    return list(KNOWN_NAMES)


def corpus_key(path: Path = CORPUS) -> str:
    digest = hashlib.sha256(RECIPE.encode())
    digest.update("\n".join(sorted(training_names())).encode())
    for file in corpus_files(path):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    return Path(os.environ.get("BOT_CACHE_DIR") or ROOT / "data" / "cache")


def train_corpus(corpus: Path = CORPUS) -> TopicModel:
    rows = read_corpus(corpus)
    pattern = names_pattern(training_names())
    return TopicModel.train([normalise(q, pattern) for _, q in rows], [t for t, _ in rows])


def ship(corpus: Path = CORPUS) -> Path:
    """Train the topic model into ``data/knowledge/model/<corpus key>/``; drop stale ones."""
    import shutil

    key = corpus_key(corpus)
    dest = SHIPPED_MODEL / key
    if not (dest / "meta.json").exists():
        train_corpus(corpus).save(dest)
    for old in SHIPPED_MODEL.iterdir():
        if old.is_dir() and old.name != key:
            shutil.rmtree(old)
    with _MODELS_LOCK:
        _MODELS.pop(key, None)
    return dest


_MODELS: dict[str, TopicModel] = {}
_MODELS_LOCK = threading.Lock()


def load_model(corpus: Path = CORPUS) -> TopicModel:
    """The topic model for the corpus: from memory, the shipped arrays, the cache, or trained now."""
    key = corpus_key(corpus)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is not None:
            return model
        for directory in (SHIPPED_MODEL / key, cache_dir() / f"topics-{key}"):
            if (directory / "meta.json").exists():
                try:
                    model = TopicModel.load(directory)
                    break
                except (OSError, ValueError, KeyError) as exc:
                    log.warning("topic model in %s unreadable (%s); training again", directory, exc)
        if model is None:
            model = train_corpus(corpus)
            try:
                model.save(cache_dir() / f"topics-{key}")
            except OSError as exc:
                log.warning("could not cache the topic model: %s", exc)
        _MODELS[key] = model
        return model
