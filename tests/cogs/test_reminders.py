"""Daily DM prompts through simulated Discord: local times, DST, restarts, closed DMs, pacing."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import simcord

from bot import safety
from bot.checkins import reminders
from bot.checkins.times import epoch
from bot.errors import UserError


def prompts(user):
    return [m for m in user.dm_channel.history() if m.author.bot and m.content.startswith("Time for your")]


async def advance_to(env, moment: datetime, step: float = 86400) -> None:
    while env.now() < moment:
        await env.advance_time(min(step, (moment - env.now()).total_seconds()))


async def test_bad_time_and_unknown_zone_are_named_and_nothing_is_stored(simcord_env, channel, member):
    bad_time = await member.slash(channel, "reminder set", time="25:99", timezone="Europe/Berlin")
    assert bad_time.response.ephemeral and "“25:99” is not a time" in bad_time.response.content
    bad_zone = await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Atlantis")
    assert "“Europe/Atlantis” is not a time zone" in bad_zone.response.content
    assert await simcord_env.bot.db.fetchval("SELECT COUNT(*) FROM checkin_reminders") == 0
    simcord.assert_error(simcord_env, UserError, contains="Europe/Atlantis")


async def test_show_off_and_zone_autocomplete(simcord_env, channel, member):
    none = await member.slash(channel, "reminder show")
    assert "no reminder" in none.response.content
    await member.slash(channel, "reminder set", time="07:15", timezone="america/new york")
    shown = await member.slash(channel, "reminder show")
    assert shown.response.ephemeral
    assert (
        "07:15 America/New_York" in shown.response.content
        and "Thursday 1 January at 07:15" in shown.response.content
    )
    choices = await member.autocomplete(channel, "reminder set", "timezone", "Euro", time="21:30")
    assert 0 < len(choices) <= 25 and all(c["value"].startswith("Europe/") for c in choices)
    assert len(await member.autocomplete(channel, "reminder set", "timezone", "", time="21:30")) <= 25
    off = await member.slash(channel, "reminder off")
    assert "off" in off.response.content
    assert await simcord_env.bot.db.fetchval("SELECT COUNT(*) FROM checkin_reminders") == 0


async def test_dm_arrives_daily_at_local_time_and_never_twice_or_after_a_checkin(
    simcord_env, channel, member
):
    env = simcord_env
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")
    await advance_to(env, datetime(2026, 1, 1, 20, 29, tzinfo=UTC))
    assert prompts(member.user) == []
    await env.advance_time(61)
    assert len(prompts(member.user)) == 1
    # Setting the same or a later time again that evening does not send a second prompt.
    await member.slash(channel, "reminder set", time="22:00", timezone="Europe/Berlin")
    await env.advance_time(3600)
    assert len(prompts(member.user)) == 1
    # Checked in before the time on 2 January: no prompt that day.
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")
    await advance_to(env, datetime(2026, 1, 2, 12, tzinfo=UTC))
    await member.slash(channel, "checkin", severity=2)
    await advance_to(env, datetime(2026, 1, 2, 23, tzinfo=UTC))
    assert len(prompts(member.user)) == 1
    # 3 January: the prompt comes again, stamped 21:30 Berlin.
    await advance_to(env, datetime(2026, 1, 3, 21, tzinfo=UTC))
    sent = prompts(member.user)
    assert len(sent) == 2
    assert sent[-1].created_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "21:30"
    assert "Saturday 3 January" in sent[-1].content


@pytest.mark.simcord(settle_timeout=60)
async def test_prompts_follow_local_time_across_dst_changes_in_three_zones(simcord_env, guild, channel):
    env = simcord_env
    zones = (
        "America/New_York",  # EST → EDT on 8 March
        "Europe/Berlin",  # CET → CEST on 29 March
        "Australia/Sydney",  # AEDT → AEST on 5 April
    )
    await env.advance_time((datetime(2026, 3, 6, 12, tzinfo=UTC) - env.now()).total_seconds())
    members = {}
    for zone in zones:
        members[zone] = guild.add_member(env.create_user(zone.split("/")[1].lower()))
        await members[zone].slash(channel, "reminder set", time="21:30", timezone=zone)
    await advance_to(env, datetime(2026, 4, 7, 12, tzinfo=UTC))
    for zone, member in members.items():
        local = [m.created_at.astimezone(ZoneInfo(zone)) for m in prompts(member.user)]
        assert {t.strftime("%H:%M") for t in local} == {"21:30"}, zone
        dates = [t.date() for t in local]
        assert len(dates) == len(set(dates)) == (dates[-1] - dates[0]).days + 1, zone  # one a day, every day
        assert len({t.utcoffset() for t in local}) == 2, (
            zone
        )  # the UTC offset changed, the local time did not


async def test_checkin_across_local_midnight_uses_the_members_day(simcord_env, channel, member):
    env = simcord_env
    await member.slash(channel, "reminder set", time="09:00", timezone="Asia/Tokyo")  # UTC+9
    await env.advance_time(14 * 3600 + 59 * 60)  # 23:59 in Tokyo on 1 January
    first = await member.slash(channel, "checkin", severity=3)
    assert "Thursday 1 January" in first.response.content
    await env.advance_time(120)  # 00:01 on 2 January in Tokyo, still 1 January in UTC
    second = await member.slash(channel, "checkin", severity=4)
    assert "Saved your check-in for today (Friday 2 January" in second.response.content
    days = [r[0] for r in await env.bot.db.fetchall("SELECT local_date FROM checkins ORDER BY local_date")]
    assert days == ["2026-01-01", "2026-01-02"]


async def test_buttons_and_schedule_survive_a_restart(simcord_env, channel, member, restart):
    env = simcord_env
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")
    await restart()
    await advance_to(env, datetime(2026, 1, 1, 20, 31, tzinfo=UTC))
    [prompt] = prompts(member.user)
    await restart()
    tapped = await member.user.click(prompt, label="3")
    assert "severity 3/10" in tapped.response.content
    shown = await member.user.click(prompt, label="Add details")
    controls = [
        c for row in shown.modal["components"] for c in row.get("components") or [row.get("component")]
    ]
    assert len(controls) <= 5 and "ci:f:severity" not in {c["custom_id"] for c in controls}
    done = await member.user.submit_modal(shown, {"ci:f:sleep": "7", "ci:f:note": "I wish I was dead"})
    assert "sleep 7 h" in done.response.content and "severity 3/10" in done.response.content
    assert done.response.ephemeral and safety.DEFAULT_RESOURCES[:50] in done.response.content
    row = await env.bot.db.fetchone(
        "SELECT severity, sleep_hours FROM checkins WHERE user_id = ?", (member.id,)
    )
    assert tuple(row) == (3, 7.0)


async def test_prompt_buttons_refuse_a_stale_day(simcord_env, channel, member):
    env = simcord_env
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")
    await advance_to(env, datetime(2026, 1, 1, 20, 31, tzinfo=UTC))
    [prompt] = prompts(member.user)
    await member.slash(channel, "reminder off")
    await advance_to(env, datetime(2026, 1, 10, 12, tzinfo=UTC))
    stale = await member.user.click(prompt, label="5")
    assert "more than 7 days old" in stale.response.content
    assert await env.bot.db.fetchval("SELECT COUNT(*) FROM checkins") == 0


@pytest.mark.simcord(settle_timeout=30)
@pytest.mark.parametrize(("down_until", "expect_late"), [((21, 45), True), ((22, 31), False)])
async def test_prompt_missed_while_down_is_sent_late_within_two_hours_else_skipped(
    simcord_env, channel, member, make_bot, down_until, expect_late
):
    env = simcord_env
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")  # due 20:30 UTC
    await advance_to(env, datetime(2026, 1, 1, 20, tzinfo=UTC))
    await env.bot.close()
    # The bot is down; time passes.
    await env.advance_time((datetime(2026, 1, 1, *down_until, tzinfo=UTC) - env.now()).total_seconds())
    bot = make_bot()
    try:
        await env.restart_bot(bot)
        await env.advance_time(5)
        sent = prompts(member.user)
        if expect_late:
            assert len(sent) == 1 and "a little late" in sent[0].content
        else:
            assert sent == []
        # Either way the next day's prompt comes on time, once.
        await advance_to(env, datetime(2026, 1, 2, 20, 31, tzinfo=UTC))
        assert len(prompts(member.user)) == (2 if expect_late else 1)
        assert "Friday 2 January" in prompts(member.user)[-1].content
    finally:
        await bot.close()


async def test_closed_dms_pause_the_reminder_and_the_member_is_told(simcord_env, channel, member):
    env = simcord_env
    dm_id = member.user.dm_channel.id
    env.inject_error("POST", f"/channels/{dm_id}/messages", status=403, code=50007, times=None)
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")
    await advance_to(env, datetime(2026, 1, 3, 23, tzinfo=UTC))
    attempts = [
        r for r in env.http_requests if r.method == "POST" and r.path == f"/channels/{dm_id}/messages"
    ]
    assert len(attempts) == 1  # no retries on the following days
    reminder = await reminders.get_reminder(env.bot.db, member.id)
    assert reminder.paused and reminder.paused_reason == reminders.DM_CLOSED
    # The next command (any command) carries the explanation, once.
    reply = await member.slash(channel, "privacy")
    assert any("DMs" in m.content and "/reminder set" in m.content for m in reply.followups)
    assert all(m.ephemeral for m in reply.followups)
    again = await member.slash(channel, "privacy")
    assert again.followups == []
    shown = await member.slash(channel, "reminder show")
    assert "paused" in shown.response.content


@pytest.mark.simcord(settle_timeout=60)
async def test_many_prompts_in_one_minute_are_paced_under_the_global_limit(simcord_env, guild, channel):
    env = simcord_env
    db = env.bot.db
    users = [env.create_user(f"member{i}") for i in range(60)]
    for user in users:
        guild.add_member(user)
        await reminders.set_reminder(
            db, user.id, datetime(2026, 1, 1, 21, 30).time(), ZoneInfo("Europe/Berlin"), env.now()
        )
    env.bot.get_cog("Reminders").wake()  # rows written directly: tell the scheduler
    await env.advance_time(1)
    await advance_to(env, datetime(2026, 1, 1, 20, 35, tzinfo=UTC), step=3600)
    assert [len(prompts(u)) for u in users] == [1] * 60  # everyone, once
    # 60 DM channels to open plus 60 messages went through the pacer (40/s after a burst of 10):
    # the last prompt left (120 - 10) / 40 s after the first request, and no 1 s window holds
    # more than 50 requests.
    cog = env.bot.get_cog("Reminders")
    assert cog.sent == 60
    stamps = sorted(m.created_at for u in users for m in prompts(u))
    assert (stamps[-1] - stamps[0]).total_seconds() == pytest.approx((120 - 10) / 40, abs=0.5)
    for i, start in enumerate(stamps):
        assert sum(1 for s in stamps[i:] if (s - start).total_seconds() < 1.0) <= 50
    assert (
        await db.fetchval(
            "SELECT COUNT(*) FROM checkin_reminders WHERE next_due_utc <= ?", (epoch(env.now()),)
        )
        == 0
    )


async def test_commands_work_in_dms_with_the_same_diary(simcord_env, channel, member):
    env = simcord_env
    await member.slash(channel, "checkin", severity=4, note="from the server")
    dm = await member.user.slash("checkin", severity=6)
    assert "Updated your check-in" in dm.response.content
    assert await env.bot.db.fetchval("SELECT COUNT(*) FROM checkins WHERE user_id = ?", (member.id,)) == 1
    assert await reminders.get_dm_channel(env.bot.db, member.id) == member.user.dm_channel.id
    for name in ("reminder show", "history", "privacy", "mydata show", "export"):
        result = await member.user.slash(name)
        assert (result.response or result.followups[0]).ephemeral, name
    # The stored DM channel makes a prompt a single request.
    await member.user.slash("reminder set", time="21:30", timezone="UTC")
    before = len(env.http_requests)
    await advance_to(env, datetime(2026, 1, 2, 21, 31, tzinfo=UTC))
    new = [r.path for r in env.http_requests[before:]]
    assert "/users/@me/channels" not in new
    assert len(prompts(member.user)) >= 1


async def test_everyday_ways_of_writing_a_time_and_a_city_for_the_zone(simcord_env, channel, member):
    env = simcord_env
    choices = await member.autocomplete(channel, "reminder set", "timezone", "berlin", time="noon")
    assert choices[0]["value"] == "Europe/Berlin" and choices[0]["name"] == "Europe/Berlin (now 01:00)"
    assert all(len(c["name"]) <= 100 for c in choices) and len(choices) <= 25
    for typed, stored in (("noon", "12:00"), ("21h30", "21:30"), ("9pm", "21:00"), ("9:30 PM", "21:30")):
        result = await member.slash(channel, "reminder set", time=typed, timezone="Berlin")
        assert result.response.ephemeral and f"{stored} Europe/Berlin" in result.response.content, typed
        assert (await reminders.get_reminder(env.bot.db, member.id)).timezone == "Europe/Berlin"
    ambiguous = await member.slash(channel, "reminder set", time="9", timezone="Berlin")
    assert "could be morning or evening" in ambiguous.response.content
    abbreviation = await member.slash(channel, "reminder set", time="21:30", timezone="EST")
    assert "Did you mean America/New_York" in abbreviation.response.content
    assert (await reminders.get_reminder(env.bot.db, member.id)).local_time.isoformat() == "21:30:00"
    simcord.assert_error(env, UserError)


async def test_closed_dm_notice_waits_past_a_form_and_comes_with_its_reply(simcord_env, channel, member):
    env = simcord_env
    dm_id = member.user.dm_channel.id
    env.inject_error("POST", f"/channels/{dm_id}/messages", status=403, code=50007, times=None)
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")
    await advance_to(env, datetime(2026, 1, 1, 20, 31, tzinfo=UTC))
    assert (await reminders.get_reminder(env.bot.db, member.id)).paused
    # /checkin with no options answers with a form: the notice is not lost behind it ...
    shown = await member.slash(channel, "checkin")
    assert shown.modal is not None and shown.followups == []
    done = await member.submit_modal(shown, {"ci:f:severity": "4"})
    # ... it follows the form's reply, privately, once.
    assert "severity 4/10" in done.response.content
    assert [m.ephemeral for m in done.followups] == [True]
    assert "DMs with me are closed" in done.followups[0].content
    again = await member.slash(channel, "privacy")
    assert again.followups == []
    # Setting the reminder again resumes it.
    await member.slash(channel, "reminder set", time="21:30", timezone="Europe/Berlin")
    assert not (await reminders.get_reminder(env.bot.db, member.id)).paused
