"""Screenshots of the demo for the README, taken from the real demo in headless Chromium.

    python -m bot.demo.screenshots [--out docs/demo]

Starts ``python -m bot demo --no-browser --fast-forward``, runs /treatment and /history in #general
through the pages' own protocol, then photographs the #general, #mod-log and DM pages with the
system's Chromium (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import aiohttp

from bot.demo.client import PageClient, embed_titles, parse_demo_lines
from bot.settings import PROJECT_ROOT

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
READY = "Clock: "  # printed once --fast-forward has brought the daily prompt


def find_chromium() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def browser_command(chromium: str, url: str, profile: Path, *extra: str) -> list[str]:
    """A headless Chromium with a new empty profile and no background traffic."""
    return [
        chromium,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--virtual-time-budget=8000",
        *extra,
        url,
    ]


def photograph(chromium: str, url: str, path: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory(prefix="rls-demo-chromium-") as profile:
        subprocess.run(
            browser_command(
                chromium, url, Path(profile), f"--window-size={width},{height}", f"--screenshot={path}"
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
    if not path.is_file():
        raise RuntimeError(f"Chromium wrote no {path}")


async def start_demo(folder: Path) -> tuple[asyncio.subprocess.Process, dict[str, str]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "demo", "--no-browser", "--fast-forward", "--seconds", "600",
        "--database", str(folder / "demo.db"),
        cwd=folder, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    printed = ""
    while READY not in printed:
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=120)
        if not line:
            raise RuntimeError("the demo stopped before it was ready:\n" + printed)
        printed += line.decode()
    return proc, parse_demo_lines(printed)


async def take(out: Path, chromium: str) -> list[Path]:
    shots = []
    with tempfile.TemporaryDirectory(prefix="rls-demo-shots-") as folder:
        proc, urls = await start_demo(Path(folder))
        try:
            async with aiohttp.ClientSession() as http:
                general = PageClient(http, urls["general"])
                await general.open()
                await general.run_command("treatment", name="baclofen")
                await general.wait_for(lambda m: "Baclofen: fact card" in embed_titles(m))
                shots.append((urls["general"], out / "fact-card.png", 1280, 1500))
            for url, path, width, height in shots:
                await asyncio.to_thread(photograph, chromium, url, path, width, height)
            async with aiohttp.ClientSession() as http:
                general = PageClient(http, urls["general"])
                await general.open()
                await general.run_command("history")
                await general.wait_for(lambda m: any(t.startswith("Your RLS diary") for t in embed_titles(m)))
            later = [
                (urls["general"], out / "history.png", 1280, 1000),
                (urls["mod-log"], out / "mod-log-case.png", 1280, 900),
                (urls["dm"], out / "dm-prompt.png", 1280, 700),
            ]
            for url, path, width, height in later:
                await asyncio.to_thread(photograph, chromium, url, path, width, height)
            shots += later
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGINT)
            await asyncio.wait_for(proc.wait(), timeout=60)
    return [path for _, path, _, _ in shots]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.demo.screenshots", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "demo", help="where the PNGs go")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("error: no Chromium found; on Debian: apt-get install -y chromium", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(take(args.out, chromium)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
