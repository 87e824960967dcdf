"""The whole diary journey through simulated Discord, as a member would live it."""

from __future__ import annotations

import csv
import io

import pytest

from bot.checkins.privacy import USER_TABLES


async def rows_about(bot, user_id: int) -> dict[str, int]:
    return {
        t: await bot.db.fetchval(f"SELECT COUNT(*) FROM {t} WHERE user_id = ?", (user_id,))
        for t in USER_TABLES
    }


def dm_messages(member):
    return [m for m in member.user.dm_channel.history() if m.author.bot]


@pytest.mark.simcord(settle_timeout=30)
async def test_reminder_tap_details_chart_export_delete(simcord_env, channel, member):
    env = simcord_env
    bot = env.bot
    # 1. A reminder at 21:30 Berlin (20:30 UTC in winter).
    result = await member.slash(channel, "reminder set", time="9:30pm", timezone="Europe/Berlin")
    assert result.response.ephemeral
    assert "21:30 Europe/Berlin" in result.response.content

    # 2. Nothing before 21:30 local; the DM arrives at 21:30.
    await env.advance_time(20 * 3600 + 29 * 60)  # 2026-01-01 20:29 UTC
    assert dm_messages(member) == []
    await env.advance_time(61)
    prompts = dm_messages(member)
    assert len(prompts) == 1
    prompt = prompts[0]
    assert "Thursday 1 January" in prompt.content
    assert prompt.created_at.hour == 20 and prompt.created_at.minute == 30

    # 3. One tap records severity 6 for that day.
    tapped = await member.user.click(prompt, custom_id=f"ci:sev:{member.id}:2026-01-01:6")
    assert "severity 6/10" in tapped.response.content
    row = await bot.db.fetchone("SELECT * FROM checkins WHERE user_id = ?", (member.id,))
    assert (row["local_date"], row["severity"]) == ("2026-01-01", 6)

    # 4. "Add details" opens the form; the details are added, severity kept.
    shown = await member.user.click(prompt, label="Add details")
    assert shown.modal is not None
    done = await member.user.submit_modal(
        shown,
        {
            "ci:f:sleep": "5.5",
            "ci:f:onset": "evening",
            "ci:f:treatments": "iron, pramipexole",
            "ci:f:side_effects": "nausea",
            "ci:f:note": "bad night",
        },
    )
    assert done.response.ephemeral
    assert "Updated your check-in" in done.response.content
    row = await bot.db.fetchone("SELECT * FROM checkins WHERE user_id = ?", (member.id,))
    assert row["severity"] == 6 and row["sleep_hours"] == 5.5 and row["onset"] == "evening"
    assert row["side_effects"] == "nausea"

    # A few more days of /checkin so the chart has a line.
    for day, sev in (("2025-12-31", 4), ("yesterday", 5), ("2025-12-29", 7)):
        r = await member.slash(channel, "checkin", severity=sev, sleep_hours=7.0, date=day)
        assert r.response.ephemeral, r
        if day == "yesterday":  # the same local day as 2025-12-31: it replaces that one
            assert "Updated your check-in" in r.response.content

    # 5. A 30-day chart, ephemeral, as a PNG.
    hist = await member.slash(channel, "history", days=30)
    message = hist.followups[0] if hist.followups else hist.response
    assert message.ephemeral
    assert "3 check-ins" in message.embeds[0].description
    png = message.attachments[0]
    assert png.filename == "history.png"
    data = await png.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000

    # 6. Export: a CSV with one row per check-in, and the doctor summary.
    exp = await member.slash(channel, "export")
    message = exp.followups[0] if exp.followups else exp.response
    assert message.ephemeral
    files = {a.filename: a for a in message.attachments}
    csv_name = next(n for n in files if n.endswith(".csv"))
    text = (await files[csv_name].read()).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["date"] for r in table] == ["2025-12-29", "2025-12-31", "2026-01-01"]
    assert table[-1]["side_effects"] == "nausea"
    summary = next(n for n in files if n.endswith(".png"))
    assert (await files[summary].read())[:4] == b"\x89PNG"

    # 7. Delete everything, after confirming.
    ask = await member.slash(channel, "mydata delete")
    assert ask.response.ephemeral
    assert (await rows_about(bot, member.id))["checkins"] == 3
    confirmed = await member.click(ask.response, label="Delete everything")
    assert "Nothing of your diary is left" in confirmed.response.content
    assert await rows_about(bot, member.id) == {t: 0 for t in USER_TABLES}


@pytest.mark.simcord(settle_timeout=30)
async def test_a_reminder_set_in_everyday_words_arrives_at_that_local_time(simcord_env, channel, member):
    env = simcord_env
    result = await member.slash(channel, "reminder set", time="half nine at night", timezone="UK")
    assert result.response.ephemeral
    assert "21:30 Europe/London" in result.response.content
    await env.advance_time(21 * 3600 + 29 * 60)  # 2026-01-01 21:29 UTC (London is on GMT)
    assert dm_messages(member) == []
    await env.advance_time(61)
    prompts = dm_messages(member)
    assert len(prompts) == 1 and prompts[0].created_at.hour == 21 and prompts[0].created_at.minute == 30
