"""Fast-forward: the simulated clock moves to your next reminder and the real scheduler sends the prompt."""

from __future__ import annotations

import io

import pytest

from bot.demo import runner, world
from bot.demo.pages import Pages

pytestmark = pytest.mark.simcord(settle_timeout=30)


@pytest.fixture
async def community(simcord_env):
    return await world.build(simcord_env, world.create_people(simcord_env))


def prompts(community):
    return [m for m in community.you.user.dm_channel.history() if m.author.bot and m.components]


async def test_the_prompt_arrives_in_your_dms_with_its_buttons(simcord_env, community):
    assert prompts(community) == []
    out = io.StringIO()
    await runner.fast_forward(Pages(simcord_env), simcord_env, community.you.id, out)
    assert out.getvalue() == (
        "Clock: Thursday 1 January 21:00 Europe/London; your daily prompt is on the dm page.\n"
    )
    [prompt] = prompts(community)
    assert prompt.content.startswith("Time for your RLS check-in for Thursday 1 January")
    labels = [c.label for row in prompt.components for c in row.children]
    assert labels == [str(n) for n in range(11)] + ["Add details"]


async def test_a_day_with_a_check_in_gets_no_prompt_and_says_so(simcord_env, community):
    await community.you.slash(community.general, "checkin", severity=3)
    out = io.StringIO()
    await runner.fast_forward(Pages(simcord_env), simcord_env, community.you.id, out)
    assert "no prompt: that day already has a check-in, so the next one is tomorrow" in out.getvalue()
    assert prompts(community) == []
    # The next fast-forward is the next evening's prompt.
    await runner.fast_forward(Pages(simcord_env), simcord_env, community.you.id, out)
    assert (
        out.getvalue().splitlines()[-1].startswith("Clock: Friday 2 January 21:00 Europe/London; your daily")
    )
    [prompt] = prompts(community)
    assert "Friday 2 January" in prompt.content
