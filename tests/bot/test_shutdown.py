"""Stopping ``python -m bot`` (SIGTERM, SIGINT, a crash at start-up) ends everything it started."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.support.fake_discord import ROOT, FakeDiscord

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":  # a zombie has ended
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def start(server: FakeDiscord, tmp_path: Path, **env: str) -> asyncio.subprocess.Process:
    await server.start()
    variables = server.env(
        BOT_DATABASE=str(tmp_path / "bot.db"), BOT_ARTICLES_DIR=str(ROOT / "data" / "articles"), **env
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=variables, stderr=asyncio.subprocess.PIPE
    )


async def answer(server: FakeDiscord, name: str, options: list[dict]):
    data = server.slash_command(name, options)
    token = data["token"]
    since = len(server.requests)
    await server.dispatch("INTERACTION_CREATE", data)

    def is_reply(request) -> bool:
        return token in request.path and (
            "/webhooks/" in request.path or (request.body or {}).get("type") in (4, 7)
        )

    return await server.wait_for_request(is_reply, 60, since=since)


async def stop_and_wait(proc, sig) -> tuple[float, str]:
    began = time.monotonic()
    proc.send_signal(sig)
    try:
        _, stderr = await asyncio.wait_for(proc.communicate(), timeout=15)
    except TimeoutError:
        proc.kill()
        _, stderr = await proc.communicate()
        pytest.fail(f"the bot did not stop within 15 s: {stderr.decode()[-2000:]}")
    return time.monotonic() - began, stderr.decode()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_after_drawing_a_chart_ends_every_process_within_seconds(tmp_path: Path, sig):
    server = FakeDiscord()
    proc = await start(server, tmp_path)
    try:
        await asyncio.wait_for(asyncio.gather(server.identified.wait(), server.synced.wait()), 60)
        await server.sync()
        await answer(server, "checkin", [{"name": "severity", "type": 4, "value": 6}])
        chart = await answer(server, "history", [])
        assert "multipart" in chart.content_type, "the reply carries the chart"
        children = descendants(proc.pid)
        assert children, "the chart was drawn in a worker process"
        took, log = await stop_and_wait(proc, sig)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await server.stop()
    assert took < 8, log
    assert proc.returncode == 0, log
    for _ in range(30):  # a child may take a moment to finish exiting once the bot has gone
        if not any(alive(p) for p in children):
            break
        await asyncio.sleep(0.1)
    assert not [p for p in children if alive(p)], log
    assert "Traceback" not in log, log


async def test_sigterm_during_start_up_stops_at_once(tmp_path: Path):
    server = FakeDiscord()
    proc = await start(server, tmp_path)
    try:
        await asyncio.sleep(0.3)  # importing, migrating, loading articles: not connected yet
        took, log = await stop_and_wait(proc, signal.SIGTERM)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await server.stop()
    assert took < 8, log
    assert not descendants(proc.pid)
    assert "Traceback" not in log, log


async def test_a_crash_during_start_up_exits_with_a_clear_message_and_leaves_nothing_behind(tmp_path: Path):
    (tmp_path / "bot.db").write_bytes(b"this is not a database" * 100)
    server = FakeDiscord()
    proc = await start(server, tmp_path)
    try:
        _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await server.stop()
    log = stderr.decode()
    assert proc.returncode == 1, log
    assert "error: the database" in log and str(tmp_path / "bot.db") in log, log
    assert "Traceback" not in log, log
    assert not [p for p in descendants(os.getpid()) if p == proc.pid]
