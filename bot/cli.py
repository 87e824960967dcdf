"""``python -m bot``: run the bot, or an admin command that needs no token.

Each domain adds its own subcommands through a ``register(subparsers)``
function in its ``cli`` module; they share the domain code the bot uses.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
from collections.abc import Sequence

from bot.settings import Settings, SettingsError

log = logging.getLogger("bot")


def setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("discord").setLevel(max(logging.INFO, getattr(logging, level, logging.INFO)))


def apply_endpoint_overrides(settings: Settings) -> None:
    """Point discord.py at a REST proxy / gateway proxy / local compatible server."""
    import discord.gateway
    import discord.http
    import yarl

    if settings.api_base:
        discord.http.Route.BASE = settings.api_base
        log.info("REST API base: %s", settings.api_base)
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
        log.info("gateway: %s", settings.gateway_url)


def run_bot(settings: Settings, *, force_sync: bool = False) -> int:
    import aiohttp
    import discord

    from bot.app import RLSBot
    from bot.db import MigrationError

    token = settings.require_token()
    apply_endpoint_overrides(settings)

    async def serve(stop: asyncio.Event, *, message_content: bool) -> None:
        """Run one bot until it stops by itself or ``stop`` is set; it is closed either way."""
        async with RLSBot(settings, force_sync=force_sync, message_content=message_content) as bot:
            started = asyncio.create_task(bot.start(token), name="bot")
            stopping = asyncio.create_task(stop.wait(), name="stop-signal")
            try:
                await asyncio.wait({started, stopping}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopping.cancel()
                if not started.done():
                    log.info("stopping")
                    started.cancel()  # also interrupts a start-up still under way
                    with contextlib.suppress(asyncio.CancelledError):
                        await started
                    await bot.close()
            if not stop.is_set():
                started.result()  # re-raise why the bot stopped

    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        try:
            await serve(stop, message_content=True)
        except discord.PrivilegedIntentsRequired:
            # Commands, check-ins and reminders still work without it; only scanning stops.
            log.error(
                "the Message Content intent is not enabled for this bot, so messages cannot be scanned "
                "for unsupported claims or crisis language; enable it in the developer portal "
                "(README, 'Creating the Discord application'). Running without it."
            )
            await serve(stop, message_content=False)

    try:
        asyncio.run(runner())
    except discord.LoginFailure:
        print(
            "error: Discord rejected DISCORD_TOKEN (see README, section 'Running the bot').", file=sys.stderr
        )
        return 1
    except (sqlite3.DatabaseError, MigrationError) as exc:
        print(f"error: the database {settings.database} could not be opened: {exc}", file=sys.stderr)
        return 1
    except (OSError, aiohttp.ClientError) as exc:
        where = settings.api_base or "Discord"
        print(f"error: cannot reach {where}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def run_forget_user(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC, datetime

    from bot import privacy
    from bot.db import Database
    from bot.moderation.store import retention_from_env

    ctx = privacy.Context(now=datetime.now(UTC), retention_days=retention_from_env(settings.extra))

    async def main() -> dict[str, int]:
        from bot.moderation.service import models_dir, remove_unowned_models

        db = await Database(settings.database).open()
        try:
            await db.migrate()
            done = await privacy.forget(db, args.user_id, ctx)
            if done.get("learned_examples") and str(settings.database) != ":memory:":
                await remove_unowned_models(db, models_dir(settings.database))  # trained on them
            return done
        finally:
            await db.close()

    done = asyncio.run(main())
    labels = {c.key: c.label for c in privacy.categories()}
    for key, count in done.items():
        print(f"{labels[key]}: {count} rows")
    for sentence in privacy.kept_after_deletion():
        print(f"kept: {sentence}")
    if done.get("learned_examples"):
        print(
            "note: a bot running now keeps using the server model it has loaded until it restarts or "
            "rebuilds it tonight; `/mydata delete` in Discord drops it at once."
        )
    if ctx.changed_cases or ctx.posts_to_scrub:
        print(
            f"note: {len(ctx.changed_cases) + len(ctx.posts_to_scrub)} moderator post(s) in Discord still "
            "show the old text (/mydata delete updates them; from here a moderator can delete them)."
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    from bot.checkins import cli as checkins_cli
    from bot.demo import cli as demo_cli
    from bot.knowledge import cli as knowledge_cli
    from bot.moderation import cli as moderation_cli

    parser = argparse.ArgumentParser(prog="python -m bot", description="RLS community companion bot.")
    parser.add_argument("--force-sync", action="store_true", help="sync slash commands even if unchanged")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run the bot (the default)")
    run.add_argument("--force-sync", action="store_true", help="sync slash commands even if unchanged")
    forget = sub.add_parser(
        "forget-user",
        aliases=["diary-forget"],
        help="delete what is stored about one Discord user (a request from outside Discord)",
        description="Delete what every part of the bot stores about a user, exactly as /mydata delete does.",
    )
    forget.add_argument("user_id", type=int, help="the member's Discord user id")
    forget.set_defaults(func=run_forget_user)
    knowledge_cli.register(sub)
    checkins_cli.register(sub)
    moderation_cli.register(sub)
    demo_cli.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.load()
        setup_logging(settings.log_level)
        if args.command in (None, "run"):
            return run_bot(settings, force_sync=args.force_sync)
        return int(args.func(args, settings) or 0)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
