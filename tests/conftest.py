"""Shared fixtures: a real bot on a temporary database, driven through simcord."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import RLSBot
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ARTICLES_DIR = ROOT / "data" / "articles"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a test bot: its own database file, the shipped articles."""
    return Settings(token=None, database=tmp_path / "bot.db", articles_dir=ARTICLES_DIR)


@pytest.fixture
def make_bot(settings: Settings) -> Callable[..., RLSBot]:
    """Build a bot on the test settings; pass keyword overrides for Settings fields.

    Bots are not closed here: ``simcord_bot`` and ``restart`` close theirs.
    """

    def factory(**overrides: object) -> RLSBot:
        return RLSBot(replace(settings, **overrides))

    return factory


@pytest.fixture
async def simcord_bot(make_bot: Callable[..., RLSBot]):
    bot = make_bot()
    yield bot
    if not bot.is_closed():
        await bot.close()


@pytest.fixture
async def restart(simcord_env, make_bot: Callable[..., RLSBot]):
    """``await restart()`` closes the running bot and starts a new one on the same database."""
    started: list[RLSBot] = []

    async def do_restart(**overrides: object) -> RLSBot:
        await simcord_env.bot.close()
        bot = make_bot(**overrides)
        started.append(bot)
        await simcord_env.restart_bot(bot)
        return bot

    yield do_restart
    for bot in started:
        if not bot.is_closed():
            await bot.close()


@pytest.fixture
def guild(simcord_env):
    return simcord_env.create_guild(name="RLS Support")


@pytest.fixture
def channel(guild):
    return guild.create_text_channel("general")


@pytest.fixture
def member(simcord_env, guild):
    return guild.add_member(simcord_env.create_user("night_owl"))


@pytest.fixture
def assert_no_pings(simcord_env):
    """``assert_no_pings(message)``: the bot's message notifies nobody (no user, role or @everyone ping)."""

    def check(message) -> None:
        stored = simcord_env.backend.get_message(
            message.channel.id if hasattr(message, "channel") else message.channel_id, message.id
        )
        assert stored.ping_user_ids == [], stored.ping_user_ids
        assert stored.ping_role_ids == [], stored.ping_role_ids
        assert not stored.mention_everyone

    return check
