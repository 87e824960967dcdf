"""``python -m benchmarks.probe``: the real bot (``python -m bot``) plus two measuring hooks.

* an event-loop monitor task, started at the end of ``setup_hook``: it sleeps
  ``INTERVAL`` again and again and appends ``monotonic_time overshoot_ms`` to
  ``$BENCH_LAG_FILE``; the overshoot is how long the loop was busy elsewhere;
* on SIGUSR1 it writes one JSON line about the process to ``$BENCH_PROBE_FILE``
  (whether matplotlib has been imported yet, how many modules and tasks, and the most tasks
  the monitor has seen pending at once).

Everything else is the unmodified bot: same settings, cogs and command line.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time

from bot.app import RLSBot

INTERVAL = 0.005
_peak_tasks = 0  # the most tasks pending at once, sampled by the monitor


async def monitor(path: str) -> None:
    global _peak_tasks
    with open(path, "a", encoding="ascii") as out:  # noqa: ASYNC230 - opened once
        flushed = time.monotonic()
        while True:
            start = time.monotonic()
            await asyncio.sleep(INTERVAL)
            end = time.monotonic()
            _peak_tasks = max(_peak_tasks, len(asyncio.all_tasks()))
            out.write(f"{end:.6f} {(end - start - INTERVAL) * 1000:.3f}\n")
            if end - flushed > 0.1:
                out.flush()
                flushed = end


def report(path: str) -> None:
    state = {
        "matplotlib": "matplotlib" in sys.modules,
        "modules": len(sys.modules),
        "tasks": len(asyncio.all_tasks()),
        "peak_tasks": _peak_tasks,
        "at": time.monotonic(),
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(state) + "\n")


_setup_hook = RLSBot.setup_hook


async def setup_hook(self: RLSBot) -> None:
    await _setup_hook(self)
    if lag_file := os.environ.get("BENCH_LAG_FILE"):
        self._bench_monitor = asyncio.create_task(monitor(lag_file))  # type: ignore[attr-defined]
    if probe_file := os.environ.get("BENCH_PROBE_FILE"):
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, report, probe_file)


RLSBot.setup_hook = setup_hook  # type: ignore[method-assign]

if __name__ == "__main__":
    from bot.cli import main

    sys.exit(main())
