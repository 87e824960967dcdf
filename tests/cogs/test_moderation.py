"""Moderation through simulated Discord: claims, context, edits, exemptions, cases, buttons."""

from __future__ import annotations

import discord
import pytest

WILEY = (
    "Baclofen? LOL. They're just covering up the real cause-5G towers are messing with your dopamine "
    "receptors. I've been tracking this since 2018. Every time they roll out a new cell tower, my legs feel "
    "like they're full of ants on acid. The FDA? Bought and paid for by Big Pharma. They don't want you to "
    "know the truth. Watch the documentary 'NeuroSilent' on YouTube. It's all connected."
)


@pytest.fixture
def mod_role(guild):
    return guild.create_role("Moderators", permissions=discord.Permissions(manage_messages=True))


@pytest.fixture
def moderator(simcord_env, guild, mod_role):
    return guild.add_member(simcord_env.create_user("mod_ana"), roles=[mod_role])


@pytest.fixture
def log_channel(guild, mod_role):
    everyone = guild.default_role
    return guild.create_text_channel(
        "mod-log",
        overwrites={
            everyone: discord.PermissionOverwrite(view_channel=False),
            mod_role: discord.PermissionOverwrite(view_channel=True),
            guild.me: discord.PermissionOverwrite(view_channel=True, send_messages=True, embed_links=True),
        },
    )


@pytest.fixture
async def setup_done(moderator, channel, log_channel):
    result = await moderator.slash(channel, "mod setup", log_channel=log_channel)
    assert result.response.ephemeral
    assert "Cases go to" in result.response.content
    return log_channel


def bot_posts(channel):
    return [m for m in channel.history() if m.author.bot]


async def test_claim_becomes_case_in_log_channel(simcord_env, member, channel, setup_done):
    await member.send(channel, WILEY)
    posts = bot_posts(setup_done)
    assert len(posts) == 1
    embed = posts[0].embeds[0]
    assert embed.title.startswith("Case #1")
