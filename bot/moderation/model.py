"""The learned layer: a linear classifier over words, letter groups and context cues.

Trained with scikit-learn (multinomial logistic regression) on the labelled
corpus in ``data/moderation/corpus/``. The shipped model is plain arrays and
JSON (``data/moderation/model/``), never a pickle; ``python -m bot moderation
train`` rebuilds it deterministically: the same corpus gives the same model.

Labels are ``none``, the claim categories and ``crisis``. A model verdict
has three scores, each with its own threshold chosen on out-of-fold
predictions of the training corpus (never on the blind set):

* ``claim``: the probability that the message is any claim. Over the *alert*
  threshold it goes to the moderators' log (private: favours recall).
* the claim's category probability: over the *public* threshold it is
  confident enough for a public reply or removal (precision first).
* ``crisis``: over the crisis threshold the member is offered help (recall
  above everything).

Scoring one message costs a few dictionary look-ups per word: each word's
contribution to every label is cached (see :mod:`bot.moderation.features`).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from pathlib import Path
from sys import intern
from typing import Any

import numpy as np

from bot.moderation import features as F

LABELS = (
    "none",
    "miracle_cure",
    "invented_cause",
    "regulator_conspiracy",
    "dangerous_advice",
    "product_pitch",
    "crisis",
)
CLAIM_LABELS = LABELS[1:-1]
MODEL_VERSION = 1
PARAMS = {
    "C": 2.0,
    "min_df": 2,
    "folds": 4,
    "seed": 0,
    "max_iter": 3000,
    "tol": 1e-4,
    "embedding": F.Embedder.NAME,
    "embedding_scale": 2.0,
}
# Targets the thresholds are chosen for, on out-of-fold predictions (with a margin over the
# figures the bot must reach on unseen messages).
ALERT_PRECISION = 0.93
PUBLIC_PRECISION = 0.985
NEVER_PUBLIC = 1.01  # above any probability: the model alone never acts in public
HYPERBOLE_RATE = 0.07  # the crisis phrases add about 1% more
_CACHE_LIMIT = 30_000  # words whose rows are kept (~300 bytes each)
_NOTHING: dict = {}  # a cached word that starts no word pair or cue phrase (read only)


@dataclass(frozen=True, slots=True)
class Example:
    label: str
    text: str
    subtype: str = ""
    source: str = ""
    weight: float = 1.0


class CorpusError(ValueError):
    pass


def read_tsv(path: Path) -> list[Example]:
    """``label<TAB>subtype<TAB>text<TAB>source`` lines; ``#`` lines are comments."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            raise CorpusError(f"{path}:{n}: expected label, subtype, text and source separated by tabs")
        label, subtype, text = parts[0].strip(), parts[1].strip(), parts[2].strip()
        if label not in LABELS:
            raise CorpusError(f"{path}:{n}: unknown label {label!r}")
        if text:
            # Labels, subtypes and sources repeat: one copy of each (the corpus stays loaded).
            source = intern(parts[3].strip()) if len(parts) > 3 else ""
            out.append(Example(intern(label), text, intern(subtype), source))
    return out


def load_corpus(folder: Path) -> list[Example]:
    """Every ``*.tsv`` of the corpus folder, in name order."""
    examples: list[Example] = []
    for path in sorted(Path(folder).glob("*.tsv")):
        examples.extend(read_tsv(path))
    return examples


def corpus_hash(examples: Iterable[Example]) -> str:
    h = hashlib.sha256()
    h.update(json.dumps(PARAMS, sort_keys=True).encode())
    h.update(str(MODEL_VERSION).encode())
    for ex in examples:
        h.update(f"{ex.label}\t{ex.text}\t{ex.weight}\n".encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Thresholds:
    alert: float
    public: float
    crisis: float

    def as_dict(self) -> dict[str, float]:
        return {"alert": self.alert, "public": self.public, "crisis": self.crisis}


class Scores:
    """What the model thinks of one message."""

    __slots__ = ("probabilities", "claim", "category", "category_score", "crisis")

    def __init__(
        self, probabilities: dict[str, float], claim: float, category: str, category_score: float, crisis: float
    ) -> None:
        self.probabilities = probabilities  # every label's probability
        self.claim = claim  # probability of any claim
        self.category = category  # the most likely claim category
        self.category_score = category_score
        self.crisis = crisis

    def __repr__(self) -> str:
        return f"Scores(claim={self.claim:.3f}, {self.category}={self.category_score:.3f}, crisis={self.crisis:.3f})"


@dataclass
class Model:
    labels: tuple[str, ...]
    word_vocab: list[str]
    char_vocab: list[str]
    word_weights: np.ndarray  # (words, labels): idf x coefficient
    char_weights: np.ndarray  # (letter groups, labels)
    cue_weights: np.ndarray  # (cues, labels)
    emb_weights: np.ndarray  # (embedding dimensions, labels), scale included
    intercept: np.ndarray  # (labels,)
    word_idf: np.ndarray
    char_idf: np.ndarray
    thresholds: Thresholds
    corpus_hash: str
    metrics: dict[str, Any] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._word_index = {f: i for i, f in enumerate(self.word_vocab)}
        # Training sorts the vocabulary; a model made otherwise gets a sorted copy with its positions.
        vocab = self.word_vocab
        if all(a < b for a, b in zip(vocab, vocab[1:], strict=False)):
            self._sorted_vocab: tuple[list[str], list[int] | None] = (vocab, None)
        else:
            order = sorted(range(len(vocab)), key=vocab.__getitem__)
            self._sorted_vocab = ([vocab[i] for i in order], order)
        self._char_index = {f: i for i, f in enumerate(self.char_vocab)}
        self._cue_row = {name: len(self.word_vocab) + i for i, name in enumerate(F.CUE_NAMES)}
        self._embedder = F.embedder()
        self._emb64 = self.emb_weights.astype(np.float64)
        self._labels = len(self.labels)
        self._reset_cache()
        self._intercept64 = self.intercept.astype(np.float64)
        self._claim_list = [self.labels.index(c) for c in CLAIM_LABELS]
        self._crisis_col = self.labels.index("crisis")
        self._neighbours: Any = None
        self._neighbour_files: tuple[Path, Path, Path] | None = None  # shipped with the model
        self._mapped: tuple | None = None  # those files, mapped (see _mapped_neighbours)

    # -- scoring -----------------------------------------------------------
    def _word(self, word: str) -> tuple:
        """A word's cached entry: (its row of the table, cue bits, opening cue bits, the word pairs
        it starts: second word -> the pair's word-feature index, the cue phrases it starts: second
        word -> phrase cues).

        For L labels a row holds word-feature weights (L), letter-group weights summed (L), token
        vectors summed times the embedding weights (L), the letter-group count and the token
        count. A word's row has all five; a word pair's only its word-feature weights. All of it
        is linear in the message's words, so a message sums its words' and pairs' rows in one
        gather and scales each part by its normaliser. Words that start no pair or phrase share
        one empty dictionary, never written to.
        """
        n = self._labels
        grams = F.char_grams(word)
        index = self._char_index
        known = [i for g in grams if (i := index.get(g)) is not None]
        vec, tokens = self._embedder.word_vector(word)
        row, values = self._new_row()
        feature = self._word_index.get(word)
        if feature is not None:
            values[:n] = self.word_weights[feature]
        if known:
            values[n : 2 * n] = self.char_weights[known].sum(axis=0, dtype=np.float64)
        if vec is not None:
            values[2 * n : 3 * n] = vec.astype(np.float64) @ self._emb64
        values[3 * n] = len(grams)
        values[3 * n + 1] = tokens
        bits, opening, phrases = F.word_cues(word)
        # In sorted order, the pairs "word x" are the entries from "word " up to "word!".
        vocab, order = self._sorted_vocab
        first, last = bisect_left(vocab, word + " "), bisect_left(vocab, word + "!")
        pairs = {vocab[i][len(word) + 1 :]: order[i] if order else i for i in range(first, last)}
        hit = (row, bits, opening, pairs or _NOTHING, phrases or _NOTHING)
        self._word_cache[word] = hit
        return hit

    def _new_row(self) -> tuple[int, np.ndarray]:
        row = self._next_row
        if row == len(self._table):
            self._table = np.concatenate([self._table, np.zeros_like(self._table)])
        self._next_row += 1
        return row, self._table[row]

    def _pair(self, feature: int) -> int:
        """The table row of a word pair (word-feature weights only)."""
        row, values = self._new_row()
        values[: self._labels] = self.word_weights[feature]
        self._pair_rows[feature] = row
        return row

    def _reset_cache(self) -> None:
        self._table = np.zeros((1024, 3 * self._labels + 2))  # words and pairs seen so far
        self._next_row = 0
        self._word_cache: dict[str, tuple] = {}
        self._pair_rows: dict[int, int] = {}  # word-pair feature -> its row
        self._cue_sums: dict[int, list[float]] = {}  # cue bits -> intercept plus those cues' weights

    def _base(self, bits: int) -> list[float]:
        """The intercept plus the weights of the cues in ``bits``."""
        base = self._cue_sums.get(bits)
        if base is None:
            total = self.intercept.astype(np.float64)
            for i in range(len(F.CUE_NAMES)):
                if bits >> i & 1:
                    total = total + self.cue_weights[i]
            base = self._cue_sums[bits] = total.tolist()
        return base

    def logits(self, readable: str) -> np.ndarray:
        return np.array(self._logits(readable))

    def _logits(self, readable: str) -> list[float]:
        words = F.tokens(readable)
        if not words:
            return self._base(F.cue_bits(readable, 0, 0))
        cache = self._word_cache
        if len(cache) >= _CACHE_LIMIT:
            self._reset_cache()
            cache = self._word_cache
        miss = self._word
        entries = [cache.get(w) or miss(w) for w in words]
        rows, bits, _, pairs, phrases = zip(*entries, strict=True)
        rows = list(rows)
        bits = reduce(or_, bits)
        if len(words) > 1:
            # Each pair of adjacent words: its word feature, and the cue phrases it starts.
            following = words[1:]
            pair_rows = self._pair_rows
            for feature in map(dict.get, pairs, following):
                if feature is not None:
                    row = pair_rows.get(feature)
                    rows.append(self._pair(feature) if row is None else row)
            if any(phrases):
                for i, starting in enumerate(map(dict.get, phrases, following)):
                    if starting:
                        bits |= F.phrase_bits(words, i, starting)
        base = self._base(F.cue_bits(readable, bits, entries[0][2]))
        # The rows summed: word features (words, then pairs), letter groups, embeddings, counts.
        total = np.add.reduce(self._table.take(rows, axis=0), axis=0).tolist()
        n = self._labels
        # Each group scaled by its normaliser: word features by the square root of their count
        # (words and pairs), letter groups by the square root of theirs, embeddings by the tokens.
        s1 = 1.0 / math.sqrt(2 * len(words) - 1)
        s2 = 1.0 / math.sqrt(total[3 * n])
        tokens = total[3 * n + 1]
        s3 = 1.0 / tokens if tokens else 0.0
        return [
            b + s1 * w + s2 * c + s3 * e
            for b, w, c, e in zip(base, total[:n], total[n : 2 * n], total[2 * n : 3 * n], strict=True)
        ]

    def logits_naive(self, readable: str) -> np.ndarray:
        """The same scores the straightforward way: every feature looked up, nothing cached."""
        wf, grams, cues = F.all_features(readable)
        total = self._intercept64.copy()
        for group, index, weights in ((wf, self._word_index, self.word_weights), (grams, self._char_index, self.char_weights)):
            if group:
                part = np.zeros(len(self.labels))
                for f in group:
                    i = index.get(f)
                    if i is not None:
                        part += weights[i]
                total += part / math.sqrt(len(group))
        for name in cues:
            total += self.cue_weights[F.CUE_NAMES.index(name)]
        words = F.tokens(readable)
        if words:
            total += self._embedder.embed([words])[0] @ self._emb64
        return total


    def score_prepared(self, readable: str, naive: bool = False) -> Scores:
        z = self.logits_naive(readable).tolist() if naive else self._logits(readable)
        top = max(z)
        e = [math.exp(v - top) for v in z]
        norm = sum(e)
        p = [v / norm for v in e]
        claims = [p[i] for i in self._claim_list]
        best = claims.index(max(claims))  # the first of equals, as before
        return Scores(
            dict(zip(self.labels, p, strict=True)), sum(claims), CLAIM_LABELS[best], claims[best],
            p[self._crisis_col],
        )

    def score(self, text: str) -> Scores:
        return self.score_prepared(F.prepare(text))

    # -- explanations ------------------------------------------------------
    def nearest(self, text: str, k: int = 3, extra: Sequence[Example] = ()) -> list[tuple[float, Example]]:
        """The labelled examples most like ``text`` (cosine over letter groups), best first.

        ``extra`` are a server's own examples, searched with the corpus. The shipped corpus's
        vectors are read from their mapped files in blocks, without scipy (which alone would add
        about 10 MB to the bot).
        """
        found: list[tuple[float, int, Example]] = []
        if self.examples:
            sims = self._shipped_similarities(text) if self._neighbour_files is not None else None
            if sims is None:
                sims = (self.neighbour_matrix() @ self._vectors([text]).T).toarray().ravel()
            for i in np.argsort(-sims, kind="stable")[:k]:
                found.append((float(sims[i]), int(i), self.examples[i]))
        if extra:
            sims = (self._vectors([ex.text for ex in extra]) @ self._vectors([text]).T).toarray().ravel()
            for i in np.argsort(-sims, kind="stable")[:k]:
                found.append((float(sims[i]), len(self.examples) + int(i), extra[i]))
        found.sort(key=lambda f: (-f[0], f[1]))
        return [(sim, ex) for sim, _, ex in found[:k] if sim > 0]

    def _gram_counts(self, text: str, per_word: dict[str, list[int]]) -> dict[int, int]:
        """How often each known letter group occurs in a text (``per_word`` caches each word's)."""
        counts: dict[int, int] = {}
        index = self._char_index
        for w in F.tokens(F.prepare(text)):
            known = per_word.get(w)
            if known is None:
                known = per_word[w] = [i for g in F.char_grams(w) if (i := index.get(g)) is not None]
            for i in known:
                counts[i] = counts.get(i, 0) + 1
        return counts

    def _query(self, text: str) -> np.ndarray:
        """The letter-group tf-idf vector of one text, dense and of unit length (as ``_vectors``)."""
        query = np.zeros(len(self.char_vocab), dtype=np.float64)
        for i, c in self._gram_counts(text, {}).items():
            query[i] = c * float(self.char_idf[i])
        norm = float(np.sqrt(query @ query))
        return query / norm if norm > 0 else query

    def _mapped_neighbours(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The shipped vectors' three arrays, mapped once (read, never written)."""
        if self._mapped is None:
            self._mapped = tuple(
                np.load(path, allow_pickle=False, mmap_mode="r") for path in self._neighbour_files or ()
            )
        return self._mapped

    def _shipped_similarities(self, text: str, block: int = 1024) -> np.ndarray | None:
        """Cosine of ``text`` with every shipped example, block by block over the mapped files."""
        data, indices, pointers = self._mapped_neighbours()
        n = len(self.examples)
        if len(pointers) != n + 1:
            return None
        query = self._query(text)
        sims = np.zeros(n)
        for start in range(0, n, block):
            end = min(n, start + block)
            lo, hi = int(pointers[start]), int(pointers[end])
            if hi == lo:
                continue
            products = np.asarray(data[lo:hi], dtype=np.float64) * query[np.asarray(indices[lo:hi], dtype=np.intp)]
            sums = np.concatenate([[0.0], np.cumsum(products)])
            bounds = np.asarray(pointers[start : end + 1], dtype=np.int64) - lo
            sims[start:end] = sums[bounds[1:]] - sums[bounds[:-1]]
        return sims

    def neighbour_matrix(self):
        """The corpus's letter-group vectors: the shipped ones (mapped), else built once (call it
        off the event loop)."""
        if self._neighbours is None:
            if self._neighbour_files is not None:
                from scipy import sparse

                data, indices, pointers = self._mapped_neighbours()
                self._neighbours = sparse.csr_matrix(
                    (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), pointers),
                    shape=(len(self.examples), len(self.char_vocab)),
                    copy=False,
                )
            else:
                self._neighbours = self._vectors([ex.text for ex in self.examples])
        return self._neighbours

    def _vectors(self, texts: Sequence[str]):
        """Letter-group tf-idf vectors of texts, each of unit length (for nearest examples)."""
        from scipy import sparse

        rows, cols, vals = [], [], []
        per_word: dict[str, list[int]] = {}
        for r, text in enumerate(texts):
            counts = self._gram_counts(text, per_word)
            rows.extend([r] * len(counts))
            cols.extend(counts)
            vals.extend(c * float(self.char_idf[i]) for i, c in counts.items())
        m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.char_vocab)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        return sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ m

    # -- storage -----------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "version": MODEL_VERSION,
            "labels": list(self.labels),
            "cues": list(F.CUE_NAMES),
            "corpus_hash": self.corpus_hash,
            "params": PARAMS,
            "thresholds": self.thresholds.as_dict(),
            "metrics": self.metrics,
            "word_vocab": self.word_vocab,
            "char_vocab": self.char_vocab,
        }
        arrays = {name: np.ascontiguousarray(getattr(self, name), dtype=np.float32) for name in _ARRAYS}
        if self.examples:
            # The corpus's letter-group vectors, for the nearest examples without rebuilding them.
            m = self.neighbour_matrix().tocsr()
            # half precision is plenty to rank examples, and halves what the bot maps
            arrays["neighbours_data"] = m.data.astype(np.float16)
            small = len(self.char_vocab) <= np.iinfo(np.uint16).max + 1
            arrays["neighbours_indices"] = m.indices.astype(np.uint16 if small else np.int32)
            arrays["neighbours_indptr"] = m.indptr.astype(np.int64)
        # Each file is written beside its final name and moved into place: a process that has the
        # old files mapped keeps reading the old contents, never a half-written file.
        for name, array in arrays.items():
            _replace(folder / f"{name}.npy", lambda handle, array=array: np.save(handle, array))
        _replace(
            folder / "model.json",
            lambda handle: handle.write(
                (json.dumps(meta, sort_keys=True, ensure_ascii=False, indent=0) + "\n").encode("utf-8")
            ),
        )

    @classmethod
    def load(cls, folder: Path, examples: list[Example] | None = None) -> Model:
        folder = Path(folder)
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        if (
            meta.get("version") != MODEL_VERSION
            or tuple(meta.get("cues", ())) != F.CUE_NAMES
            or meta.get("params", {}).get("embedding") != F.Embedder.NAME
        ):
            raise CorpusError(f"{folder}: model was built by another version; run `python -m bot moderation train`")
        # Mapped, not read: the arrays are only read from (save writes new files, never into these).
        arrays = {name: np.load(folder / f"{name}.npy", allow_pickle=False, mmap_mode="r") for name in _ARRAYS}
        model = cls(
            labels=tuple(meta["labels"]),
            word_vocab=meta["word_vocab"],
            char_vocab=meta["char_vocab"],
            thresholds=Thresholds(**meta["thresholds"]),
            corpus_hash=meta["corpus_hash"],
            metrics=meta.get("metrics", {}),
            examples=list(examples or []),
            **arrays,
        )
        files = tuple(folder / f"neighbours_{part}.npy" for part in ("data", "indices", "indptr"))
        if model.examples and all(path.is_file() for path in files):
            pointers = np.load(files[2], allow_pickle=False, mmap_mode="r")
            if len(pointers) == len(model.examples) + 1 and meta["corpus_hash"] == corpus_hash(model.examples):
                # Opened when an explanation first needs them (scipy is not imported before).
                model._neighbour_files = files
        return model


_ARRAYS = ("word_weights", "char_weights", "cue_weights", "emb_weights", "intercept", "word_idf", "char_idf")


def _replace(path: Path, write) -> None:
    """Write a file through ``write(handle)`` under a temporary name, then rename it into place."""
    part = path.with_name(f".{path.name}.part")
    with open(part, "wb") as handle:
        write(handle)
    os.replace(part, path)


# -- training ---------------------------------------------------------------
def _docs(texts: Sequence[str]):
    """Training documents: (word features, letter groups, cues, words) of each prepared text."""
    out = []
    for text in texts:
        readable = F.prepare(text)
        wf, grams, cues = F.all_features(readable)
        out.append((wf, grams, cues, F.tokens(readable)))
    vectors = F.embedder().embed([d[3] for d in out])
    return [(*d, vectors[i]) for i, d in enumerate(out)]


def _matrix(docs, word_index, char_index, word_idf, char_idf):
    from scipy import sparse

    rows, cols, vals = [], [], []
    n_words, n_chars = len(word_index), len(char_index)
    cue_index = {name: i for i, name in enumerate(F.CUE_NAMES)}
    for r, (wf, grams, cues, _, _) in enumerate(docs):
        for group, index, idf, offset in (
            (wf, word_index, word_idf, 0),
            (grams, char_index, char_idf, n_words),
        ):
            if not group:
                continue
            scale = 1.0 / math.sqrt(len(group))
            counts: dict[int, int] = {}
            for f in group:
                i = index.get(f)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
            for i, c in counts.items():
                rows.append(r)
                cols.append(offset + i)
                vals.append(c * idf[i] * scale)
        for name in cues:
            rows.append(r)
            cols.append(n_words + n_chars + cue_index[name])
            vals.append(1.0)
    shape = (len(docs), n_words + n_chars + len(F.CUE_NAMES))
    X = sparse.csr_matrix((np.array(vals, dtype=np.float64), (rows, cols)), shape=shape)
    E = np.array([d[4] for d in docs]) * PARAMS["embedding_scale"]
    return sparse.hstack([X, sparse.csr_matrix(E)]).tocsr()


def _idf(vocab: list[str], docs: Iterable[list[str]]) -> np.ndarray:
    index = {f: i for i, f in enumerate(vocab)}
    df = np.zeros(len(vocab))
    n = 0
    for feats in docs:
        n += 1
        for f in set(feats):
            i = index.get(f)
            if i is not None:
                df[i] += 1
    return np.log((1 + n) / (1 + df)) + 1.0


def _features(docs) -> tuple[list[str], list[str], np.ndarray, np.ndarray, Any]:
    """Vocabularies, idf and the feature matrix of all training documents.

    The vocabularies and idf use no labels, so they are shared by the cross-validation folds.
    """
    word_vocab = F.vocabulary((d[0] for d in docs), PARAMS["min_df"])
    char_vocab = F.vocabulary((d[1] for d in docs), PARAMS["min_df"])
    word_idf = _idf(word_vocab, (d[0] for d in docs))
    char_idf = _idf(char_vocab, (d[1] for d in docs))
    word_index = {f: i for i, f in enumerate(word_vocab)}
    char_index = {f: i for i, f in enumerate(char_vocab)}
    return word_vocab, char_vocab, word_idf, char_idf, _matrix(docs, word_index, char_index, word_idf, char_idf)


def _fit(X, labels: Sequence[int], weights: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """(coefficients (labels, features), intercepts (labels,)) of the logistic regression."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=PARAMS["C"], max_iter=PARAMS["max_iter"], tol=PARAMS["tol"])
    clf.fit(X, np.asarray(labels), sample_weight=np.asarray(weights, dtype=np.float64))
    coef = np.zeros((len(LABELS), X.shape[1]))
    intercept = np.full(len(LABELS), -30.0)  # a label absent from the data is never predicted
    for row, cls in enumerate(clf.classes_):
        if len(clf.classes_) > 2:
            coef[cls], intercept[cls] = clf.coef_[row], clf.intercept_[row]
        else:
            sign = 1.0 if row else -1.0
            coef[cls], intercept[cls] = sign * clf.coef_[0], sign * clf.intercept_[0]
    return coef, intercept


def _probabilities(X, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    z = X @ coef.T + intercept
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def _model(features, coef, intercept, thresholds: Thresholds, chash: str, metrics, examples) -> Model:
    word_vocab, char_vocab, word_idf, char_idf, _ = features
    nw, nc, nq = len(word_vocab), len(char_vocab), len(F.CUE_NAMES)
    coef = coef.T  # (features, labels)
    return Model(
        labels=LABELS,
        word_vocab=word_vocab,
        char_vocab=char_vocab,
        word_weights=(coef[:nw] * word_idf[:, None]).astype(np.float32),
        char_weights=(coef[nw : nw + nc] * char_idf[:, None]).astype(np.float32),
        cue_weights=coef[nw + nc : nw + nc + nq].astype(np.float32),
        emb_weights=(coef[nw + nc + nq :] * PARAMS["embedding_scale"]).astype(np.float32),
        intercept=intercept.astype(np.float32),
        word_idf=word_idf.astype(np.float32),
        char_idf=char_idf.astype(np.float32),
        thresholds=thresholds,
        corpus_hash=chash,
        metrics=metrics,
        examples=list(examples),
    )


def choose_thresholds(
    probs: np.ndarray, labels: Sequence[str], subtypes: Sequence[str]
) -> tuple[Thresholds, dict[str, Any]]:
    """Thresholds from out-of-fold probabilities, each for what its flag does."""
    claim_cols = [LABELS.index(c) for c in CLAIM_LABELS]
    crisis_col = LABELS.index("crisis")
    is_claim = np.array([lab in CLAIM_LABELS for lab in labels])
    is_crisis = np.array([lab == "crisis" for lab in labels])
    hyperbole = np.array([st == "hyperbole" for st in subtypes])
    claim_p = probs[:, claim_cols].sum(axis=1)
    best = probs[:, claim_cols].argmax(axis=1)
    best_p = probs[:, claim_cols].max(axis=1)
    right_category = np.array(
        [lab in CLAIM_LABELS and CLAIM_LABELS.index(lab) == b for lab, b in zip(labels, best, strict=True)]
    )

    weight = np.ones(len(labels))

    def precision_recall(flags: np.ndarray, positive: np.ndarray) -> tuple[float, float]:
        tp = float(weight[flags & positive].sum())
        flagged = float(weight[flags].sum())
        return (tp / flagged if flagged else 1.0), (
            float((flags & positive).sum()) / positive.sum() if positive.sum() else 1.0
        )

    grid = np.unique(np.round(np.concatenate([np.arange(0.002, 0.05, 0.002), np.arange(0.05, 0.99, 0.01)]), 3))
    # Alert: the lowest threshold whose precision reaches the target (most recall).
    alert = 0.5
    for t in grid:
        p, _ = precision_recall(claim_p >= t, is_claim)
        if p >= ALERT_PRECISION:
            alert = float(t)
            break
    # Public: precision counts only flags of the right category (the reply quotes its note). When
    # no threshold reaches the target, the model alone never acts in public (rules still can).
    public = NEVER_PUBLIC
    for t in np.round(np.concatenate([np.arange(0.5, 0.99, 0.005), np.arange(0.99, 0.9995, 0.001)]), 4):
        flags = best_p >= t
        if flags.sum() == 0:
            break
        if float(weight[flags & right_category].sum()) / float(weight[flags].sum()) >= PUBLIC_PRECISION:
            public = float(t)
            break
    # Crisis: as much recall as hyperbole allows. The lowest threshold at which everyday
    # exaggeration ("this itch is killing me lol") stays rare.
    crisis = float(grid[-1])
    for t in grid:
        rate = float((probs[:, crisis_col] >= t)[hyperbole].mean()) if hyperbole.any() else 0.0
        if rate <= HYPERBOLE_RATE:
            crisis = float(t)
            break
    th = Thresholds(alert=alert, public=public, crisis=crisis)
    ap, ar = precision_recall(claim_p >= alert, is_claim)
    pub = best_p >= public
    cp, cr = precision_recall(probs[:, crisis_col] >= crisis, is_crisis)
    metrics = {
        "examples": len(labels),
        "alert_precision": round(ap, 4),
        "alert_recall": round(ar, 4),
        "public_precision": round(float(weight[pub & right_category].sum()) / max(1e-9, float(weight[pub].sum())), 4),
        "public_share_of_claims": round(float((pub & is_claim).sum()) / max(1, is_claim.sum()), 4),
        "crisis_precision": round(cp, 4),
        "crisis_recall": round(cr, 4),
        "hyperbole_as_crisis": round(
            float((probs[:, crisis_col] >= crisis)[hyperbole].mean()) if hyperbole.any() else 0.0, 4
        ),
    }
    return th, metrics


def train(
    examples: Sequence[Example], *, folds: int | None = None, thresholds: Thresholds | None = None
) -> Model:
    """Fit on every example; thresholds from out-of-fold predictions. Deterministic.

    Given ``thresholds`` (a retraining that keeps the shipped model's), no folds are run.
    """
    from sklearn.model_selection import StratifiedKFold

    if not examples:
        raise CorpusError("no labelled examples to train on")
    docs = _docs([ex.text for ex in examples])
    y = [LABELS.index(ex.label) for ex in examples]
    w = [ex.weight for ex in examples]
    folds = 0 if thresholds is not None else (folds if folds is not None else PARAMS["folds"])
    oof = np.zeros((len(examples), len(LABELS)))
    counts = np.bincount(y, minlength=len(LABELS))
    usable = min(folds, int(counts[counts > 0].min())) if len(examples) >= 20 else 0
    features = _features(docs)
    X = features[4]
    yw = np.asarray(y)
    ww = np.asarray(w, dtype=np.float64)
    if usable >= 2:
        splitter = StratifiedKFold(n_splits=usable, shuffle=True, random_state=PARAMS["seed"])
        for train_idx, test_idx in splitter.split(np.zeros(len(y)), y):
            coef, intercept = _fit(X[train_idx], yw[train_idx], ww[train_idx])
            oof[test_idx] = _probabilities(X[test_idx], coef, intercept)
    if usable >= 2:
        thresholds, metrics = choose_thresholds(oof, [ex.label for ex in examples], [ex.subtype for ex in examples])
    else:
        metrics = {"examples": len(examples)}
        thresholds = thresholds or Thresholds(alert=0.5, public=0.98, crisis=0.3)
    coef, intercept = _fit(X, yw, ww)
    return _model(features, coef, intercept, thresholds, corpus_hash(examples), metrics, examples)
