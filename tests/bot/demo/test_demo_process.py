"""``python -m bot demo`` as a real process: its pages over HTTP, driven with the preview's own protocol."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from bot.db import Database
from bot.demo.client import DEMO_LINE, PageClient, buttons, embed_titles, parse_demo_lines, text_of
from bot.demo.screenshots import browser_command, find_chromium
from bot.settings import PROJECT_ROOT

SERVED = "Served on 127.0.0.1 only."
CLOCK_MOVED = "Clock: "


@dataclass
class Demo:
    urls: dict[str, str]
    stdout: list[str] = field(default_factory=list)
    stderr: str = ""
    returncode: int | None = None


@asynccontextmanager
async def demo(cwd: Path, *args: str, ready: str = SERVED) -> AsyncIterator[Demo]:
    """Run the acceptance command; on leaving, Ctrl-C it (SIGINT) and collect what it printed."""
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN" and not k.startswith("BOT_")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "demo", "--no-browser", "--seconds", "60", *args,
        cwd=cwd, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    lines: list[str] = []
    try:
        while not any(line.startswith(ready) for line in lines):
            line = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
            assert line, "the demo stopped early:\n" + "".join(lines) + (await proc.stderr.read()).decode()
            lines.append(line.decode())
        running = Demo(parse_demo_lines("".join(lines)), lines)
        yield running
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        try:
            rest, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        except TimeoutError:
            proc.kill()
            rest, err = await proc.communicate()
    lines += rest.decode().splitlines(keepends=True)
    running.stderr, running.returncode = err.decode(), proc.returncode


def assert_stopped_cleanly(run: Demo) -> None:
    assert run.returncode == 0, run.stderr
    assert run.stdout[-1].strip() == "Stopped; the database is closed.", run.stdout
    assert "Traceback" not in run.stderr and "ERROR" not in run.stderr, run.stderr


async def test_the_demo_serves_a_page_per_place_and_runs_the_real_bot(tmp_path):
    async with demo(tmp_path) as run, aiohttp.ClientSession() as http:
        assert list(run.urls) == ["general", "support", "mod-log", "dm"]
        pages = {}
        for name, url in run.urls.items():
            assert url.startswith("http://127.0.0.1:") and "/#" in url
            page = pages[name] = PageClient(http, url)
            status, html = await page.index()
            assert status == 200 and "<title>SimCord Preview</title>" in html
            await page.open()
        viewers = {name: page.state["viewers"][0]["name"] for name, page in pages.items()}
        assert viewers == {"general": "you", "support": "you", "mod-log": "mod", "dm": "you"}
        assert [pages[n].state["channel"]["name"] for n in ("general", "support", "mod-log")] == [
            "general",
            "support",
            "mod-log",
        ]
        assert "Welcome to the demo server" in text_of(pages["general"].messages()[0])
        support = [(m["author"]["name"], m["content"]) for m in pages["support"].messages()]
        assert [a for a, _ in support] == ["sam", "sam"]  # the bot said nothing in public
        case = pages["mod-log"].find(lambda m: "Case #1 · Miracle cure" in embed_titles(m))
        assert [b["label"] for b in buttons(case)] == [
            "Dismiss (false positive)",
            "Reply with facts",
            "Remove message",
            "Warn author",
        ]
        assert "Daily check-in reminder set for 21:00 Europe/London" in text_of(pages["dm"].messages()[0])

        # A slash command from the composer, then one of its buttons.
        general = pages["general"]
        result = await general.run_command("treatment", name="baclofen")
        assert (result["rejected"], result["settlement"]) == (False, "settled"), result
        card = general.find(lambda m: "Baclofen: fact card" in embed_titles(m))
        assert "Side effects" in [b["label"] for b in buttons(card)]
        result = await general.click(card["id"], "Side effects")
        assert (result["rejected"], result["settlement"]) == (False, "settled"), result
        passage = general.messages()[-1]
        assert passage["id"] != card["id"] and "drowsiness" in text_of(passage).lower()

        # A claim posted in #general shows up on the moderators' page without a refresh.
        result = await general.send("Big Pharma is hiding the cure for RLS because pills make more money")
        assert result["settlement"] == "settled", result
        mod_log = pages["mod-log"]
        case2 = await mod_log.wait_for(lambda m: any(t.startswith("Case #2") for t in embed_titles(m)))
        result = await mod_log.click(case2["id"], "Dismiss (false positive)")
        assert result["settlement"] == "settled", result
        await mod_log.wait_for(lambda m: "Case #2 dismissed as a false positive." in (m["content"] or ""))
    assert_stopped_cleanly(run)
    assert run.stdout[0].startswith(f"Database: {tempfile.gettempdir()}")
    # Every "Demo:" line is exactly "Demo: <name> <url>", for scripts that read them.
    demo_lines = [line.strip() for line in run.stdout if line.startswith("Demo:")]
    assert len(demo_lines) == 4 and all(DEMO_LINE.match(line) for line in demo_lines), demo_lines


async def test_fast_forward_brings_the_daily_prompt_and_the_database_can_be_resumed(tmp_path):
    database = tmp_path / "demo.db"
    async with (
        demo(tmp_path, "--fast-forward", "--database", str(database), ready=CLOCK_MOVED) as run,
        aiohttp.ClientSession() as http,
    ):
        assert run.stdout[-1].startswith("Clock: Thursday 1 January 21:00 Europe/London")
        dm = PageClient(http, run.urls["dm"])
        await dm.open()
        prompt = await dm.wait_for(lambda m: m["content"].startswith("Time for your RLS check-in"))
        assert [b["label"] for b in buttons(prompt)] == [str(n) for n in range(11)] + ["Add details"]
        result = await dm.click(prompt["id"], "4")
        assert result["settlement"] == "settled", result
        saved = await dm.wait_for(lambda m: "Saved your check-in for today" in m["content"])
        assert "severity 4/10" in saved["content"]
    assert_stopped_cleanly(run)

    # The database was closed cleanly and holds the one-tap check-in.
    db = await Database(database).open()
    try:
        rows = await db.fetchall("SELECT local_date, severity FROM checkins WHERE local_date = '2026-01-01'")
        assert [(r["local_date"], r["severity"]) for r in rows] == [("2026-01-01", 4)]
        stopped_at = await db.get_meta("demo_clock")
    finally:
        await db.close()
    assert stopped_at.startswith("2026-01-01T21:0")

    # Resumed: the clock goes on from there, your diary is kept, and the sample claim is a new case.
    async with demo(tmp_path, "--database", str(database)) as run, aiohttp.ClientSession() as http:
        general = PageClient(http, run.urls["general"])
        await general.open()
        result = await general.run_command("history", days="7")
        assert result["settlement"] == "settled", result["diagnostics"]
        summary = general.find(lambda m: any(t.startswith("Your RLS diary") for t in embed_titles(m)))
        assert "to 2026-01-01" in text_of(summary)
        mod_log = PageClient(http, run.urls["mod-log"])
        await mod_log.open()
        assert mod_log.find(lambda m: any(t.startswith("Case #2") for t in embed_titles(m)))
    assert_stopped_cleanly(run)


async def test_a_real_browser_shows_the_pages(tmp_path):
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium on this machine (CI installs Debian's chromium package)")
    async with demo(tmp_path) as run:
        for name, expected in (("general", "Welcome to the demo server"), ("mod-log", "Warn author")):
            profile = tmp_path / f"profile-{name}"
            command = browser_command(chromium, run.urls[name], profile, "--dump-dom")
            shown = await asyncio.to_thread(
                subprocess.run, command, capture_output=True, text=True, timeout=120, check=True
            )
            assert expected in shown.stdout, shown.stdout[-2000:]
    assert_stopped_cleanly(run)


def test_the_acceptance_command_is_the_one_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "pip install -e '.[demo]' && python -m bot demo" in readme


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")
def test_in_a_terminal_enter_fast_forwards_and_ctrl_c_stops_everything_cleanly(tmp_path):
    import pty
    import select
    import time

    database = tmp_path / "demo.db"
    command = [
        sys.executable,
        "-m",
        "bot",
        "demo",
        "--no-browser",
        "--seconds",
        "60",
        "--database",
        str(database),
    ]
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the demo, with the pseudo-terminal as its controlling terminal
        try:
            os.chdir(tmp_path)
            os.execv(sys.executable, command)
        finally:
            os._exit(127)
    shown = b""

    def read_until(marker: bytes) -> str:
        nonlocal shown
        deadline = time.monotonic() + 60
        while marker not in shown and time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.5)[0]:
                try:
                    shown += os.read(terminal, 65536)
                except OSError:
                    break
        assert marker in shown, shown.decode(errors="replace")
        return shown.decode(errors="replace").replace("\r", "")

    async def draw_a_chart(urls: dict[str, str]) -> None:
        async with aiohttp.ClientSession() as http:
            general = PageClient(http, urls["general"])
            await general.open()
            assert (await general.run_command("history"))["settlement"] == "settled"

    try:
        urls = parse_demo_lines(read_until(b"Press Enter"))
        asyncio.run(draw_a_chart(urls))  # starts the drawing worker process
        os.write(terminal, b"\n")
        read_until(b"Clock: Thursday 1 January 21:00")
        os.write(terminal, b"\x03")  # Ctrl-C: the terminal interrupts the demo and its worker
        text = read_until(b"Stopped; the database is closed.")
        _, status = os.waitpid(pid, 0)
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(terminal)
    assert os.waitstatus_to_exitcode(status) == 0
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text

    async def stopped_at() -> str:
        db = await Database(database).open()
        try:
            return await db.get_meta("demo_clock")
        finally:
            await db.close()

    assert asyncio.run(stopped_at()).startswith("2026-01-01T21:00")


def test_seconds_stops_the_demo_by_itself(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN" and not k.startswith("BOT_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--no-browser", "--seconds", "2"],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert list(parse_demo_lines(done.stdout)) == ["general", "support", "mod-log", "dm"]
    assert done.stdout.splitlines()[-1] == "Stopped; the database is closed."
