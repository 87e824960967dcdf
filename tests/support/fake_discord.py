"""A tiny Discord-compatible server for running the real ``python -m bot`` process offline.

It answers what discord.py needs to log in and connect (``/users/@me``,
``/oauth2/applications/@me``, the global command sync and a websocket gateway
answering HELLO and IDENTIFY with READY), records every request with the time
it arrived, and can push gateway events (GUILD_CREATE, MESSAGE_CREATE,
INTERACTION_CREATE) to the connected bot. Any other REST call is recorded and
answered with a plausible object (a message for message/webhook posts, an
interaction callback for callbacks, ``{}`` otherwise).

Usage::

    server = FakeDiscord()
    await server.start()
    env = server.env(BOT_DATABASE=...)        # environment for the bot process
    ...                                        # spawn ``python -m bot`` with env
    await server.wait_identified(within=60)
    await server.dispatch("MESSAGE_CREATE", server.message("hello"))
    await server.sync()                        # every event sent so far was read
    await server.stop()
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "1000"
BOT_USER = {"id": APP_ID, "username": "rls-bot", "discriminator": "0", "avatar": None, "bot": True}
APP = {
    "id": APP_ID,
    "name": "RLS",
    "description": "",
    "icon": None,
    "bot_public": True,
    "bot_require_code_grant": False,
    "owner": {"id": "7", "username": "owner", "discriminator": "0", "avatar": None},
    "verify_key": "k",
    "flags": 0,
}
GUILD_ID = "500"
CHANNEL_ID = "501"
LOG_CHANNEL_ID = "503"  # a second text channel, e.g. for moderation logs
ALL_PERMISSIONS = str((1 << 50) - 1)


def reply(data: object, status: int = 200) -> web.Response:
    # Discord answers with exactly this content type; discord.py relies on it.
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


def user(user_id: int | str, name: str | None = None) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name or f"member{user_id}",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
    }


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class Request:
    method: str
    path: str
    at: float  # time.monotonic() when it arrived (the same clock in every process)
    body: Any = None  # parsed JSON body, if it had one
    content_type: str = ""  # e.g. multipart/form-data when files were attached


@dataclass
class FakeDiscord:
    """Start with ``await start()``; ``api_base``/``gateway_url`` then point at it."""

    heartbeat_interval_ms: int = 45000
    guild_id: str = GUILD_ID
    channel_id: str = CHANNEL_ID
    requests: list[Request] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # one readable line per request / handshake step
    intents: int | None = None
    identified_at: float | None = None  # monotonic() of IDENTIFY
    synced_at: float | None = None  # monotonic() of the command sync
    refused_intents: int = 0  # privileged intents not approved for the app: IDENTIFY with them gets 4014

    def __post_init__(self) -> None:
        self.identified = asyncio.Event()
        self.synced = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._ws: web.WebSocketResponse | None = None
        self._seq = itertools.count(1)
        self._ids = itertools.count(10_000_000)
        self._beat = asyncio.Event()
        self._watchers: list[tuple[Callable[[Request], bool], asyncio.Future[Request]]] = []
        self.port = 0

    # -- lifecycle -------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_get("/api/v10/users/@me", self._users_me)
        app.router.add_get("/api/v10/oauth2/applications/@me", self._app_me)
        app.router.add_put(f"/api/v10/applications/{APP_ID}/commands", self._put_commands)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._anything)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a ``python -m bot`` process talking only to this server."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "BOT_"))}
        env.update(
            DISCORD_TOKEN="local-test-token",
            DISCORD_API_BASE=self.api_base,
            DISCORD_GATEWAY_URL=self.gateway_url,
            PYTHONPATH=str(ROOT),
        )
        env.update(extra)
        return env

    # -- waiting -----------------------------------------------------------------
    async def wait_identified(self, within: float = 60) -> None:
        await asyncio.wait_for(self.identified.wait(), within)

    async def wait_for_request(
        self, predicate: Callable[[Request], bool], within: float = 30, *, since: int = 0
    ) -> Request:
        """The first request (from index ``since``) matching ``predicate``, waiting for it if needed."""
        for request in self.requests[since:]:
            if predicate(request):
                return request
        future: asyncio.Future[Request] = asyncio.get_running_loop().create_future()
        self._watchers.append((predicate, future))
        try:
            return await asyncio.wait_for(future, within)
        finally:
            self._watchers = [(p, f) for p, f in self._watchers if f is not future]

    # -- pushing gateway events -------------------------------------------------------
    async def dispatch(self, event: str, data: Mapping[str, Any]) -> None:
        if self._ws is None or self._ws.closed:
            raise RuntimeError("no bot is connected to the gateway")
        await self._ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    async def dispatch_many(
        self, events: Iterable[tuple[str, Mapping[str, Any]]], *, rate: float | None = None
    ) -> float:
        """Send events, at ``rate`` per second if given (else as fast as possible); returns seconds taken."""
        start = time.monotonic()
        for i, (event, data) in enumerate(events):
            if rate:
                delay = start + i / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            await self.dispatch(event, data)
        return time.monotonic() - start

    async def sync(self, within: float = 60) -> None:
        """Ask for a heartbeat (op 1) and wait for it: the bot has read every event sent before."""
        assert self._ws is not None
        self._beat.clear()
        await self._ws.send_str(json.dumps({"op": 1, "d": None}))
        await asyncio.wait_for(self._beat.wait(), within)

    # -- payloads -----------------------------------------------------------------------
    def next_id(self) -> str:
        return str(next(self._ids))

    def guild(self, *, name: str = "RLS Support") -> dict[str, Any]:
        """GUILD_CREATE data: one text channel, the bot as an administrator member."""
        gid, cid = self.guild_id, self.channel_id
        return {
            "id": gid,
            "name": name,
            "icon": None,
            "owner_id": "7",
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "features": [],
            "mfa_level": 0,
            "system_channel_flags": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "roles": [
                {
                    "id": gid,
                    "name": "@everyone",
                    "permissions": "68608",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                },
                {
                    "id": "502",
                    "name": "bot",
                    "permissions": ALL_PERMISSIONS,
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": True,
                    "mentionable": False,
                },
            ],
            "emojis": [],
            "stickers": [],
            "channels": [
                {
                    "id": cid,
                    "type": 0,
                    "guild_id": gid,
                    "name": "general",
                    "position": 0,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                    "topic": None,
                    "last_message_id": None,
                    "rate_limit_per_user": 0,
                },
                {
                    "id": LOG_CHANNEL_ID,
                    "type": 0,
                    "guild_id": gid,
                    "name": "mod-log",
                    "position": 1,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                    "topic": None,
                    "last_message_id": None,
                    "rate_limit_per_user": 0,
                },
            ],
            "threads": [],
            "members": [
                {
                    "user": BOT_USER,
                    "roles": ["502"],
                    "joined_at": now_iso(),
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "voice_states": [],
            "presences": [],
            "member_count": 2,
            "large": False,
            "unavailable": False,
            "joined_at": now_iso(),
        }

    def message(self, content: str, *, author_id: int = 42, channel_id: str | None = None) -> dict[str, Any]:
        """MESSAGE_CREATE data: a member's message in the guild's text channel."""
        data = self._message_payload(channel_id or self.channel_id, user(author_id), content)
        data["guild_id"] = self.guild_id
        data["member"] = {"roles": [], "joined_at": now_iso(), "deaf": False, "mute": False, "flags": 0}
        return data

    def _message_payload(self, channel_id: str, author: dict[str, Any], content: str) -> dict[str, Any]:
        return {
            "id": self.next_id(),
            "channel_id": channel_id,
            "author": author,
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }

    def slash_command(
        self, name: str, options: list[dict[str, Any]] | None = None, *, user_id: int = 42, dm: bool = True
    ) -> dict[str, Any]:
        """INTERACTION_CREATE data for ``/name`` (in a DM with the bot by default)."""
        data: dict[str, Any] = {
            "id": self.next_id(),
            "application_id": APP_ID,
            "type": 2,
            "token": f"token-{self.next_id()}",
            "version": 1,
            "locale": "en-US",
            "app_permissions": ALL_PERMISSIONS,
            "entitlements": [],
            "authorizing_integration_owners": {"1": str(user_id)},
            "attachment_size_limit": 10 * 2**20,
            "data": {"id": self.next_id(), "name": name, "type": 1, "options": options or []},
        }
        if dm:
            channel = {"id": str(900_000 + user_id), "type": 1, "recipients": [user(user_id)]}
            data.update(context=1, user=user(user_id), channel=channel, channel_id=channel["id"])
        else:
            data.update(
                context=0,
                guild_id=self.guild_id,
                channel_id=self.channel_id,
                channel={"id": self.channel_id, "type": 0, "guild_id": self.guild_id, "name": "general"},
                member={
                    "user": user(user_id),
                    "roles": [],
                    "joined_at": now_iso(),
                    "deaf": False,
                    "mute": False,
                    "permissions": "68608",
                    "flags": 0,
                },
                guild_locale="en-US",
            )
        return data

    # -- handlers -----------------------------------------------------------------------
    def _record(self, request: web.Request, line: str, body: Any = None) -> Request:
        record = Request(request.method, request.path, time.monotonic(), body, request.content_type)
        self.requests.append(record)
        self.seen.append(line)
        for predicate, future in list(self._watchers):
            if not future.done() and predicate(record):
                future.set_result(record)
        return record

    async def _users_me(self, request: web.Request) -> web.Response:
        self._record(request, f"GET {request.path} auth={request.headers.get('Authorization')}")
        return reply(BOT_USER)

    async def _app_me(self, request: web.Request) -> web.Response:
        self._record(request, f"GET {request.path}")
        return reply(APP)

    async def _put_commands(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._record(request, f"PUT {request.path} n={len(body)}", body)
        self.synced_at = time.monotonic()
        self.synced.set()
        return reply(
            # Discord fills in what a request may leave out (context menus carry no description).
            [
                {
                    "description": "",
                    "options": [],
                    **c,
                    "id": str(2000 + i),
                    "application_id": APP_ID,
                    "version": "1",
                }
                for i, c in enumerate(body)
            ]
        )

    async def _anything(self, request: web.Request) -> web.Response:
        body: Any = None
        if request.content_type == "application/json" and request.can_read_body:
            body = await request.json()
        elif request.can_read_body:
            await request.read()
        self._record(request, f"{request.method} {request.path}", body)
        parts = request.path.split("/")  # ['', 'api', 'v10', ...]
        if request.method == "DELETE":
            return web.Response(status=204)
        if request.method == "POST" and parts[3:4] == ["interactions"] and parts[-1] == "callback":
            return reply({"interaction": {"id": parts[4], "type": 2}, "resource": {"type": 5}})
        if request.method == "POST" and parts[3:4] == ["users"] and parts[-1] == "channels":
            recipient = (body or {}).get("recipient_id", "0")
            return reply({"id": str(900_000 + int(recipient)), "type": 1, "recipients": [user(recipient)]})
        if request.method in ("POST", "PATCH") and (
            parts[3:4] == ["webhooks"] or (parts[3:4] == ["channels"] and "messages" in parts)
        ):
            channel_id = parts[4] if parts[3] == "channels" else self.channel_id
            content = body.get("content") if isinstance(body, dict) else None
            return reply(self._message_payload(channel_id, BOT_USER, content or ""))
        return reply({})

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        self._record(request, f"WS {request.path}")
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json(
            {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None}
        )
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            payload = json.loads(msg.data)
            if payload["op"] == 2:
                if payload["d"]["intents"] & self.refused_intents:
                    self.seen.append(f"REFUSED intents={payload['d']['intents']}")
                    await ws.close(code=4014, message=b"Disallowed intent(s).")
                    break
                self.intents = payload["d"]["intents"]
                self.identified_at = time.monotonic()
                self.seen.append(f"IDENTIFY intents={self.intents}")
                ready = {
                    "v": 10,
                    "user": BOT_USER,
                    "guilds": [{"id": self.guild_id, "unavailable": True}],
                    "session_id": "s",
                    "resume_gateway_url": str(request.url.with_query(None)),
                    "application": {"id": APP_ID, "flags": 0},
                }
                await ws.send_json({"op": 0, "t": "READY", "s": next(self._seq), "d": ready})
                await ws.send_json({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": self.guild()})
                self.identified.set()
            elif payload["op"] == 1:
                await ws.send_json({"op": 11})
                self._beat.set()
        return ws
