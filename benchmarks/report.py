"""Figures printed beside their targets, plus the machine they were measured on."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass
class Figure:
    suite: str
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None  # None: informational, no target
    note: str = ""

    def row(self) -> str:
        status = {True: "ok", False: "MISS", None: ""}[self.ok]
        return f"| {self.suite} | {self.name} | {fmt(self.value)} {self.unit} | {self.target} | {status} | {self.note} |"


def fmt(value: float) -> str:
    if value == 0:
        return "0"
    if isinstance(value, int):  # a count
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_calls(fn: Callable[[], object], n: int) -> list[float]:
    """Milliseconds for each of ``n`` calls."""
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


async def time_async_calls(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else 0.0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = 0
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def table(figures: list[Figure]) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Measured {stamp} on {machine()}.",
        "",
        "| suite | figure | value | target | status | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [f.row() for f in figures]
    return "\n".join(lines)
