"""The bot class as Discord sees it: command sync, the error handler, mentions."""

from __future__ import annotations

import discord
import pytest
import simcord
from discord import app_commands

from bot.errors import PermissionDenied, UserError


def sync_requests(env) -> list:
    return [r for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]


probe = app_commands.Group(name="probe", description="Test-only commands")


@probe.command(name="user-error", description="Raises a member-caused error")
async def probe_user_error(interaction: discord.Interaction) -> None:
    raise UserError("That date is in the future: pick today or an earlier day.")


@probe.command(name="crash", description="Raises an unexpected error")
async def probe_crash(interaction: discord.Interaction) -> None:
    raise RuntimeError("database exploded")


@probe.command(name="deferred-crash", description="Defers, then raises")
async def probe_deferred_crash(interaction: discord.Interaction) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    raise RuntimeError("late failure")


@probe.command(name="echo", description="Repeats text publicly")
async def probe_echo(interaction: discord.Interaction, text: str) -> None:
    await interaction.response.send_message(text)


@pytest.fixture
async def simcord_bot(make_bot):
    bot = make_bot()
    bot.tree.add_command(probe)
    yield bot
    if not bot.is_closed():
        await bot.close()


async def test_first_start_syncs_and_restart_with_same_tree_does_not(simcord_env, restart, channel, member):
    assert len(sync_requests(simcord_env)) == 1
    bot = await restart()
    # The probe group is gone after the restart, so the tree changed: one more sync.
    assert len(sync_requests(simcord_env)) == 2
    assert bot.tree.get_command("probe") is None
    await restart()
    assert len(sync_requests(simcord_env)) == 2, "an unchanged tree must not be synced again"
    await restart(database=bot.settings.database)
    assert len(sync_requests(simcord_env)) == 2


async def test_force_sync_syncs_an_unchanged_tree(simcord_env, make_bot):
    assert len(sync_requests(simcord_env)) == 1
    await simcord_env.bot.close()
    forced = make_bot()
    forced.tree.add_command(probe)
    forced.force_sync = True
    await simcord_env.restart_bot(forced)
    assert len(sync_requests(simcord_env)) == 2
    await forced.close()


async def test_guild_sync_when_sync_guilds_set(simcord_env, restart, guild):
    await restart(sync_guilds=(guild.id,))
    paths = [r.path for r in sync_requests(simcord_env)]
    assert paths[-1].endswith(f"/guilds/{guild.id}/commands")


async def test_user_error_is_a_short_ephemeral_message(simcord_env, channel, member):
    result = await member.slash(channel, "probe user-error")
    assert result.ephemeral
    assert result.response.content == "That date is in the future: pick today or an earlier day."
    simcord.assert_error(simcord_env, UserError)


async def test_unexpected_error_gets_a_polite_apology_not_a_traceback(simcord_env, channel, member, caplog):
    result = await member.slash(channel, "probe crash")
    assert result.ephemeral
    assert "Sorry" in result.response.content
    assert "database exploded" not in result.response.content
    assert "Traceback" not in result.response.content
    simcord.assert_error(simcord_env, RuntimeError)
    assert any("unexpected error in probe crash" in r.getMessage() for r in caplog.records)


async def test_error_after_defer_is_sent_as_ephemeral_followup(simcord_env, channel, member):
    result = await member.slash(channel, "probe deferred-crash")
    deferrals = [r for r in simcord_env.http_requests if r.path.endswith("/callback") and r.json["type"] == 5]
    assert deferrals, "the command deferred before failing"
    messages = [m for m in [result.response, *result.followups] if m is not None]
    assert messages and all(m.ephemeral for m in messages)
    assert "Sorry" in messages[-1].content
    simcord.assert_error(simcord_env, RuntimeError)


async def test_echoed_text_never_pings(simcord_env, guild, channel, member, assert_no_pings):
    other = guild.add_member(simcord_env.create_user("sleepy"))
    role = guild.create_role("Everyone Else", mentionable=True)
    text = f"@everyone @here <@{other.id}> <@&{role.id}> hi"
    await member.slash(channel, "probe echo", text=text)
    message = channel.last_message
    assert message.content == text
    assert_no_pings(message)


async def test_each_command_logs_its_latency(simcord_env, channel, member, caplog):
    caplog.set_level("INFO", logger="bot.interactions")
    await member.slash(channel, "probe echo", text="hello")
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.interactions"]
    assert any(line.startswith("command /probe echo") and " ms" in line for line in lines)


async def test_owner_can_force_a_sync_and_others_cannot(simcord_env, restart, guild, channel):
    admins = guild.create_role("Admins", permissions=discord.Permissions(administrator=True))
    owner = guild.add_member(simcord_env.create_user("owner"), roles=[admins])
    other_admin = guild.add_member(simcord_env.create_user("admin"), roles=[admins])
    await restart(owner_ids=(owner.id,))
    before = len(sync_requests(simcord_env))

    refused = await other_admin.slash(channel, "sync")
    assert refused.ephemeral and "owner" in refused.response.content
    simcord.assert_error(simcord_env, PermissionDenied)
    assert len(sync_requests(simcord_env)) == before

    done = await owner.slash(channel, "sync")
    assert "Synced" in (done.followups[-1] if done.followups else done.response).content
    assert len(sync_requests(simcord_env)) == before + 1
