"""/mydata delete removes a member from every table, except exactly what the confirmation says stays."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from bot import privacy
from bot.moderation import store


@pytest.fixture
def mod_role(guild):
    return guild.create_role("Moderators", permissions=discord.Permissions(manage_messages=True))


@pytest.fixture
async def logs(simcord_env, guild, channel, mod_role):
    moderator = guild.add_member(simcord_env.create_user("mod_ana"), roles=[mod_role])
    log_channel = guild.create_text_channel(
        "mod-log",
        overwrites={
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            mod_role: discord.PermissionOverwrite(view_channel=True),
            guild.me: discord.PermissionOverwrite(view_channel=True, send_messages=True, embed_links=True),
        },
    )
    await moderator.slash(channel, "mod setup", log_channel=log_channel, action="reply")
    return log_channel


async def tables_holding(db, value: int) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for (table,) in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for column in await db.fetchall(f"PRAGMA table_info({table})"):
            name = column["name"]
            if await db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE {name} = ?", (value,)):
                found.setdefault(table, []).append(name)
    return found


def case_posts(log):
    return [
        m
        for m in log.history()
        if m.author.bot and m.embeds and (m.embeds[0].title or "").startswith("Case #")
    ]


@pytest.mark.simcord(settle_timeout=30)
async def test_mydata_delete_leaves_only_what_the_confirmation_says(
    simcord_env, guild, channel, member, logs
):
    env = simcord_env
    db = env.bot.db
    other = guild.add_member(env.create_user("someone_else"))
    # Every kind of data, through real commands and messages.
    await member.slash(channel, "checkin", severity=6, note="bad night", treatments="iron", date="yesterday")
    await member.user.slash("reminder set", time="21:30", timezone="Europe/Berlin")  # in DMs: channel kept
    while env.now() < datetime(2026, 1, 1, 20, 31, tzinfo=UTC):
        await env.advance_time(3600 if env.now().hour < 19 else 60)
    await member.send(channel, "5G towers cause RLS, everyone knows it")  # a case about their message
    await member.send(channel, "I want to die, I can't take these legs any more")  # a crisis alert
    flagged = await other.send(channel, "My cousin sells copper insoles that fixed everything")
    await member.context_menu(channel, "Report as unsupported claim", flagged)  # a report they made
    before = await tables_holding(db, member.id)
    for table in ("checkins", "checkin_reminders", "checkin_dm_channels", "checkin_outbox", "checkin_prompts",
                  "mod_cases", "mod_crisis_alerts", "mod_reply_limits"):  # fmt: skip
        assert table in before, (table, before)
    assert set(before["mod_cases"]) == {"author_id", "reporter_id"}

    shown = await member.slash(channel, "mydata show")
    for category in privacy.categories():
        assert category.label in shown.response.content
    assert "Moderation cases about your messages: 1 (1 still quote your message); kept for 90 days" in (
        shown.response.content
    )
    ask = await member.slash(channel, "mydata delete")
    for sentence in privacy.kept_after_deletion():
        assert sentence in ask.response.content
    done = await member.click(ask.response, label="Delete everything")
    assert "Done. I deleted 1 check-in, your reminder" in done.response.content

    assert await tables_holding(db, member.id) == {}
    # What stays is what the confirmation said: case number, rule and outcome; the report, unnamed.
    cases = {c.number: c for c in await store.list_cases(db, guild.id, None, limit=20)}
    about = [c for c in cases.values() if c.source == "scan"]
    assert about and all(c.content is None and c.matched is None and c.author_id == 0 for c in about)
    assert all(c.rule_id and c.status for c in about)
    report = next(c for c in cases.values() if c.source == "report")
    assert report.reporter_id is None and report.author_id == other.id
    assert report.content == "My cousin sells copper insoles that fixed everything"
    # The moderators' posts no longer quote the member or name them (cases, reports, crisis alerts).
    posts = [m for m in logs.history() if m.author.bot and m.embeds]
    assert len(posts) == 3
    for post in posts:
        text = str(post.embeds[0].to_dict())
        assert "5G towers" not in text and "I want to die" not in text and str(member.id) not in text
    # Someone else's data is untouched.
    assert await db.fetchval("SELECT COUNT(*) FROM mod_cases WHERE author_id = ?", (other.id,)) == 1


async def test_about_and_privacy_state_the_configured_retention_period(simcord_env, channel, member, restart):
    await restart(extra={"BOT_CASE_RETENTION_DAYS": "30"})
    about = await member.slash(channel, "about")
    field = next(f.value for f in about.response.embeds[0].fields if f.name == "What data it keeps")
    assert "30 days" in field and "90" not in field
    text = (await member.slash(channel, "privacy")).response.content
    assert "for 30 days" in text and "90 days" not in text and len(text) <= 2000
    for sentence in privacy.kept_after_deletion():
        assert sentence in text


@pytest.mark.simcord(settle_timeout=30)
async def test_a_crisis_alert_and_its_post_are_removed_after_the_retention_period(
    simcord_env, guild, channel, member, logs, mod_role
):
    env = simcord_env
    moderator = guild.add_member(env.create_user("mod_bo"), roles=[mod_role])
    await moderator.slash(channel, "mod setup", retention_days=1)
    await member.send(channel, "I want to die, I can't take these legs any more")
    [alert] = [m for m in logs.history() if m.author.bot and m.embeds]
    assert "I want to die" in alert.embeds[0].description
    while env.now() < datetime(2026, 1, 2, 4, tzinfo=UTC):  # the purge at 03:30 on 2 January
        await env.advance_time(3600)
    assert await env.bot.db.fetchval("SELECT COUNT(*) FROM mod_crisis_alerts") == 0
    stored = env.backend.get_message(logs.id, alert.id)
    text = str(stored.embeds)
    assert "I want to die" not in text and str(member.id) not in text and "expired" in text
