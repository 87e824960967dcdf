"""A flagged claim naming a treatment carries what its article says, and points to /treatment."""

from __future__ import annotations

from dataclasses import replace

import discord
import pytest

ARTICLE = """---
title: Baclofen and Restless Leg Syndrome
author: James Hines
date: 2023-04-28
source: https://example.org/baclofen-rls
treatment:
  name: Baclofen
  slug: baclofen
  aliases: [Lioresal]
facts:
  evidence:
    level: Limited
    summary: Only a few small studies.
key_risks: [physical dependence, withdrawal seizures if stopped abruptly]
---

## Studies and Clinical Trials on Baclofen

There have been relatively few studies on baclofen for RLS.

## Side Effects, Risks, and Considerations

Drowsiness, dizziness. Abruptly discontinuing baclofen can lead to withdrawal.
"""


@pytest.fixture
def settings(settings, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "baclofen.md").write_text(ARTICLE, encoding="utf-8")
    return replace(settings, articles_dir=articles)


async def test_case_note_says_what_the_article_says(simcord_env, guild, channel, member):
    bot = simcord_env.bot
    if bot.knowledge.find_treatment("baclofen") is None:
        pytest.skip("the knowledge base did not load the test article")
    mods = guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True))
    moderator = guild.add_member(simcord_env.create_user("mod"), roles=[mods])
    log = guild.create_text_channel("mod-log")
    await moderator.slash(channel, "mod setup", log_channel=log, action="reply")
    # A rule marked precise enough for public replies (stopping a medicine abruptly).
    await member.send(channel, "Stop your baclofen cold turkey everyone, you'll be fine")
    post = [m for m in log.history() if m.author.bot][0]
    note = {f.name: f.value for f in post.embeds[0].fields}["What the articles actually say"]
    assert "Baclofen" in note and "Limited" in note and "physical dependence" in note
    assert "`/treatment Baclofen`" in note
    public = [m for m in channel.history() if m.author.bot]
    assert len(public) == 1 and "`/treatment Baclofen`" in public[0].content
