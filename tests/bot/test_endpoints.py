"""``python -m bot`` talks only to DISCORD_API_BASE and DISCORD_GATEWAY_URL when they are set.

A tiny stand-in for a Discord-compatible server records what the real process asks for: login,
application info, the command sync, and the gateway handshake up to READY.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from aiohttp import WSMsgType, web


def reply(data: object) -> web.Response:
    # Discord answers with exactly this content type; discord.py relies on it.
    return web.Response(body=json.dumps(data).encode(), headers={"Content-Type": "application/json"})


ROOT = Path(__file__).resolve().parents[2]
BOT_USER = {"id": "1000", "username": "rls-bot", "discriminator": "0", "avatar": None, "bot": True}
APP = {
    "id": "1000",
    "name": "RLS",
    "description": "",
    "icon": None,
    "bot_public": True,
    "bot_require_code_grant": False,
    "owner": {"id": "7", "username": "owner", "discriminator": "0", "avatar": None},
    "verify_key": "k",
    "flags": 0,
}


async def test_bot_runs_against_a_local_compatible_server(tmp_path: Path):
    seen: list[str] = []
    identified = asyncio.Event()
    synced = asyncio.Event()

    async def users_me(request: web.Request) -> web.Response:
        seen.append(f"GET {request.path} auth={request.headers.get('Authorization')}")
        return reply(BOT_USER)

    async def app_me(request: web.Request) -> web.Response:
        seen.append(f"GET {request.path}")
        return reply(APP)

    async def put_commands(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append(f"PUT {request.path} n={len(body)}")
        synced.set()
        return reply(
            [dict(c, id=str(2000 + i), application_id="1000", version="1") for i, c in enumerate(body)]
        )

    async def gateway(request: web.Request) -> web.WebSocketResponse:
        seen.append(f"WS {request.path}")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            payload = json.loads(msg.data)
            if payload["op"] == 2:
                seen.append(f"IDENTIFY intents={payload['d']['intents']}")
                ready = {
                    "v": 10,
                    "user": BOT_USER,
                    "guilds": [],
                    "session_id": "s",
                    "resume_gateway_url": str(request.url.with_query(None)),
                    "application": {"id": "1000", "flags": 0},
                }
                await ws.send_json({"op": 0, "t": "READY", "s": 1, "d": ready})
                identified.set()
            elif payload["op"] == 1:
                await ws.send_json({"op": 11})
        return ws

    app = web.Application()
    app.router.add_get("/api/v10/users/@me", users_me)
    app.router.add_get("/api/v10/oauth2/applications/@me", app_me)
    app.router.add_put("/api/v10/applications/1000/commands", put_commands)
    app.router.add_get("/gateway", gateway)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "BOT_"))}
    env.update(
        DISCORD_TOKEN="local-test-token",
        DISCORD_API_BASE=f"http://127.0.0.1:{port}",
        DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{port}/gateway",
        BOT_DATABASE=str(tmp_path / "bot.db"),
        BOT_ARTICLES_DIR=str(ROOT / "data" / "articles"),
        PYTHONPATH=str(ROOT),
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        started = asyncio.gather(identified.wait(), synced.wait())
        exited = asyncio.ensure_future(proc.wait())
        await asyncio.wait([started, exited], timeout=60, return_when=asyncio.FIRST_COMPLETED)
        assert not exited.done(), (await proc.stderr.read()).decode()
        await asyncio.sleep(0.5)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        try:
            _, stderr = await asyncio.wait_for(proc.communicate(), timeout=20)
        except TimeoutError:
            proc.kill()
            _, stderr = await proc.communicate()
        await runner.cleanup()

    log = stderr.decode()
    assert "GET /api/v10/users/@me auth=Bot local-test-token" in seen, log
    assert "GET /api/v10/oauth2/applications/@me" in seen
    assert any(s.startswith("PUT /api/v10/applications/1000/commands n=") for s in seen)
    assert "WS /gateway" in seen
    # guilds, guild messages, DMs and message content: nothing more.
    assert "IDENTIFY intents=37377" in seen
    assert "Traceback" not in log, log
