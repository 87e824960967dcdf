"""``python -m bot`` talks only to DISCORD_API_BASE and DISCORD_GATEWAY_URL when they are set.

A tiny stand-in for a Discord-compatible server (tests/support/fake_discord.py) records what the
real process asks for: login, application info, the command sync, and the gateway handshake up
to READY.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from tests.support.fake_discord import ROOT, FakeDiscord


async def test_bot_runs_against_a_local_compatible_server(tmp_path: Path):
    server = FakeDiscord()
    await server.start()
    env = server.env(BOT_DATABASE=str(tmp_path / "bot.db"), BOT_ARTICLES_DIR=str(ROOT / "data" / "articles"))
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
        started = asyncio.gather(server.identified.wait(), server.synced.wait())
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
        await server.stop()

    seen = server.seen
    log = stderr.decode()
    assert "GET /api/v10/users/@me auth=Bot local-test-token" in seen, log
    assert "GET /api/v10/oauth2/applications/@me" in seen
    assert any(s.startswith("PUT /api/v10/applications/1000/commands n=") for s in seen)
    assert "WS /gateway" in seen
    # guilds, guild messages, DMs and message content: nothing more.
    assert "IDENTIFY intents=37377" in seen
    assert "Traceback" not in log, log


async def test_without_the_message_content_intent_the_bot_still_runs(tmp_path: Path):
    server = FakeDiscord(refused_intents=1 << 15)
    await server.start()
    env = server.env(BOT_DATABASE=str(tmp_path / "bot.db"), BOT_ARTICLES_DIR=str(ROOT / "data" / "articles"))
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
        exited = asyncio.ensure_future(proc.wait())
        ready = asyncio.ensure_future(server.identified.wait())
        await asyncio.wait([ready, exited], timeout=60, return_when=asyncio.FIRST_COMPLETED)
        assert not exited.done(), (await proc.stderr.read()).decode()
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        try:
            _, stderr = await asyncio.wait_for(proc.communicate(), timeout=20)
        except TimeoutError:
            proc.kill()
            _, stderr = await proc.communicate()
        await server.stop()
    log = stderr.decode()
    assert "REFUSED intents=37377" in server.seen
    assert "IDENTIFY intents=4609" in server.seen  # the same without message content
    assert "Message Content intent is not enabled" in log
