"""Moderation through simulated Discord: claims, context, edits, exemptions, cases, buttons."""

from __future__ import annotations

import discord
import pytest
import simcord
from simcord import SetupError
from simcord.enums import MessageType

from bot.moderation import store
from tests.support.seed_comments import TIM, UMESH, VISHNUPRIYA, WILEY


@pytest.fixture
def mod_role(guild):
    return guild.create_role("Moderators", permissions=discord.Permissions(manage_messages=True))


@pytest.fixture
def moderator(simcord_env, guild, mod_role):
    return guild.add_member(simcord_env.create_user("mod_ana"), roles=[mod_role])


@pytest.fixture
def log_channel(guild, mod_role):
    return guild.create_text_channel(
        "mod-log",
        overwrites={
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            mod_role: discord.PermissionOverwrite(view_channel=True),
            guild.me: discord.PermissionOverwrite(view_channel=True, send_messages=True, embed_links=True),
        },
    )


@pytest.fixture
async def logs(moderator, channel, log_channel):
    """A server whose admin has set the log channel (default action: alert)."""
    result = await moderator.slash(channel, "mod setup", log_channel=log_channel)
    assert result.response.ephemeral
    assert "Cases go to" in result.response.content and "alert" in result.response.content
    return log_channel


def bot_posts(channel):
    return [m for m in channel.history() if m.author.bot]


def dms(actor):
    channel = actor.user.dm_channel
    return [m for m in channel.history() if m.author.bot] if channel else []


def case_posts(log):
    return [m for m in bot_posts(log) if m.embeds and (m.embeds[0].title or "").startswith("Case #")]


def reply_message(result):
    return result.followups[-1] if result.followups else result.response


def reply_text(result):
    return reply_message(result).content


async def test_each_category_opens_a_case_in_the_log_channel(simcord_env, member, channel, logs):
    claims = {
        "invented_cause": WILEY,
        "regulator_conspiracy": "Big Pharma is hiding the cure for RLS because pills make more money",
        "miracle_cure": "Magnesium oil is a MIIIRACLE cure for restless legs, everyone should try it",
        "dangerous_advice": "Just stop taking your ropinirole cold turkey, you'll be fine",
        "product_pitch": "My magnesium spray stops RLS in minutes! Use my code LEGS20 for 20% off",
    }
    sent = {}
    for category, text in claims.items():
        sent[category] = await member.send(channel, text)
    await member.send(channel, TIM)
    posts = case_posts(logs)
    assert len(posts) == 6
    titles = [p.embeds[0].title for p in posts]
    assert [t.split(" · ")[0] for t in titles] == [f"Case #{n}" for n in range(1, 7)]
    first = posts[0].embeds[0]
    fields = {f.name: f.value for f in first.fields}
    assert str(member.id) in fields["Author"] and f"<#{channel.id}>" in fields["Channel"]
    assert f"/channels/{channel.guild.id}/{channel.id}/{sent['invented_cause'].id}" in fields["Message"]
    assert "5G" in first.description
    assert "What the articles actually say" in fields
    labels = [c.label for row in posts[0].components for c in row.children]
    assert labels == ["Dismiss (false positive)", "Reply with facts", "Remove message", "Warn author"]
    rows = await simcord_env.bot.db.fetchall("SELECT category FROM mod_cases ORDER BY number")
    found = [r["category"] for r in rows]
    # The 5G/FDA comment makes both kinds of claim; either category is right for it.
    assert found[0] in {"invented_cause", "regulator_conspiracy"}
    assert found[1:5] == ["regulator_conspiracy", "miracle_cure", "dangerous_advice", "product_pitch"]
    assert found[5] == "invented_cause"  # "rls is caused by too much wifi"
    # Nothing was posted publicly (default action: alert).
    assert bot_posts(channel) == []


async def test_questions_doubt_and_experience_produce_nothing(simcord_env, member, channel, logs):
    for text in (
        "there's no evidence 5G causes RLS",
        "baclofen isn't a miracle cure",
        "does wifi cause RLS?",
        "baclofen made me drowsy so I stopped",
        UMESH,
        "I quit pramipexole cold turkey in 2019 and the withdrawal was awful",
    ):
        await member.send(channel, text)
    assert bot_posts(logs) == [] and bot_posts(channel) == []
    assert await simcord_env.bot.db.fetchval("SELECT COUNT(*) FROM mod_cases") == 0


async def test_a_sceptical_rant_is_at_most_a_private_alert(simcord_env, member, channel, logs):
    # "no one ever talks about ... that's chemical suppression" reads to the model as a conspiracy
    # claim. It is scepticism: a known false alert, which a moderator dismisses. It must never be
    # acted on where the member or the channel sees it.
    await member.send(channel, VISHNUPRIYA)
    assert bot_posts(channel) == []
    assert len(case_posts(logs)) <= 1


async def test_edits_are_checked_again_and_never_open_a_second_case(simcord_env, member, channel, logs):
    message = await member.send(channel, "good morning, rough night again")
    assert case_posts(logs) == []
    await member.edit(message, "good morning. FYI 5G causes RLS")
    assert len(case_posts(logs)) == 1
    await member.edit(message, "good morning. FYI 5G causes RLS and the FDA hides the cure")
    assert len(case_posts(logs)) == 1
    case = await store.get_case(simcord_env.bot.db, channel.guild.id, 1)
    assert "FDA" in case.content
    events = await store.case_events(simcord_env.bot.db, channel.guild.id, 1)
    assert [e.action for e in events] == ["flagged", "edited"]
    assert "FDA" in case_posts(logs)[0].embeds[0].description  # the log message shows the new text


async def test_an_edit_after_a_dismissal_does_not_reopen_the_same_flag(
    simcord_env, guild, member, moderator, channel, logs
):
    message = await member.send(channel, "honestly wifi causes rls")
    await moderator.click(case_posts(logs)[0], label="Dismiss (false positive)")
    await member.edit(message, "honestly, wifi causes rls")  # a comma added
    assert len(case_posts(logs)) == 1
    await member.edit(message, "honestly, wifi causes rls. stop your meds cold turkey")
    assert len(case_posts(logs)) == 2  # a different rule is a new case
    assert (await store.get_case(simcord_env.bot.db, guild.id, 2)).rule_id == "stop-medication-abruptly"


async def test_exempt_roles_and_channels_are_not_scanned(
    simcord_env, guild, member, moderator, channel, logs
):
    helpers = guild.create_role("Clinicians")
    clinician = guild.add_member(simcord_env.create_user("dr_lee"), roles=[helpers])
    offtopic = guild.create_text_channel("debate-club")
    done = await moderator.slash(channel, "mod exempt add", role=helpers, channel=offtopic)
    assert "Not scanned any more" in done.response.content
    await clinician.send(channel, "5G causes RLS, said no study ever")
    await member.send(offtopic, "vaccines cause RLS")
    assert case_posts(logs) == []
    await moderator.slash(channel, "mod exempt remove", channel=offtopic)
    await member.send(offtopic, "vaccines cause RLS")
    assert len(case_posts(logs)) == 1
    # Exemptions are for claims: someone in crisis gets help wherever they post.
    await clinician.send(channel, "honestly I don't want to live anymore")
    assert len(dms(clinician)) == 1
    assert [m for m in bot_posts(logs) if m.embeds and m.embeds[0].title == "Someone may be in crisis"]
    assert len(case_posts(logs)) == 1
    # Bots, webhooks and system messages are never scanned.
    hook = guild.create_webhook(channel, "Feed")
    await hook.send("5G causes RLS")
    guild.create_system_message(channel, MessageType.NEW_MEMBER, author=member)
    assert len(case_posts(logs)) == 1


async def test_buttons_work_and_record_who_acted(simcord_env, guild, member, moderator, channel, logs):
    db = simcord_env.bot.db
    await member.send(channel, "Just stop taking your ropinirole cold turkey, you'll be fine")
    await member.send(channel, "Vaccines cause RLS, wake up people")
    await member.send(channel, "this tea cures RLS in a week")
    first, second, third = case_posts(logs)

    dismissed = await moderator.click(first, custom_id="mod:case:dismiss:1")
    assert "dismissed" in reply_text(dismissed) and reply_message(dismissed).ephemeral
    case = await store.get_case(db, guild.id, 1)
    assert case.status == "dismissed"
    event = (await store.case_events(db, guild.id, 1))[-1]
    assert (event.action, event.actor_id) == ("dismiss", moderator.id)
    assert "Dismissed" in {f.name: f.value for f in case_posts(logs)[0].embeds[0].fields}["Status"]

    replied = await moderator.click(second, label="Reply with facts")
    assert "Replied" in reply_text(replied)
    public = bot_posts(channel)
    assert len(public) == 1 and "/treatment" in public[0].content
    assert public[0].reference is not None

    warned = await moderator.click(third, label="Warn author")
    assert "warned" in reply_text(warned)
    assert any("take care with medical claims" in m.content for m in dms(member))

    removed = await moderator.click(third, label="Remove message")
    assert "removed" in reply_text(removed)
    assert not any("this tea cures" in m.content for m in channel.history())
    removal = [m for m in dms(member) if "was removed" in m.content]
    assert removal and "this tea cures RLS in a week" in removal[0].content
    actions = [(e.action, e.actor_id) for e in await store.case_events(db, guild.id, 3)]
    assert actions == [("flagged", None), ("warn", moderator.id), ("remove", moderator.id)]


async def test_buttons_still_work_after_a_restart(
    simcord_env, guild, member, moderator, channel, logs, restart
):
    await member.send(channel, "chemtrails are poisoning our nerves")
    await restart()
    post = case_posts(logs)[0]
    result = await moderator.click(post, custom_id="mod:case:dismiss:1")
    assert "dismissed" in reply_text(result)
    assert (await store.get_case(simcord_env.bot.db, guild.id, 1)).status == "dismissed"
    # And the next case continues the numbering.
    await member.send(channel, "5G causes RLS")
    assert case_posts(logs)[-1].embeds[0].title.startswith("Case #2")
    # The other three buttons on a case posted before another restart.
    await simcord_env.advance_time(90)
    await restart()
    second = case_posts(logs)[-1]
    assert "facts" in reply_text(await moderator.click(second, label="Reply with facts")).lower()
    assert any("/treatment" in m.content for m in bot_posts(channel))
    assert "warned" in reply_text(await moderator.click(second, label="Warn author"))
    await simcord_env.advance_time(30)
    assert "removed" in reply_text(await moderator.click(second, label="Remove message"))
    assert not any(m.content == "5G causes RLS" for m in channel.history())
    events = await store.case_events(simcord_env.bot.db, guild.id, 2)
    assert [(e.action, e.actor_id) for e in events] == [
        ("flagged", None),
        ("reply", moderator.id),
        ("warn", moderator.id),
        ("remove", moderator.id),
    ]
    # Each action is stamped with the (simulated) time it happened.
    assert events[0].at < events[1].at <= events[2].at < events[3].at
    history = {f.name: f.value for f in case_posts(logs)[-1].embeds[0].fields}["History"]
    assert history.count(str(moderator.id)) == 3


async def test_non_moderators_are_refused(simcord_env, guild, member, channel, logs):
    # Discord hides /mod from members without Manage Messages...
    with pytest.raises(SetupError):
        await member.slash(channel, "mod cases")
    # ...and when a server grants the command to everyone, the bot still refuses in code.
    command = simcord_env.backend.find_command("mod", guild.id) or simcord_env.backend.find_command(
        "mod", None
    )
    guild.set_command_permissions(int(command["id"]), {guild.default_role: True})
    refused = await member.slash(channel, "mod cases")
    assert refused.response.ephemeral and "Manage Messages" in refused.response.content
    simcord.assert_error(simcord_env, discord.app_commands.MissingPermissions)
    safety_cmd = simcord_env.backend.find_command("safety", guild.id) or simcord_env.backend.find_command(
        "safety", None
    )
    guild.set_command_permissions(int(safety_cmd["id"]), {guild.default_role: True})
    refused = await member.slash(channel, "safety setup", resources="Call me maybe, any time")
    assert "Manage Messages" in refused.response.content
    assert await simcord_env.bot.db.fetchval("SELECT crisis_resources FROM guild_settings") is None
    simcord.assert_error(simcord_env, discord.app_commands.MissingPermissions)
    # Case buttons check the same permission.
    await member.send(channel, "5G causes RLS")
    viewer = guild.add_member(simcord_env.create_user("curious"))
    public_log = guild.create_text_channel("open-log")
    await simcord_env.bot.db.execute("UPDATE mod_settings SET log_channel_id = ?", (public_log.id,))
    await member.send(channel, "wifi causes RLS")
    clicked = await viewer.click(case_posts(public_log)[0], label="Remove message")
    assert "Manage Messages" in reply_text(clicked)
    assert (await store.get_case(simcord_env.bot.db, guild.id, 2)).status == "open"


async def test_report_context_menu_opens_a_case_and_hides_the_reporter(
    simcord_env, guild, member, channel, logs
):
    reporter = guild.add_member(simcord_env.create_user("watchful"))
    message = await member.send(channel, "My cousin sells copper insoles that fixed everything")
    result = await reporter.context_menu(channel, "Report as unsupported claim", message)
    assert result.response.ephemeral and "not told who reported" in result.response.content
    post = case_posts(logs)[0]
    fields = {f.name: f.value for f in post.embeds[0].fields}
    assert str(reporter.id) in fields["Reported by"]
    case = await store.get_case(simcord_env.bot.db, guild.id, 1)
    assert case.source == "report" and case.reporter_id == reporter.id
    # A second report joins the same open case.
    other = guild.add_member(simcord_env.create_user("also_watchful"))
    await other.context_menu(channel, "Report as unsupported claim", message)
    assert len(case_posts(logs)) == 1
    # The author is told nothing about who reported (no DM at all for a report).
    assert dms(member) == []


async def test_crisis_language_is_private_and_alerts_moderators(
    simcord_env, guild, member, moderator, mod_role, channel, logs
):
    alerts = guild.create_text_channel(
        "care-team",
        overwrites={
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            mod_role: discord.PermissionOverwrite(view_channel=True),
            guild.me: discord.PermissionOverwrite(view_channel=True, send_messages=True, embed_links=True),
        },
    )
    done = await moderator.slash(
        channel, "safety setup", channel=alerts, resources="Call our helpline: 0800 123 456"
    )
    assert "0800 123 456" in done.response.content
    message = await member.send(channel, "I can't sleep again and honestly I want to die")
    assert bot_posts(channel) == []  # never a public flag
    private = dms(member)
    assert len(private) == 1 and "0800 123 456" in private[0].content
    alert = bot_posts(alerts)
    assert len(alert) == 1
    fields = {f.name: f.value for f in alert[0].embeds[0].fields}
    assert str(member.id) in fields["Member"] and str(message.id) in fields["Message"]
    assert fields["Private message with resources"] == "Sent."
    assert case_posts(logs) == []
    # Editing the message does not alert twice.
    await member.edit(message, "I can't sleep again and honestly I want to die. sorry")
    assert len(bot_posts(alerts)) == 1


async def test_crisis_alert_still_goes_out_when_dms_are_closed(simcord_env, guild, member, channel, logs):
    dm = await simcord_env.bot.create_dm(discord.Object(member.id))
    simcord_env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007, times=None)
    await member.send(channel, "everyone would be better off without me")
    alert = [m for m in bot_posts(logs) if m.embeds and m.embeds[0].title == "Someone may be in crisis"]
    assert len(alert) == 1  # no /safety setup: the log channel gets it
    fields = {f.name: f.value for f in alert[0].embeds[0].fields}
    assert "DMs are closed" in fields["Private message with resources"]
    row = await simcord_env.bot.db.fetchone("SELECT dm_sent FROM mod_crisis_alerts")
    assert row["dm_sent"] == 0


@pytest.mark.simcord(settle_timeout=30)
async def test_public_replies_are_rate_limited(simcord_env, guild, member, moderator, channel, logs):
    await moderator.slash(channel, "mod setup", log_channel=logs, action="reply")
    other = guild.add_member(simcord_env.create_user("second_member"))

    await member.send(channel, "5G causes RLS")
    assert len(bot_posts(channel)) == 1
    await member.send(channel, "vaccines cause RLS too")  # same member, same minute
    await other.send(channel, "chemtrails cause RLS")  # same channel within a minute
    assert len(bot_posts(channel)) == 1
    assert len(case_posts(logs)) == 3  # every claim is still a case

    await simcord_env.advance_time(61)
    await other.send(channel, "wifi causes RLS")  # another member, a minute later
    assert len(bot_posts(channel)) == 2
    await simcord_env.advance_time(61)
    await member.send(channel, "the FDA hides the cure")  # first member, only 2 minutes later
    assert len(bot_posts(channel)) == 2
    await simcord_env.advance_time(8 * 60)
    await member.send(channel, "smart meters cause RLS")  # 10 minutes after their first reply
    replies = bot_posts(channel)
    assert len(replies) == 3
    assert all("/treatment" in r.content for r in replies)


async def test_remove_action_deletes_dms_a_copy_and_keeps_the_case(
    simcord_env, guild, member, moderator, channel, logs
):
    await moderator.slash(channel, "mod setup", log_channel=logs, action="remove")
    await member.send(channel, "Quit the pramipexole abruptly, it's the only way")
    assert not any("pramipexole" in m.content for m in channel.history())
    removal = dms(member)
    assert len(removal) == 1 and "Quit the pramipexole abruptly" in removal[0].content
    case = await store.get_case(simcord_env.bot.db, guild.id, 1)
    assert case.status == "open" and case.content.startswith("Quit the pramipexole")
    events = [e.action for e in await store.case_events(simcord_env.bot.db, guild.id, 1)]
    assert events == ["flagged", "auto-removed"]


async def test_rules_commands_and_stats(simcord_env, guild, member, moderator, channel, logs):
    listed = await moderator.slash(channel, "mod rules list")
    assert "miracle-cure" in listed.response.embeds[0].description

    tested = await moderator.slash(channel, "mod rules test", text="there's no evidence 5G causes RLS")
    assert "Not flagged" in tested.response.content and "negated" in tested.response.content
    tested = await moderator.slash(channel, "mod rules test", text="5G causes RLS")
    assert "invented-cause" in tested.response.content

    added = await moderator.slash(
        channel,
        "mod rules add",
        id="copper-cure",
        category="miracle_cure",
        phrases="copper insole*/bracelet* ... fix*/cure*",
        note="Copper has no evidence for RLS.",
    )
    assert "Added `copper-cure`" in added.response.content
    regex = await moderator.slash(
        channel, "mod rules add", id="sneaky", category="miracle_cure", phrases="[(a+)+]", note="n"
    )
    assert regex.response.ephemeral and "optional" in regex.response.content
    simcord.assert_error(simcord_env, Exception)

    await member.send(channel, "copper insoles fixed my cousin's RLS overnight, get some")
    assert case_posts(logs)[0].embeds[0].title.endswith("Miracle cure")

    off = await moderator.slash(channel, "mod rules disable", id="invented-cause-wireless-vaccines")
    assert "now off" in off.response.content
    await member.send(channel, "5G causes RLS")
    # With the rule off the learned model still reads the claim, and says so.
    assert len(case_posts(logs)) == 2
    by_model = {f.name: f.value for f in case_posts(logs)[1].embeds[0].fields}["Flagged by"]
    assert by_model.startswith("The learned model (Invented cause, score")
    await moderator.slash(channel, "mod rules enable", id="invented-cause-wireless-vaccines")
    await member.send(channel, "5G causes RLS")
    assert len(case_posts(logs)) == 3
    choices = await moderator.autocomplete(channel, "mod rules disable", "id", "")
    assert 0 < len(choices) <= 25

    await moderator.click(case_posts(logs)[0], label="Dismiss (false positive)")
    stats = await moderator.slash(channel, "mod stats")
    text = stats.response.embeds[0].description
    assert "`copper-cure`: 1 case, 1 dismissed (100%), 30-day precision 0% (0 confirmed, 1 dismissed)" in text
    assert "`invented-cause-wireless-vaccines`: 1 case, 0 dismissed (0%), none decided in 30 days" in text
    assert "the model: 1 case, 0 dismissed (0%)" in text
    assert "has not learned from this server yet" in text and "Examples from moderators: 1, 1 not yet learned" in text

    cases = await moderator.slash(channel, "mod cases", status="all")
    assert "#1" in cases.response.embeds[0].description and "#2" in cases.response.embeds[0].description
    one = await moderator.slash(channel, "mod case", id=1)
    history = {f.name: f.value for f in one.response.embeds[0].fields}["History"]
    assert "dismissed as a false positive" in history and str(moderator.id) in history
    missing = await moderator.slash(channel, "mod case", id=99)
    assert "no case #99" in missing.response.content
    simcord.assert_error(simcord_env, Exception)


@pytest.mark.simcord(settle_timeout=30)
async def test_case_text_is_purged_after_the_retention_period(
    simcord_env, guild, member, moderator, channel, logs
):
    await moderator.slash(channel, "mod setup", log_channel=logs, retention_days=1)
    await member.send(channel, "5G causes RLS")
    await simcord_env.advance_time(24 * 3600)
    assert (await store.get_case(simcord_env.bot.db, guild.id, 1)).content == "5G causes RLS"
    await simcord_env.advance_time(24 * 3600)  # the daily purge runs at 03:30 UTC
    case = await store.get_case(simcord_env.bot.db, guild.id, 1)
    assert case.content is None and case.purged_at is not None
    assert "removed after the retention period" in case_posts(logs)[0].embeds[0].description


async def test_threads_are_scanned_and_follow_their_channel_exemption(
    simcord_env, guild, member, moderator, channel, logs
):
    parent = simcord_env.bot.get_channel(channel.id)
    await parent.create_thread(name="night owls", type=discord.ChannelType.public_thread)
    await simcord_env.settle()
    thread = channel.threads[0]
    await member.send(thread, "chemtrails cause RLS")
    posts = case_posts(logs)
    assert (
        len(posts) == 1
        and f"<#{thread.id}>" in {f.name: f.value for f in posts[0].embeds[0].fields}["Channel"]
    )
    await moderator.slash(channel, "mod exempt add", channel=channel)
    await member.send(thread, "vaccines cause RLS")
    assert len(case_posts(logs)) == 1
