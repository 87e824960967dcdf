"""Browser pages for the demo: one simcord Preview per place, all showing one simulated world.

A simcord Preview presents one channel, and an Env normally allows one active Preview. The demo
needs a page per place (two channels as one member, the mod log as a moderator, a DM), so it opens
one Preview per place and makes them take turns: every browser action, clock move and republish
runs under one lock. After each, the other pages are republished, so what one place causes (a case
in the mod log, a prompt in the DMs) shows in the others without pressing Refresh.

This relies on simcord internals, which the ``<3.3`` requirement pins: ``Env._preview``, the
Preview told that an action changed the world; ``Preview._action``, the handler its page server
calls for each browser action; and ``Preview._closed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("bot.demo")

WATCH_INTERVAL = 0.5  # seconds between checks for changes made outside a page (timers, the clock)


@dataclass
class Page:
    name: str
    preview: Any
    viewer: Any

    @property
    def url(self) -> str:
        """Loopback address with the page's capability token: whoever has it can act in the demo."""
        return self.preview.url


class Pages:
    def __init__(self, env) -> None:
        self.env = env
        self.pages: list[Page] = []
        self._lock = asyncio.Lock()
        self._seen = 0
        self._watcher: asyncio.Task | None = None

    async def open(self, name: str, channel, viewer, *, timezone: str = "UTC") -> Page:
        """Serve ``channel`` as seen by ``viewer`` (a member, or the user for a DM) on loopback."""
        async with self._lock:
            self.env._preview = None  # the earlier pages stay open; see the module docstring
            preview = self.env.preview(channel, viewers=[viewer], layout="channel", timezone=timezone)
            await preview.__aenter__()
            self._take_turns(preview)
            page = Page(name, preview, viewer)
            self.pages.append(page)
            self._seen = self._changes()
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._watch(), name="demo-pages")
        return page

    def _take_turns(self, preview) -> None:
        act = preview._action

        async def action(context_id, body):
            async with self._lock:
                self.env._preview = preview
                try:
                    return await act(context_id, body)
                finally:
                    await self._republish(skip=preview)

        preview._action = action

    def _changes(self) -> int:
        """Grows with every event and request in the simulated world."""
        return len(self.env.backend.transcript)

    async def _republish(self, *, skip=None) -> None:
        for page in self.pages:
            if page.preview._closed:
                continue
            try:
                if page.preview is not skip:
                    await page.preview.refresh()
                await self._focus_newest(page)
            except Exception:
                log.warning("could not republish the %s page", page.name, exc_info=True)
        self._seen = self._changes()

    @staticmethod
    async def _focus_newest(page: Page) -> None:
        """A page opened or reloaded from now on starts at the newest message its viewer can see."""
        visible = page.preview.channel.history(viewer=page.viewer)
        if visible:
            await page.preview.show(visible[-1])

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            if self._changes() != self._seen and not self._lock.locked():
                async with self._lock:
                    await self._republish()

    async def advance(self, seconds: float) -> None:
        """Move the simulated clock (timers fire on the way), then republish every page."""
        async with self._lock:
            await self.env.advance_time(seconds)
            await self._republish()

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        async with self._lock:
            for page in self.pages:
                await page.preview.close()
