"""/checkin, the modal, bad input, crisis language, autocomplete, /history, /export, /mydata, /privacy."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest
import simcord

from bot import safety
from bot.checkins.privacy import USER_TABLES
from bot.errors import UserError


async def count(bot, user_id: int) -> int:
    return await bot.db.fetchval("SELECT COUNT(*) FROM checkins WHERE user_id = ?", (user_id,))


def reply_of(result):
    """The message a deferred command finally showed."""
    return result.followups[-1] if result.followups else result.response


def modal_inputs(shown) -> dict[str, dict]:
    out = {}
    for row in shown.modal["components"]:
        for component in row.get("components") or [row.get("component")]:
            out[component["custom_id"]] = component
    return out


async def test_checkin_without_options_opens_a_modal_and_a_second_one_updates(simcord_env, channel, member):
    bot = simcord_env.bot
    shown = await member.slash(channel, "checkin")
    inputs = modal_inputs(shown)
    assert 0 < len(inputs) <= 5
    assert "ci:f:severity" in inputs and "ci:f:note" in inputs
    done = await member.submit_modal(
        shown,
        {"ci:f:severity": "7", "ci:f:sleep": "6h30", "ci:f:onset": "Evening", "ci:f:treatments": "iron"},
    )
    assert done.response.ephemeral
    assert "Saved your check-in for today (Thursday 1 January 2026): severity 7/10, sleep 6.5 h" in (
        done.response.content
    )
    again = await member.slash(channel, "checkin")
    assert modal_inputs(again)["ci:f:severity"].get("value") == "7"  # prefilled with what is stored
    updated = await member.submit_modal(again, {"ci:f:severity": "5"})
    assert (
        "Updated your check-in" in updated.response.content
        and "so this updates it" in updated.response.content
    )
    assert await count(bot, member.id) == 1
    row = await bot.db.fetchone("SELECT severity, sleep_hours FROM checkins WHERE user_id = ?", (member.id,))
    assert tuple(row) == (5, None)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ci:f:severity": "11"}, "Severity must be from 0"),
        ({"ci:f:severity": "-1"}, "Severity must be from 0"),
        ({"ci:f:severity": "bad"}, "Severity must be a whole number"),
        ({"ci:f:severity": "eleven"}, "11 is outside that"),
        ({"ci:f:severity": "awful"}, "“awful” isn't one"),
        ({"ci:f:severity": "7.5"}, "“7.5” isn't one"),
        ({"ci:f:severity": "5", "ci:f:sleep": "30"}, "Sleep must be between 0 and 24"),
        ({"ci:f:severity": "5", "ci:f:sleep": "25", "ci:f:note": "fine"}, "25 is outside that"),
        ({"ci:f:severity": "5", "ci:f:sleep": "lots"}, "Sleep must be a number of hours"),
        ({"ci:f:severity": "5", "ci:f:onset": "midnight"}, "Onset must be one of"),
    ],
)
async def test_bad_modal_input_is_named_and_nothing_is_saved(simcord_env, channel, member, values, message):
    await member.slash(
        channel, "checkin", severity=2, note="kept", date="yesterday"
    )  # another day, untouched
    shown = await member.slash(channel, "checkin")
    result = await member.submit_modal(shown, values)
    assert result.response.ephemeral and message in result.response.content
    rows = await simcord_env.bot.db.fetchall("SELECT local_date, severity, note FROM checkins")
    assert [tuple(r) for r in rows] == [("2025-12-31", 2, "kept")]
    simcord.assert_error(simcord_env, UserError)


async def test_the_form_takes_a_2am_member_s_own_words(simcord_env, channel, member):
    shown = await member.slash(channel, "checkin", date="last night")
    done = await member.submit_modal(
        shown, {"ci:f:severity": "about an 8", "ci:f:sleep": "barely four and a half hours", "ci:f:onset": "at night"}
    )
    assert done.response.ephemeral
    row = await simcord_env.bot.db.fetchone("SELECT local_date, severity, sleep_hours, onset FROM checkins")
    assert tuple(row) == ("2025-12-31", 8, 4.5, "bedtime")


async def test_the_form_limits_the_note_to_1000_characters(simcord_env, channel, member):
    shown = await member.slash(channel, "checkin")
    assert modal_inputs(shown)["ci:f:note"]["max_length"] == 1000
    with pytest.raises(simcord.SetupError, match="max_length"):  # Discord's client refuses it
        await member.submit_modal(shown, {"ci:f:severity": "5", "ci:f:note": "x" * 1001})
    done = await member.submit_modal(shown, {"ci:f:severity": "5", "ci:f:note": "x" * 1000})
    assert "a note" in done.response.content
    assert await simcord_env.bot.db.fetchval("SELECT length(note) FROM checkins") == 1000


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"severity": 4, "date": "9" * 60}, "is not a date I understand"),
        ({"severity": 4, "date": "99999 days ago"}, "99999 days back is too far"),
        ({"severity": 4, "date": "2026-01-01" + "0" * 50}, "is not a date"),
        ({"severity": 4, "date": "2026-01-02"}, "2026-01-02 is in the future"),
        ({"severity": 4, "date": "2025-12-24"}, "more than 7 days ago"),
        ({"severity": 4, "date": "someday"}, "“someday” is not a date"),
        ({"sleep_hours": 7.0}, "Please include a severity"),
    ],
)
async def test_bad_slash_input_is_named_and_nothing_is_saved(simcord_env, channel, member, options, message):
    result = await member.slash(channel, "checkin", **options)
    assert result.response.ephemeral and message in result.response.content
    assert await count(simcord_env.bot, member.id) == 0
    simcord.assert_error(simcord_env, UserError)


@pytest.mark.parametrize(
    ("option", "limit"),
    [("note", 1000), ("treatments", 300), ("side_effects", 300), ("date", 64)],
)
async def test_every_text_option_is_bounded_where_discord_enforces_it(
    simcord_env, channel, member, option, limit
):
    with pytest.raises(simcord.SetupError, match=f"must be at most {limit} characters"):  # Discord refuses it
        await member.slash(channel, "checkin", severity=4, **{option: "x" * (limit + 1)})
    assert await count(simcord_env.bot, member.id) == 0


async def test_backdating_within_a_week_and_partial_update(simcord_env, channel, member):
    first = await member.slash(channel, "checkin", severity=3, date="2025-12-25", onset="bedtime")
    assert "Thursday 25 December 2025" in first.response.content
    more = await member.slash(channel, "checkin", date="2025-12-25", side_effects="nausea")
    assert "Updated" in more.response.content and "severity 3/10" in more.response.content
    row = await simcord_env.bot.db.fetchone("SELECT * FROM checkins WHERE user_id = ?", (member.id,))
    assert (row["onset"], row["side_effects"]) == ("bedtime", "nausea")


async def test_crisis_language_adds_resources_and_still_saves(simcord_env, guild, channel, member):
    bot = simcord_env.bot
    result = await member.slash(channel, "checkin", severity=9, note="I can't sleep and I want to die")
    assert "Saved your check-in" in result.response.content
    assert safety.DEFAULT_RESOURCES[:60] in result.response.content
    assert await count(bot, member.id) == 1
    await safety.configure(bot.db, guild.id, channel_id=None, resources="Call the RLS peer line: 0800 000")
    custom = await member.slash(channel, "checkin", severity=9, note="thinking about suicide")
    assert "Call the RLS peer line" in custom.response.content
    long_resources = "Helplines near you: " + "0800 000 000; " * 120 + "END"
    await safety.configure(bot.db, guild.id, channel_id=None, resources=long_resources[:1800])
    full = await member.slash(
        channel,
        "checkin",
        severity=9,
        note="I want to kill myself",
        treatments="t" * 100,
        side_effects="s" * 100,
    )
    assert full.response.content.endswith(long_resources[:1800]) and len(full.response.content) <= 2000
    calm = await member.slash(channel, "checkin", severity=2, note="these legs are killing me")
    assert "988" not in calm.response.content and "peer line" not in calm.response.content


async def test_treatment_autocomplete_offers_own_entries_and_fits_discord(simcord_env, channel, member):
    await member.slash(channel, "checkin", severity=4, treatments="Gabapentin 300 mg, iron")
    choices = await member.autocomplete(channel, "checkin", "treatments", "gaba")
    names = [c["name"] for c in choices]
    assert "Gabapentin 300 mg" in names
    assert len(choices) <= 25 and all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    listed = await member.autocomplete(channel, "checkin", "treatments", "iron, gab")
    assert "iron, Gabapentin 300 mg" in [c["value"] for c in listed]
    assert len(await member.autocomplete(channel, "checkin", "treatments", "")) <= 25
    long = await member.autocomplete(channel, "checkin", "treatments", "x" * 150)
    assert all(len(c["value"]) <= 100 for c in long)
    # The knowledge base's treatments are offered too, found by brand names and misspellings.
    offered = [c["value"] for c in await member.autocomplete(channel, "checkin", "treatments", "baclo")]
    assert "Baclofen" in offered
    offered = [c["value"] for c in await member.autocomplete(channel, "checkin", "treatments", "namenda")]
    assert "Memantine" in offered
    dates = await member.autocomplete(channel, "checkin", "date", "")
    assert len(dates) == 8 and dates[0]["value"] == "2026-01-01"


async def test_nobody_else_sees_a_diary(simcord_env, guild, channel, member):
    other = guild.add_member(simcord_env.create_user("moderator"))
    await member.slash(channel, "checkin", severity=6, note="private words")
    await member.slash(channel, "history")
    await member.slash(channel, "mydata show")
    for message in channel.history(viewer=other):
        assert "private words" not in message.content and "severity" not in message.content
    assert channel.history(viewer=other) == []


async def test_history_summary_and_chart(simcord_env, channel, member):
    empty = await member.slash(channel, "history", days=7)
    reply = reply_of(empty)
    assert reply.ephemeral and "No check-ins" in reply.embeds[0].description and reply.attachments == []
    await simcord_env.advance_time(3 * 86400)
    for day, sev, sleep in (
        ("2025-12-28", 8, 4.0),
        ("2025-12-30", 6, 5.0),
        ("2026-01-02", 3, 7.5),
        ("2026-01-04", 2, 8.0),
    ):
        await member.slash(channel, "checkin", severity=sev, sleep_hours=sleep, date=day, treatments="iron")
    result = await member.slash(channel, "history", days=7)
    reply = reply_of(result)
    text = reply.embeds[0].description
    # Today is 4 January: this week is 29 Dec – 4 Jan, last week 22–28 Dec.
    assert "3 check-ins from 2025-12-29 to 2026-01-04" in text
    assert "This week 3.7 vs last week 8 (lower)" in text
    assert "1 of 3 nights under 6 hours" in text
    assert "iron" in text
    data = await reply.attachments[0].read()
    assert data[:4] == b"\x89PNG"
    assert "of 7 days" not in text and "days without one are fine" in text


async def test_history_chart_is_drawn_off_the_event_loop(simcord_env, channel, member, monkeypatch):
    from bot.workers import ProcessWorker

    drawn = []
    run = ProcessWorker.run

    async def recording(self, fn, *args):
        drawn.append(fn.__name__)
        return await run(self, fn, *args)

    monkeypatch.setattr(ProcessWorker, "run", recording)
    await member.slash(channel, "checkin", severity=5, sleep_hours=6.0)
    reply = reply_of(await member.slash(channel, "history", days=30))
    assert reply.attachments[0].filename == "history.png"
    assert drawn == ["render_history_chart"]
    assert reply.attachments[0].size > 5000


async def test_export_too_large_falls_back_to_the_csv_then_explains(simcord_env, channel, member):
    env = simcord_env
    await member.slash(channel, "checkin", severity=4)
    env.inject_error("POST", "/webhooks/*", status=413, code=40005)  # once: the CSV alone fits
    result = await member.slash(channel, "export")
    reply = reply_of(result)
    assert reply.ephemeral and "only the CSV is attached" in reply.content
    assert [a.filename for a in reply.attachments] == ["rls-diary-2026-01-01.csv"]
    env.inject_error("POST", "/webhooks/*", status=413, code=40005, times=None)  # nothing fits
    result = await member.slash(channel, "export")
    reply = reply_of(result)
    assert reply.ephemeral and "larger than Discord lets me send" in reply.content
    assert "Sorry, something went wrong" not in reply.content


async def test_export_with_nothing_stored(simcord_env, channel, member):
    result = await member.slash(channel, "export")
    assert "nothing to export" in reply_of(result).content


async def test_mydata_show_and_delete_with_cancel(simcord_env, channel, member):
    bot = simcord_env.bot
    nothing = await member.slash(channel, "mydata show")
    assert "nothing" in nothing.response.content
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")
    await member.slash(channel, "checkin", severity=4, note="n")
    shown = await member.slash(channel, "mydata show")
    assert shown.response.ephemeral
    assert "Diary check-ins: 1" in shown.response.content and "21:30 Europe/Berlin" in shown.response.content
    ask = await member.slash(channel, "mydata delete")
    cancelled = await member.click(ask.response, label="Cancel")
    assert "nothing was deleted" in cancelled.response.content
    assert await count(bot, member.id) == 1
    ask = await member.slash(channel, "mydata delete")
    await member.click(ask.response, label="Delete everything")
    for table in USER_TABLES:
        assert await bot.db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (member.id,)) == 0
    # The deleted reminder sends nothing any more.
    await simcord_env.advance_time(86400)
    assert [m for m in member.user.dm_channel.history() if m.author.bot] == []


async def test_privacy_explains_in_plain_words(simcord_env, channel, member):
    result = await member.slash(channel, "privacy")
    text = result.response.content
    assert result.response.ephemeral
    for phrase in ("only you", "/mydata delete", "/export", "Moderators", "every server"):
        assert phrase.casefold() in text.casefold()
    assert len(text) <= 2000


async def test_community_prompt_posts_daily_without_pings_and_opens_a_private_form(
    simcord_env, guild, channel, member, assert_no_pings
):
    env = simcord_env
    mods = guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    mod = guild.add_member(env.create_user("mod"), roles=[mods])
    with pytest.raises(simcord.SetupError):
        await member.slash(
            channel, "checkin-prompt set", channel=channel, time="20:00", timezone="Europe/Berlin"
        )
    bad = await mod.slash(
        channel, "checkin-prompt set", channel=channel, time="8 o'clock", timezone="Europe/Berlin"
    )
    assert "could be morning or evening" in bad.response.content and "20:00" in bad.response.content
    simcord.assert_error(env, UserError)
    bad = await mod.slash(
        channel, "checkin-prompt set", channel=channel, time="after tea", timezone="Europe/Berlin"
    )
    assert "not a time" in bad.response.content
    simcord.assert_error(env, UserError)
    ok = await mod.slash(channel, "checkin-prompt set", channel=channel, time="8pm", timezone="Europe/Berlin")
    assert ok.response.ephemeral and "20:00 Europe/Berlin" in ok.response.content
    await env.advance_time(19 * 3600 + 60)  # 20:01 Berlin
    posts = [m for m in channel.history() if m.author.bot and not m.flags.ephemeral]
    assert len(posts) == 1
    assert_no_pings(posts[0])
    shown = await member.click(posts[0], label="Check in privately")
    assert shown.modal is not None
    done = await member.submit_modal(shown, {"ci:f:severity": "4"})
    assert done.response.ephemeral and "severity 4/10" in done.response.content
    assert await count(env.bot, member.id) == 1
    await env.advance_time(86400)
    assert len([m for m in channel.history() if m.author.bot and not m.flags.ephemeral]) == 2
    off = await mod.slash(channel, "checkin-prompt off")
    assert "off" in off.response.content
    await env.advance_time(86400)
    assert len([m for m in channel.history() if m.author.bot and not m.flags.ephemeral]) == 2
    assert env.now() > datetime(2026, 1, 3, tzinfo=UTC)


async def test_checkin_prompt_checks_manage_server_in_code_too(simcord_env, guild, channel, member):
    helpers = guild.create_role("Helpers")
    helper = guild.add_member(simcord_env.create_user("helper"), roles=[helpers])
    command = next(c for c in await simcord_env.bot.tree.fetch_commands() if c.name == "checkin-prompt")
    guild.set_command_permissions(command, {helpers: True})  # the server shows it to helpers
    result = await helper.slash(channel, "checkin-prompt set", channel=channel, time="20:00", timezone="UTC")
    assert result.response.ephemeral and "Manage Server permission" in result.response.content
    assert await simcord_env.bot.db.fetchval("SELECT COUNT(*) FROM checkin_community_prompts") == 0
    simcord.assert_error(simcord_env, UserError)
