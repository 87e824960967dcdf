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
    with bursts of at most ``burst``.

    Any window of ``w`` seconds holds at most ``burst + rate * w`` requests, so
    ``Pacer(48, 2)`` never sends more than 50 in any second. Each caller
    reserves its slot without awaiting anything (the bucket may go into
    debt), so concurrent callers are served in call order with no lock.
    """

    def __init__(
        self,
        rate: float = 40.0,
        burst: int | None = 10,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        self.burst = float(burst if burst is not None else max(1, int(rate)))
        if self.burst < 1:
            raise ValueError("burst must be at least 1")
        # Looked up at call time, so a patched (simulated) clock is honoured.
        self._clock = clock or (lambda: time.monotonic())
        self._sleep = sleep or (lambda seconds: asyncio.sleep(seconds))
        self._tokens = self.burst
        self._stamp = self._clock()
        self.waited = 0.0  # total seconds callers spent waiting, for measurements
        self.longest_wait = 0.0  # the furthest slot handed out: how long a burst was spread over

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def reserve(self, tokens: float = 1.0) -> float:
        """Take ``tokens`` now; returns how long the caller must wait before using them."""
        self._refill()
        self._tokens -= tokens
        if self._tokens >= -1e-9:
            return 0.0
        return -self._tokens / self.rate

    async def acquire(self, tokens: float = 1.0) -> None:
        delay = self.reserve(tokens)
        if delay > 0:
            self.waited += delay
            self.longest_wait = max(self.longest_wait, delay)
            await self._sleep(delay)

    def penalise(self, seconds: float) -> None:
        """After a 429, push everything queued back by ``seconds``."""
        self._refill()
        self._tokens = min(self._tokens, 0.0) - seconds * self.rate
