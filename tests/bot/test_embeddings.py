"""The shared word embeddings: the table's rows read from wordllama's own file as tokens need them."""

from __future__ import annotations

import importlib.util
import json
import os
import struct

import numpy as np
import pytest

from bot.embeddings import TableRows, embedder


def _weights() -> str:
    spec = importlib.util.find_spec("wordllama")
    assert spec is not None and spec.origin is not None
    return os.path.join(os.path.dirname(spec.origin), "weights", "l2_supercat_256.safetensors")


def test_the_rows_read_are_the_packages_table():
    from safetensors.numpy import load_file

    table = embedder().table
    expected = load_file(_weights())["embedding.weight"]
    assert table.dtype == np.float16 and table.shape == expected.shape and len(table) == len(expected)
    every = table[np.arange(len(table))]
    assert every.dtype == np.float16 and np.array_equal(every, expected)
    assert np.array_equal(table[[5, 5, 31999, 0]], expected[[5, 5, 31999, 0]])
    assert table[[]].shape == (0, expected.shape[1])
    ids = embedder().ids("pramipexole")
    vec, count = embedder().word_vector("pramipexole")
    assert count == len(ids) and np.array_equal(vec, expected[ids].sum(axis=0, dtype=np.float32))


def test_a_tensor_is_read_from_its_offsets_and_checked(tmp_path):
    data = np.arange(12, dtype="<f4").reshape(3, 4)
    other = np.ones(5, dtype="<f2")
    header = {
        "__metadata__": {"format": "np"},
        "other": {"dtype": "F16", "shape": [5], "data_offsets": [0, 10]},
        "table": {"dtype": "F32", "shape": [3, 4], "data_offsets": [10, 58]},
    }

    def write(header):
        raw = json.dumps(header).encode()
        path = tmp_path / "t.safetensors"
        path.write_bytes(struct.pack("<Q", len(raw)) + raw + other.tobytes() + data.tobytes())
        return str(path)

    rows = TableRows(write(header), "table")
    assert rows.shape == (3, 4) and np.array_equal(rows[[2, 0]], data[[2, 0]])
    with pytest.raises(IndexError):
        rows[[3]]
    with pytest.raises(ValueError, match="not a 2-D"):
        TableRows(write(header), "other")
    header["table"]["shape"] = [4, 4]
    with pytest.raises(ValueError, match="bytes for shape"):
        TableRows(write(header), "table")
