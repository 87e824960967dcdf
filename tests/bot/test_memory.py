import sys

from bot import memory


def test_freed_memory_is_given_back_where_the_allocator_can():
    big = [bytes(1000) for _ in range(20_000)]  # ~20 MB in small blocks, then freed
    del big
    released = memory.release_free_memory()
    assert isinstance(released, bool)
    if sys.platform.startswith("linux"):
        assert memory._load()  # glibc's malloc_trim was found


def test_a_missing_allocator_call_is_a_no_op(monkeypatch):
    monkeypatch.setattr(memory, "_trim", False)
    assert memory.release_free_memory() is False
