"""Static word embeddings from the ``wordllama`` package, loaded once per process.

Only its tokenizer and its embedding table are read, from the package's own folder (nothing is
downloaded), and the table is kept as float16 (16 MB). Moderation and the knowledge base share
the one copy. No discord imports.
"""

from __future__ import annotations

import threading


class Embedder:
    """Static word embeddings from the ``wordllama`` package (its own files, nothing downloaded).

    A message's embedding is the mean of its tokens' vectors (wordllama's average pooling),
    computed word by word so each word is looked up once and cached: the sum of a word's
    token vectors and its token count are all a message needs.
    Only the tokenizer and the embedding table are loaded, as float16 (16 MB).
    """

    NAME = "wordllama-l2_supercat-256"

    def __init__(self) -> None:
        import importlib.util
        import os

        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        spec = importlib.util.find_spec("wordllama")
        if spec is None or spec.origin is None:
            raise RuntimeError("the wordllama package is not installed")
        root = os.path.dirname(spec.origin)
        self._tokenizer = Tokenizer.from_file(os.path.join(root, "tokenizers", "l2_supercat_tokenizer_config.json"))
        table = load_file(os.path.join(root, "weights", "l2_supercat_256.safetensors"))["embedding.weight"]
        import numpy as np

        self.table = np.ascontiguousarray(table, dtype=np.float16)
        self.dim = int(self.table.shape[1])

    def ids(self, word: str) -> list[int]:
        return self._tokenizer.encode(word, add_special_tokens=False).ids

    def word_vector(self, word: str):
        """(sum of the word's token vectors, its token count); (None, 0) for no tokens."""
        ids = self.ids(word)
        return (self.table[ids].sum(axis=0, dtype="float32"), len(ids)) if ids else (None, 0)

    def embed_texts(self, texts: list[str]):
        """wordllama's own sentence embedding: the whole text tokenized, tokens mean-pooled, normalised."""
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, enc in enumerate(self._tokenizer.encode_batch(texts, is_pretokenized=False, add_special_tokens=False)):
            ids = [i for i, m in zip(enc.ids, enc.attention_mask, strict=False) if m]
            if ids:
                vec = self.table[np.clip(ids, 0, len(self.table) - 1)].mean(axis=0, dtype=np.float32)
                norm = float(np.linalg.norm(vec))
                out[r] = vec / norm if norm > 0 else vec
        return out

    def embed(self, texts: list[list[str]]):
        """Mean-pooled embeddings of tokenised texts (one row each; zero rows for empty texts)."""
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        cache: dict[str, tuple] = {}
        for r, words in enumerate(texts):
            count = 0
            for w in words:
                if w in cache:
                    vec, n = cache[w]
                else:
                    vec, n = cache[w] = self.word_vector(w)
                if vec is not None:
                    out[r] += vec
                    count += n
            if count:
                out[r] /= count
        return out


_EMBEDDER: Embedder | None = None
_LOCK = threading.Lock()


def embedder() -> Embedder:
    """The process's one embedder, loaded on first use (thread-safe)."""
    global _EMBEDDER
    with _LOCK:
        if _EMBEDDER is None:
            _EMBEDDER = Embedder()
        return _EMBEDDER
