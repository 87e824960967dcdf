"""A token bucket that paces outgoing requests (e.g. ≤ 50 Discord requests/s).

The clock and the sleep function are injected, so it is testable without
waiting and follows simulated time in tests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class Pacer:
    """``await pacer.acquire()`` before each request: at most ``rate`` per second,
    with bursts of at most ``burst``. Waiters are served in arrival order.

    Any window of ``w`` seconds holds at most ``burst + rate * w`` requests, so
    ``Pacer(40, 10)`` never sends more than 50 in any second.
    """

    def __init__(
        self,
        rate: float = 40.0,
        burst: int | None = 10,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        self.burst = float(burst if burst is not None else max(1, int(rate)))
        if self.burst < 1:
            raise ValueError("burst must be at least 1")
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.burst
        self._stamp = clock()
        self._lock = asyncio.Lock()
        self.waited = 0.0  # total seconds spent waiting, for measurements

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self, tokens: float = 1.0) -> None:
        async with self._lock:
            self._refill()
            while self._tokens < tokens - 1e-9:  # tolerate float rounding
                delay = (tokens - self._tokens) / self.rate
                self.waited += delay
                await self._sleep(delay)
                self._refill()
            self._tokens -= tokens

    def penalise(self, seconds: float) -> None:
        """After a 429, spend the bucket so nothing else goes out for ``seconds``."""
        self._refill()
        self._tokens = min(self._tokens, 0.0) - seconds * self.rate
