"""The shared error handler: whatever a member's mistake, they get a reply Discord accepts."""

from __future__ import annotations

import simcord

from bot.checkins import times
from bot.errors import UserError


async def test_a_very_long_explanation_is_shortened_to_fit_one_message(
    simcord_env, channel, member, monkeypatch
):
    def refuses_at_length(text: str):
        raise UserError(f"“{text}” is not a time I understand. " + "Try 21:30. " * 300)

    monkeypatch.setattr(times, "parse_local_time", refuses_at_length)
    result = await member.slash(channel, "reminder set", time="soonish", timezone="Europe/Berlin")
    reply = result.response
    assert reply is not None and reply.ephemeral
    assert reply.content.startswith("“soonish” is not a time I understand.")
    assert len(reply.content) == 2000 and reply.content.endswith("…")
    simcord.assert_error(simcord_env, UserError, contains="soonish")
