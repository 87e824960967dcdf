"""With no articles at all the bot still starts and says so plainly."""

from __future__ import annotations

from pathlib import Path

import pytest
import simcord

from bot.errors import NotFound
from bot.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(token=None, database=tmp_path / "bot.db", articles_dir=tmp_path / "no-articles-yet")


async def test_no_articles(simcord_env, member, channel):
    reply = (await member.slash(channel, "treatments")).response
    assert reply.ephemeral and "No articles are loaded yet" in reply.content
    assert await member.autocomplete(channel, "treatment", "name", "bac") == []
    reply = (await member.slash(channel, "treatment", name="baclofen")).response
    assert reply.ephemeral and "I don't have an article about" in reply.content
    reply = (await member.slash(channel, "ask", question="baclofen side effects")).response
    assert "couldn't find anything" in reply.content
    (embed,) = (await member.slash(channel, "about")).response.embeds
    assert "No articles are loaded yet." in embed.fields[-1].value
    simcord.assert_error(simcord_env, NotFound)
