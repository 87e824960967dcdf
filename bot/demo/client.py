"""A small client for a demo page, speaking simcord's preview protocol (version 3) over HTTP.

It does what the page's own script does when you type a command or press a button, so scripts and
tests can drive the running demo: the screenshot script and the end-to-end test use it.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp

PROTOCOL = 3
DEMO_LINE = re.compile(r"^Demo: (?P<name>[\w-]+) (?P<url>http://127\.0\.0\.1:\d+/#\S+)$")


def parse_demo_lines(text: str) -> dict[str, str]:
    """``{name: url}`` from the ``Demo: <name> <url>`` lines ``python -m bot demo`` prints."""
    return {m["name"]: m["url"] for line in text.splitlines() if (m := DEMO_LINE.match(line.strip()))}


class PageClient:
    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http = http
        self.base, _, self.capability = url.partition("/#")
        self.state: dict[str, Any] = {}
        self.context = ""
        self.sequence = 0

    def _headers(self) -> dict[str, str]:
        headers = {"X-Simcord-Capability": self.capability}
        if self.context:
            headers["X-Simcord-Context"] = self.context
        return headers

    async def index(self) -> tuple[int, str]:
        async with self.http.get(self.base + "/") as response:
            return response.status, await response.text()

    async def open(self) -> dict[str, Any]:
        async with self.http.post(self.base + "/api/pages", json={}, headers=self._headers()) as response:
            response.raise_for_status()
            self.state = await response.json()
        self.context = self.state["context"]["id"]
        return self.state

    async def refresh(self) -> dict[str, Any]:
        async with self.http.get(self.base + "/api/state", headers=self._headers()) as response:
            response.raise_for_status()
            self.state = await response.json()
        return self.state

    async def commands(self) -> list[dict[str, Any]]:
        async with self.http.get(self.base + "/api/commands", headers=self._headers()) as response:
            response.raise_for_status()
            return (await response.json())["entries"]

    async def _act(self, kind: str, **fields: Any) -> dict[str, Any]:
        await self.refresh()
        self.sequence += 1
        body = {
            "protocol_version": PROTOCOL,
            "sequence": self.sequence,
            "request_id": uuid.uuid4().hex,
            "generation": self.state["context"]["generation"],
            "bot_generation": self.state["botGeneration"],
            "published_revision": self.state["publishedRevision"],
            "kind": kind,
            **fields,
        }
        async with self.http.post(self.base + "/api/action", json=body, headers=self._headers()) as response:
            response.raise_for_status()
            result = await response.json()
        await self.refresh()
        return result

    async def run_command(self, invocation: str, **options: Any) -> dict[str, Any]:
        """Run a slash command from the page's composer; options as typed there: ``days="7"``."""
        entry = next((e for e in await self.commands() if e["invocation"] == invocation), None)
        if entry is None:
            raise LookupError(f"/{invocation} is not offered on this page")
        return await self._act(
            "run_command",
            command_id=entry["commandId"],
            path=entry["path"],
            schema_fingerprint=entry["schemaFingerprint"],
            options=options,
        )

    async def send(self, content: str) -> dict[str, Any]:
        return await self._act("send_message", content=content)

    async def click(self, message_id: str, label: str) -> dict[str, Any]:
        """Press the button labelled ``label`` on a message of this page."""
        button = find_button(self.state["messages"][message_id], label)
        return await self._act("click", target_id=message_id, control_key=button["control_key"])

    # -- reading ---------------------------------------------------------
    def messages(self) -> list[dict[str, Any]]:
        """The page's messages, oldest first."""
        return [self.state["messages"][i] for i in self.state["timeline"] if i in self.state["messages"]]

    def find(self, test: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        return next((m for m in reversed(self.messages()) if test(m)), None)

    async def wait_for(self, test: Callable[[dict[str, Any]], bool], within: float = 30) -> dict[str, Any]:
        """The newest message passing ``test``, polling the page until one shows."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            await self.refresh()
            found = self.find(test)
            if found is not None:
                return found
            if loop.time() > deadline:
                raise TimeoutError("no such message on the page")
            await asyncio.sleep(0.25)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    found = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items or []:
            if item.get("type") == 2:
                found.append(item)
            walk(item.get("components") or [])
            if isinstance(item.get("accessory"), dict):
                walk([item["accessory"]])

    walk(message.get("components") or [])
    return found


def find_button(message: dict[str, Any], label: str) -> dict[str, Any]:
    for button in buttons(message):
        if button.get("label") == label:
            return button
    raise LookupError(f"no button {label!r}; buttons: {[b.get('label') for b in buttons(message)]}")


def embed_titles(message: dict[str, Any]) -> list[str]:
    return [e.get("title") or "" for e in message.get("embeds") or []]


def text_of(message: dict[str, Any]) -> str:
    """Content and embed text, for matching."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f.get('name')} {f.get('value')}" for f in embed.get("fields") or []]
    return "\n".join(parts)
