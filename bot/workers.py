"""A worker process for CPU-heavy work: drawing charts, training, reading articles.

matplotlib holds the GIL for long stretches while it renders, so even in a
thread a chart can stall the event loop for 100 ms. Drawing in a separate
process keeps the loop free, and keeps matplotlib out of the bot's own
memory. If a process cannot be used, the work falls back to a thread.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def _leave_interrupts_to_the_bot() -> None:
    """Ctrl-C in a terminal reaches the whole process group: the bot shuts the worker down itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ProcessWorker:
    """``await worker.run(fn, *args)``: ``fn`` and its arguments must be picklable."""

    def __init__(self, purpose: str = "drawing") -> None:
        self.purpose = purpose  # what the process is for, in log messages
        self._pool: ProcessPoolExecutor | None = None
        self._disabled = False
        self._closed = False

    def _executor(self) -> ProcessPoolExecutor | None:
        if self._pool is None and not self._disabled:
            try:
                # spawn, not fork: the bot process has threads (aiosqlite) that fork would copy mid-lock.
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_leave_interrupts_to_the_bot,
                )
            except (OSError, ValueError):
                log.warning("no worker process available; %s in a thread", self.purpose, exc_info=True)
                self._disabled = True
        return self._pool

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        pool = self._executor()
        if pool is not None:
            try:
                return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
            except BrokenProcessPool:
                if self._closed:
                    raise RuntimeError(f"the {self.purpose} worker was closed (the bot is stopping)") from None
                log.warning("the %s process died; starting a new one next time", self.purpose, exc_info=True)
                self.close()
        return await asyncio.to_thread(fn, *args)

    def close(self) -> None:
        """Stop taking work and let the process exit (it finishes what it is drawing)."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=False, cancel_futures=True)

    async def aclose(self, grace: float = 3.0) -> None:
        """Stop the worker process for good: it gets ``grace`` seconds to finish, then is killed."""
        pool, self._pool = self._pool, None
        self._disabled = self._closed = True  # nothing starts a new process after shutdown
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        await asyncio.to_thread(_end_processes, processes, grace, self.purpose)


def _end_processes(processes: list, timeout: float, purpose: str = "drawing") -> None:
    for process in processes:
        process.join(timeout)
    for process in processes:
        if process.is_alive():
            log.warning("the %s process did not stop in %.0f s; killing it", purpose, timeout)
            process.kill()
            process.join(1.0)
