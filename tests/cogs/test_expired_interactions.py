"""Buttons and forms nothing handles any more are answered, never left silent."""

from __future__ import annotations

import pytest
from discord import app_commands

from bot.interactions import EXPIRED_FORM, user_message


async def count(bot, user_id):
    return await bot.db.fetchval("SELECT COUNT(*) FROM checkins WHERE user_id = ?", (user_id,))


async def test_a_delete_confirmation_pressed_after_a_restart_expires_and_deletes_nothing(
    simcord_env, channel, member, restart
):
    await member.slash(channel, "checkin", severity=4)
    ask = await member.slash(channel, "mydata delete")
    bot = await restart()
    pressed = await member.click(ask.response, label="Delete everything")
    assert pressed.response.ephemeral
    assert pressed.response.content == (
        "This confirmation has expired; nothing was deleted. Run /mydata delete again."
    )
    assert await count(bot, member.id) == 1


async def test_a_checkin_form_submitted_after_a_restart_says_to_run_checkin_again(
    simcord_env, channel, member, restart
):
    shown = await member.slash(channel, "checkin")
    assert shown.modal is not None
    bot = await restart()
    done = await member.submit_modal(shown, {"ci:f:severity": "4"})
    assert done.response.ephemeral and done.response.content == EXPIRED_FORM
    assert await count(bot, member.id) == 0


async def test_the_delete_confirmation_disables_its_buttons_when_it_times_out(simcord_env, channel, member):
    await member.slash(channel, "checkin", severity=4)
    ask = await member.slash(channel, "mydata delete")
    await simcord_env.advance_time(301)
    message = simcord_env.backend.get_message(ask.response.channel_id, ask.response.id)
    buttons = [c for row in message.components for c in row["components"]]
    assert buttons and all(b.get("disabled") for b in buttons)
    assert "expired; nothing was deleted" in message.content
    assert await count(simcord_env.bot, member.id) == 1


@pytest.mark.parametrize(
    ("in_dm", "reason"), [(True, "only works in a server"), (False, "needs a permission you don't have")]
)
def test_a_refused_check_says_why(in_dm, reason):
    text = user_message(app_commands.CheckFailure(), in_dm=in_dm)
    assert text.startswith("You can't use this command here: ") and reason in text
