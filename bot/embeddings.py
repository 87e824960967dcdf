"""Static word embeddings from the ``wordllama`` package, loaded once per process.

Only its tokenizer and its embedding table are read, from the package's own folder (nothing is
downloaded). The table (float16, 16 MB) is mapped from the package's file, not read: only the
rows of tokens actually met are ever loaded. Moderation and the knowledge base share the one
copy. No discord imports.
"""

from __future__ import annotations

import json
import mmap
import struct
import threading


def map_safetensor(path: str, name: str):
    """One tensor of a ``.safetensors`` file as a read-only array over the mapped file.

    The format is an 8-byte little-endian header length, a JSON header giving each tensor's
    dtype, shape and byte range after the header, then the raw little-endian data.
    """
    import numpy as np

    dtypes = {"F16": "<f2", "F32": "<f4", "F64": "<f8", "BF16": None}
    with open(path, "rb") as handle:
        (size,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(size))
        info = header[name]
        dtype = dtypes.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: {name} is {info['dtype']}, not a float16/32/64 tensor")
        start, end = info["data_offsets"]
        shape = tuple(info["shape"])
        if end - start != int(np.prod(shape)) * np.dtype(dtype).itemsize:
            raise ValueError(f"{path}: {name} has {end - start} bytes for shape {shape}")
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    return np.frombuffer(mapped, dtype=dtype, count=int(np.prod(shape)), offset=8 + size + start).reshape(shape)


class Embedder:
    """Static word embeddings from the ``wordllama`` package (its own files, nothing downloaded).

    A message's embedding is the mean of its tokens' vectors (wordllama's average pooling),
    computed word by word so each word is looked up once and cached: the sum of a word's
    token vectors and its token count are all a message needs.
    Only the tokenizer and the embedding table are loaded; the table (float16) is mapped.
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
        self.table = map_safetensor(os.path.join(root, "weights", "l2_supercat_256.safetensors"), "embedding.weight")
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
