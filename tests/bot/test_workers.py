import os
import threading
from concurrent.futures.process import BrokenProcessPool

import pytest

from bot.workers import ProcessWorker


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(") ", 1)[1][0] not in "ZX"
    except OSError:
        return True


def whereabouts() -> tuple[int, str]:
    return os.getpid(), threading.current_thread().name


async def test_work_runs_in_another_process():
    worker = ProcessWorker()
    try:
        pid, _ = await worker.run(whereabouts)
        assert pid != os.getpid()
        again, _ = await worker.run(whereabouts)
        assert again == pid, "the worker process is reused"
    finally:
        worker.close()


async def test_a_broken_process_falls_back_to_a_thread(monkeypatch):
    worker = ProcessWorker()

    class Broken:
        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("worker died")

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(worker, "_executor", lambda: Broken())
    pid, thread = await worker.run(whereabouts)
    assert pid == os.getpid() and thread != threading.main_thread().name


async def test_closing_ends_a_worker_stuck_in_a_long_drawing():
    import asyncio
    import time

    worker = ProcessWorker()
    pid, _ = await worker.run(whereabouts)
    stuck = asyncio.ensure_future(worker.run(time.sleep, 60))
    await asyncio.sleep(0.3)
    began = time.monotonic()
    await worker.aclose(grace=0.5)
    assert time.monotonic() - began < 3
    assert not process_alive(pid)
    with pytest.raises(RuntimeError, match="closed"):
        await stuck  # not drawn again in a thread while the bot stops
    # Closed for good: later work runs in a thread, never in a new process.
    again, _ = await worker.run(whereabouts)
    assert again == os.getpid()
