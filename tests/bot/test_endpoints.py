"""``python -m bot`` against a small local Discord-compatible server (tests/support/fake_discord.py).

The real process talks only to DISCORD_API_BASE and DISCORD_GATEWAY_URL: login, application info,
the command sync, the gateway handshake, and commands answered over REST.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.support.fake_discord import ROOT, FakeDiscord


@asynccontextmanager
async def running_bot(server: FakeDiscord, tmp_path: Path) -> AsyncIterator[list[str]]:
    """Start ``python -m bot`` on ``server``; yields a list that holds its stderr once it has stopped."""
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
    log: list[str] = []
    try:
        exited = asyncio.ensure_future(proc.wait())
        ready = asyncio.ensure_future(asyncio.gather(server.identified.wait(), server.synced.wait()))
        await asyncio.wait([ready, exited], timeout=60, return_when=asyncio.FIRST_COMPLETED)
        assert not exited.done(), (await proc.stderr.read()).decode()
        await server.sync()
        yield log
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        try:
            _, stderr = await asyncio.wait_for(proc.communicate(), timeout=20)
        except TimeoutError:
            proc.kill()
            _, stderr = await proc.communicate()
        await server.stop()
        log.append(stderr.decode())


async def test_bot_runs_against_a_local_compatible_server(tmp_path: Path):
    server = FakeDiscord()
    async with running_bot(server, tmp_path) as log:
        pass
    seen = server.seen
    assert "GET /api/v10/users/@me auth=Bot local-test-token" in seen, log
    assert "GET /api/v10/oauth2/applications/@me" in seen
    assert any(s.startswith("PUT /api/v10/applications/1000/commands n=") for s in seen)
    assert "WS /gateway" in seen
    # guilds, guild messages, DMs and message content: nothing more.
    assert "IDENTIFY intents=37377" in seen
    assert "Traceback" not in log[0], log


async def test_without_the_message_content_intent_the_bot_still_runs(tmp_path: Path):
    server = FakeDiscord(refused_intents=1 << 15)
    async with running_bot(server, tmp_path) as log:
        pass
    assert "REFUSED intents=37377" in server.seen
    assert "IDENTIFY intents=4609" in server.seen  # the same without message content
    assert "Message Content intent is not enabled" in log[0]


async def test_commands_answer_through_the_real_process(tmp_path: Path):
    """A member's slash commands reach the real process over the gateway and are answered over REST."""
    server = FakeDiscord()

    async def answer(name: str, options: list[dict], *, dm: bool) -> dict:
        interaction = server.slash_command(name, options, dm=dm)
        mark = len(server.requests)
        await server.dispatch("INTERACTION_CREATE", interaction)
        callback = f"/{interaction['id']}/{interaction['token']}/callback"
        request = await server.wait_for_request(
            lambda r: r.method == "POST" and r.path.endswith(callback), since=mark
        )
        return request.body

    async with running_bot(server, tmp_path) as log:
        ask = await answer(
            "ask", [{"name": "question", "type": 3, "value": "baclofen side effects"}], dm=False
        )
        assert ask["type"] == 4
        assert "Side Effects" in ask["data"]["embeds"][0]["title"]
        assert ask["data"]["allowed_mentions"] == {"parse": []}

        card = await answer("treatment", [{"name": "name", "type": 3, "value": "Namenda"}], dm=True)
        assert card["data"]["embeds"][0]["title"].startswith("Memantine")

        checkin = await answer("checkin", [{"name": "severity", "type": 4, "value": 6}], dm=True)
        assert checkin["data"]["flags"] & 64, "diary replies are ephemeral"

        unknown = await answer("treatment", [{"name": "name", "type": 3, "value": "pizza"}], dm=False)
        assert unknown["data"]["flags"] & 64 and "/treatments" in unknown["data"]["content"]
    assert "Traceback" not in log[0], log[0]
