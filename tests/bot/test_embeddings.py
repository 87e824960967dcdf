"""The shared word embeddings: the table mapped from wordllama's own file."""

from __future__ import annotations

import importlib.util
import json
import os
import struct

import numpy as np
import pytest

from bot.embeddings import embedder, map_safetensor


def _weights() -> str:
    spec = importlib.util.find_spec("wordllama")
    assert spec is not None and spec.origin is not None
    return os.path.join(os.path.dirname(spec.origin), "weights", "l2_supercat_256.safetensors")


def test_the_mapped_table_is_the_packages_table():
    from safetensors.numpy import load_file

    table = embedder().table
    expected = load_file(_weights())["embedding.weight"]
    assert table.dtype == np.float16 and table.shape == expected.shape
    assert np.array_equal(table, expected)
    assert not table.flags.writeable  # shared, read-only pages of the file


def test_a_tensor_is_read_from_its_offsets_and_checked(tmp_path):
    data = np.arange(12, dtype="<f4").reshape(3, 4)
    other = np.ones(5, dtype="<f2")
    header = {
        "__metadata__": {"format": "np"},
        "other": {"dtype": "F16", "shape": [5], "data_offsets": [0, 10]},
        "table": {"dtype": "F32", "shape": [3, 4], "data_offsets": [10, 58]},
    }
    raw = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + other.tobytes() + data.tobytes())
    assert np.array_equal(map_safetensor(str(path), "table"), data)
    assert np.array_equal(map_safetensor(str(path), "other"), other)
    header["table"]["shape"] = [4, 4]
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + other.tobytes() + data.tobytes())
    with pytest.raises(ValueError, match="bytes for shape"):
        map_safetensor(str(path), "table")
