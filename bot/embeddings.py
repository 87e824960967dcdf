"""Static word embeddings from the ``wordllama`` package, loaded once per process.

Only its tokenizer and its embedding table are used, from the package's own folder (nothing is
downloaded). The table (float16, 16 MB) is not loaded: the rows of the tokens a text has are
read from the package's file when they are needed (see :class:`TableRows`), so the bot holds
the tokenizer only. Moderation and the knowledge base share the one copy. No discord imports.
"""

from __future__ import annotations

import json
import os
import struct
import threading

_DTYPES = {"F16": "<f2", "F32": "<f4", "F64": "<f8"}


class TableRows:
    """A 2-D tensor of a ``.safetensors`` file, read row by row from the file (never loaded whole).

    ``rows[ids]`` is a new array of those rows; ``len``, ``shape`` and ``dtype`` are the tensor's.
    The file stays open; reads are positional, so threads can share it. The format is an 8-byte
    little-endian header length, a JSON header giving each tensor's dtype, shape and byte range
    after the header, then the raw little-endian data.
    """

    def __init__(self, path: str, name: str) -> None:
        import numpy as np

        self._fd = -1
        with open(path, "rb") as handle:
            (size,) = struct.unpack("<Q", handle.read(8))
            header = json.loads(handle.read(size))
        info = header[name]
        if info["dtype"] not in _DTYPES or len(info["shape"]) != 2:
            raise ValueError(f"{path}: {name} is not a 2-D float16/32/64 tensor")
        self.dtype = np.dtype(_DTYPES[info["dtype"]])
        self.shape = (int(info["shape"][0]), int(info["shape"][1]))
        start, end = info["data_offsets"]
        self._row = self.shape[1] * self.dtype.itemsize
        if end - start != self.shape[0] * self._row:
            raise ValueError(f"{path}: {name} has {end - start} bytes for shape {self.shape}")
        self._start = 8 + size + start
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, ids):
        import numpy as np

        row, start, fd = self._row, self._start, self._fd
        parts = []
        for i in np.asarray(ids, dtype=np.int64).ravel().tolist():
            if not 0 <= i < self.shape[0]:
                raise IndexError(f"row {i} is out of range for {self.shape[0]} rows")
            part = os.pread(fd, row, start + i * row)
            if len(part) != row:
                raise OSError(f"short read of row {i}")
            parts.append(part)
        return np.frombuffer(b"".join(parts), dtype=self.dtype).reshape(len(parts), self.shape[1])

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self) -> None:
        self.close()


class Embedder:
    """Static word embeddings from the ``wordllama`` package (its own files, nothing downloaded).

    A message's embedding is the mean of its tokens' vectors (wordllama's average pooling),
    computed word by word so each word is looked up once and cached: the sum of a word's
    token vectors and its token count are all a message needs.
    Only the tokenizer is loaded; the embedding table's rows are read as tokens need them.
    """

    NAME = "wordllama-l2_supercat-256"

    def __init__(self) -> None:
        import importlib.util
        import os

        from tokenizers import Tokenizer

        spec = importlib.util.find_spec("wordllama")
        if spec is None or spec.origin is None:
            raise RuntimeError("the wordllama package is not installed")
        root = os.path.dirname(spec.origin)
        self._tokenizer = Tokenizer.from_file(os.path.join(root, "tokenizers", "l2_supercat_tokenizer_config.json"))
        self.table = TableRows(os.path.join(root, "weights", "l2_supercat_256.safetensors"), "embedding.weight")
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
