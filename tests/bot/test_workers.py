import os
import threading
from concurrent.futures.process import BrokenProcessPool

from bot.workers import ProcessWorker


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
