"""``python -m bot demo``: try the whole bot in the browser, without a token or a network."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sys
from pathlib import Path

INSTALL = "pip install -e '.[demo]'"
# simcord with its preview extra (the page server, Markdown, images).
NEEDED = ("simcord", "aiohttp", "markdown_it", "linkify_it", "regex", "PIL", "av")


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="try the bot in a simulated Discord in your browser (no token needed)",
        description=(
            "Run the real bot, every feature, inside a simulated Discord community on this machine and "
            "show it in the browser: #general and #support as you, #mod-log as a moderator, your DMs. "
            "Pages are served on 127.0.0.1 only."
        ),
    )
    demo.add_argument(
        "--database",
        type=Path,
        default=None,
        help="keep the demo's SQLite file here to resume it later (default: a temporary folder)",
    )
    demo.add_argument("--no-browser", dest="browser", action="store_false", help="only print the addresses")
    demo.add_argument(
        "--seconds", type=float, default=None, metavar="N", help="stop by itself after N seconds"
    )
    demo.add_argument(
        "--fast-forward",
        action="store_true",
        help="move the simulated clock to your next daily check-in prompt right away",
    )
    demo.set_defaults(func=run_demo)


def missing_extra() -> list[str]:
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def run_demo(args: argparse.Namespace, settings) -> int:
    missing = missing_extra()
    if missing:
        print(
            f"error: the demo needs the 'demo' extra (missing: {', '.join(missing)}); install it with: {INSTALL}",
            file=sys.stderr,
        )
        return 2
    from bot.demo import runner

    options = runner.Options(
        database=args.database, browser=args.browser, seconds=args.seconds, fast_forward=args.fast_forward
    )
    try:
        return asyncio.run(runner.run(settings, options))
    except KeyboardInterrupt:
        return 130
