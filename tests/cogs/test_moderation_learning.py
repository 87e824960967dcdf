"""Learning from moderators and the crisis path, through simulated Discord."""

from __future__ import annotations

import asyncio

import simcord

from bot.errors import UserError
from bot.moderation import learning
from tests.cogs.test_moderation import bot_posts, case_posts, dms

pytest_plugins = ["tests.cogs.test_moderation"]

CLAIM = "Healing crystals under your pillow cure restless legs for good, everyone should get some"


async def test_a_dismissed_claim_does_not_come_back_in_near_identical_words(
    simcord_env, member, moderator, channel, logs
):
    await member.send(channel, CLAIM)
    [case] = case_posts(logs)
    await moderator.click(case, label="Dismiss (false positive)")
    await member.send(channel, CLAIM.replace("everyone", "everybody") + "!")
    assert len(case_posts(logs)) == 1
    tested = await moderator.slash(channel, "mod rules test", text=CLAIM + " :)")
    assert "moderators here dismissed a message like it" in tested.response.content
    rows = await simcord_env.bot.db.fetchall("SELECT label, origin, author_id FROM mod_examples")
    assert [(r["label"], r["origin"], r["author_id"]) for r in rows] == [("none", "dismiss", member.id)]
    # Something else is still flagged.
    await member.send(channel, "5G masts are what really cause restless legs, wake up people")
    assert len(case_posts(logs)) == 2


async def test_taught_examples_are_followed_at_once_and_survive_a_restart(
    simcord_env, guild, member, moderator, channel, logs, restart
):
    # A local remedy the shipped rules and model know nothing about.
    before = await moderator.slash(channel, "mod rules test", text="the blue tea from the corner cafe sorts the twitchy legs out")
    assert before.response.content.startswith("**Not flagged")
    taught = "the blue tea from the corner cafe is what sorts our twitchy legs out"
    done = await moderator.slash(channel, "mod teach", text=taught, label="miracle_cure")
    assert done.response.ephemeral and "miracle cure" in done.response.content
    await member.send(channel, "the blue tea from the corner cafe sorts the twitchy legs out")
    [case] = case_posts(logs)
    fields = {f.name: f.value for f in case.embeds[0].fields}
    assert fields["Flagged by"].startswith("Like a message moderators here confirmed")

    await restart()
    await member.send(channel, "the blue tea from the corner cafe is what sorts twitchy legs out")
    assert len(case_posts(logs)) == 2
    assert await simcord_env.bot.db.fetchval("SELECT COUNT(*) FROM mod_examples") == 1
    stats = await moderator.slash(channel, "mod stats")
    assert "Examples from moderators: 1, 1 not yet learned" in stats.response.embeds[0].description


async def test_crisis_alerts_ping_the_responder_role_and_the_member_is_told_truthfully(
    simcord_env, guild, member, moderator, channel, logs
):
    responders = guild.create_role("Night responders")
    done = await moderator.slash(channel, "safety setup", responder_role=responders)
    assert "is pinged on each alert" in done.response.content
    # Options left out keep their values: the alert channel stays the log channel, resources default.
    await member.send(channel, "i've sorted my will and given the cat to my sister. i won't be needing next month's appointment")
    [alert] = [m for m in bot_posts(logs) if m.embeds and m.embeds[0].title == "Someone may be in crisis"]
    stored = simcord_env.backend.get_message(logs.id, alert.id)
    assert stored.ping_role_ids == [responders.id] and stored.ping_user_ids == []
    assert not stored.mention_everyone
    fields = {f.name: f.value for f in alert.embeds[0].fields}
    assert fields["Private message with resources"] == "Sent."
    [dm] = dms(member)
    assert "988" in dm.content and "The moderators have been asked to reach out" in dm.content
    assert bot_posts(channel) == []  # nothing public


async def test_the_responder_ping_can_be_turned_off_and_other_settings_stay(
    simcord_env, guild, member, moderator, channel, logs
):
    responders = guild.create_role("Night responders")
    await moderator.slash(channel, "safety setup", responder_role=responders, resources="Call the night line on 0800 123 456.")
    done = await moderator.slash(channel, "safety setup", ping="off")
    assert "No role is pinged" in done.response.content and "0800 123 456" in done.response.content
    both = await moderator.slash(channel, "safety setup", responder_role=responders, ping="off")
    assert both.response.ephemeral and "not both" in both.response.content
    simcord.assert_error(simcord_env, UserError)
    await member.send(channel, "i've sorted my will and given the cat to my sister. i won't be needing next month's appointment")
    [alert] = [m for m in bot_posts(logs) if m.embeds and m.embeds[0].title == "Someone may be in crisis"]
    stored = simcord_env.backend.get_message(logs.id, alert.id)
    assert stored.ping_role_ids == [] and not stored.mention_everyone
    [dm] = dms(member)
    assert "0800 123 456" in dm.content


async def test_without_anywhere_to_alert_the_member_gets_resources_alone_and_admins_are_told(
    simcord_env, guild, member, moderator, channel
):
    await member.send(channel, "honestly everyone would be better off without me, i've worked out how many pills it would take")
    [dm] = dms(member)
    assert "988" in dm.content and "moderators" not in dm.content.lower()
    first = await moderator.slash(channel, "mod cases")
    notice = [f.content for f in first.followups]
    assert notice and "nowhere to go" in notice[0]
    again = await moderator.slash(channel, "mod cases")
    assert not [f for f in again.followups if "nowhere to go" in f.content]  # told once


async def test_crisis_written_to_the_bot_in_dms_gets_the_resources(simcord_env, member):
    await member.user.send_dm("cant do another night of this, i just want to go to sleep and not wake up")
    [reply] = dms(member)
    assert "988" in reply.content and "moderators" not in reply.content.lower()
    await member.user.send_dm("thanks, the buttons are handy")
    assert len(dms(member)) == 1


async def test_hyperbole_and_ordinary_chat_stay_quiet(simcord_env, member, channel, logs):
    for text in (
        "this itch is killing me lol",
        "I'd kill for one night's sleep",
        "morning all ☕ rough night but the coffee is helping",
        "yes! 👍",
    ):
        await member.send(channel, text)
    assert bot_posts(logs) == [] and dms(member) == []


async def test_a_member_report_of_someone_in_crisis_reaches_help(simcord_env, guild, member, moderator, channel, logs):
    friend = guild.add_member(simcord_env.create_user("friend"))
    message = await member.send(channel, "giving away my things this week, i won't be around much longer")
    dms_before = len(dms(member))  # already reached by the scan
    report = await friend.context_menu(channel, "Report as unsupported claim", message)
    assert "Thank you" in report.response.content
    assert len(dms(member)) == dms_before == 1  # one private message, never two
    state = await learning.state(simcord_env.bot.db, guild.id)
    assert state.examples == 0


MODEL_ONLY_CRISIS = "i've sorted my will and given the cat to my sister. i won't be needing next month's appointment"


def _still_loading(bot):
    """Put the moderation cog back in the state of the first moments after start-up: its model
    is loading; ``finish()`` ends the loading."""
    import asyncio

    from bot import safety

    cog = bot.get_cog("Moderation")
    model = cog.moderation.model
    cog.moderation.use_model(None)
    safety.use_model(None)
    loading = asyncio.get_running_loop().create_future()
    cog._model_loading = loading
    safety.loading(loading)

    def finish():
        cog.moderation.use_model(model)
        safety.use_model(model)
        loading.set_result(None)

    return finish


async def test_a_message_that_arrives_while_the_model_loads_waits_for_it(simcord_env, member, channel, logs):
    import asyncio

    finish = _still_loading(simcord_env.bot)
    asyncio.get_running_loop().call_later(0.2, finish)
    # Only the model reads this as crisis; scanned without it, the message would pass.
    await member.send(channel, MODEL_ONLY_CRISIS)
    assert [m for m in bot_posts(logs) if m.embeds and m.embeds[0].title == "Someone may be in crisis"]
    [dm] = dms(member)
    assert "988" in dm.content


async def test_crisis_checks_of_other_features_can_wait_for_the_model(simcord_env):
    import asyncio

    from bot import safety

    finish = _still_loading(simcord_env.bot)
    asyncio.get_running_loop().call_later(0.2, finish)
    waited = asyncio.ensure_future(safety.model_ready())
    await asyncio.sleep(0.05)
    assert not waited.done() and safety.detect_crisis(MODEL_ONLY_CRISIS) is None
    await waited
    assert safety.detect_crisis(MODEL_ONLY_CRISIS).layer == "model"


async def test_start_up_does_not_wait_for_the_model(simcord_env, restart, monkeypatch):
    import time

    from bot.app import RLSBot
    from bot.moderation import cli

    order = []
    real_load, real_setup = cli.load_model, RLSBot.setup_hook

    def slow_load(settings):
        time.sleep(0.3)  # a slow disk
        model = real_load(settings)
        order.append("model loaded")
        return model

    async def setup_hook(self):
        await real_setup(self)
        order.append("ready")

    monkeypatch.setattr(cli, "load_model", slow_load)  # what the cog imports when it is loaded
    monkeypatch.setattr(RLSBot, "setup_hook", setup_hook)
    bot = await restart()
    cog = bot.get_cog("Moderation")
    await cog.model_ready()
    assert order == ["ready", "model loaded"] and cog.moderation.model is not None


async def test_each_server_is_ready_to_scan_before_its_first_message(simcord_env, guild, restart, monkeypatch):
    """A busy server's first messages after start-up must not all wait for its scanner to be built."""
    import asyncio
    import time

    from bot.moderation import cli

    real_load = cli.load_model

    def slow_load(settings):
        time.sleep(0.3)  # the model arrives after the server does
        return real_load(settings)

    monkeypatch.setattr(cli, "load_model", slow_load)
    bot = await restart()
    cog = bot.get_cog("Moderation")
    await cog.model_ready()
    for _ in range(100):  # the warming runs just after the loading
        if guild.id in cog.moderation._scanners:
            break
        await asyncio.sleep(0.01)
    assert cog.moderation._scanners[guild.id].model is cog.moderation.model is not None
    # a server the bot joins later is prepared when it arrives
    other = simcord_env.create_guild("Night owls")
    for _ in range(100):
        if other.id in cog.moderation._scanners:
            break
        await asyncio.sleep(0.01)
    assert other.id in cog.moderation._scanners


async def test_a_deleted_members_examples_are_no_longer_followed_or_shown(
    simcord_env, member, moderator, channel, logs
):
    await member.send(channel, CLAIM)
    [case] = case_posts(logs)
    await moderator.click(case, label="Dismiss (false positive)")
    tested = await moderator.slash(channel, "mod rules test", text=CLAIM + " :)")
    assert "dismissed a message like it" in tested.response.content
    ask = await member.slash(channel, "mydata delete")
    await member.click(ask.response, label="Delete everything")
    # Nothing from the member's message is left for the scanner to follow or quote.
    tested = await moderator.slash(channel, "mod rules test", text=CLAIM + " :)")
    assert "dismissed a message like it" not in tested.response.content
    await member.send(channel, CLAIM.replace("everyone", "everybody") + "!")
    assert len(case_posts(logs)) == 2


async def test_a_server_model_that_learned_from_a_deleted_member_is_dropped_and_rebuilt(
    simcord_env, guild, member, moderator, channel, logs, monkeypatch
):
    from bot import clock

    cog = simcord_env.bot.get_cog("Moderation")
    await cog.model_ready()
    await member.send(channel, CLAIM)
    [case] = case_posts(logs)
    await moderator.click(case, label="Dismiss (false positive)")
    # as if the server's model had been retrained with that decision
    db = simcord_env.bot.db
    await learning.mark_trained(db, guild.id, now=clock.utcnow(), examples=1, model_hash="abc")
    stand_in = object()
    cog.moderation._models[guild.id] = stand_in
    rebuilt = []

    async def retrain(db, guild_id, run, *, now):
        rebuilt.append(guild_id)
        return True

    monkeypatch.setattr(cog.moderation, "retrain", retrain)
    ask = await member.slash(channel, "mydata delete")
    done = await member.click(ask.response, label="Delete everything")
    assert "stops being used at once" in done.response.content
    await asyncio.sleep(0)
    if task := cog._training.get(guild.id):
        await task
    assert cog.moderation.model_for(guild.id) is cog.moderation.model  # the shipped one stands in
    assert rebuilt == [guild.id]  # ... until the server's model is rebuilt without them
