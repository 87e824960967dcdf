"""Shared interaction plumbing: the one error handler, and base views/modals.

Every slash command, button and modal ends up in :func:`handle_error` when it
fails, so a member always gets a short ephemeral message and never a
traceback; unexpected errors are logged with their stack.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.errors import UserError

log = logging.getLogger("bot.interactions")

APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again in a moment."
NO_MENTIONS = discord.AllowedMentions.none()
MAX_CONTENT = 2000  # characters in one Discord message


def _missing(perms: list[str]) -> str:
    return ", ".join(p.replace("_", " ").replace("guild", "server").title() for p in perms)


def _unwrap(error: BaseException) -> BaseException:
    while True:
        if isinstance(error, app_commands.CommandInvokeError):
            error = error.original
        elif isinstance(error, app_commands.TransformerError) and isinstance(error.__cause__, UserError):
            error = error.__cause__
        else:
            return error


def user_message(error: BaseException, *, in_dm: bool | None = None) -> str | None:
    """The member-facing text for an error they caused, or None if it is a bug.

    ``in_dm`` (where the member was) lets a refused check say why.
    """
    error = _unwrap(error)
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_missing(error.missing_permissions)} permission to use this."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the {_missing(error.missing_permissions)} permission here to do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server, not in DMs."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.CheckFailure):
        if in_dm:
            return "You can't use this command here: it only works in a server, not in DMs."
        return (
            "You can't use this command here: it needs a permission you don't have in this channel. "
            "A server admin can change that under Server Settings → Integrations."
        )
    if isinstance(error, app_commands.TransformerError):
        return f"“{str(error.value)[:100]}” is not a valid value here."
    if isinstance(error, discord.Forbidden):
        return "Discord didn't let me do that here (a missing permission). A server admin can fix it."
    return None


async def send_ephemeral(interaction: discord.Interaction, content: str | None = None, **kwargs: Any) -> None:
    """Reply ephemerally whether or not the interaction was already answered."""
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=True, **kwargs)


async def handle_error(interaction: discord.Interaction, error: BaseException) -> None:
    text = user_message(error, in_dm=interaction.guild_id is None)
    name = (
        interaction.command.qualified_name
        if interaction.command
        else (interaction.data or {}).get("custom_id", interaction.type.name)
    )
    if text is None:
        original = _unwrap(error)
        log.error("unexpected error in %s", name, exc_info=(type(original), original, original.__traceback__))
        text = APOLOGY
    else:
        log.info("user error in %s: %s", name, text)
        if len(text) > MAX_CONTENT:  # Discord refuses a longer reply, and the member would see nothing
            text = text[: MAX_CONTENT - 1] + "…"
    if interaction.type is discord.InteractionType.autocomplete:
        return  # autocomplete cannot show a message; an empty list is answered by Discord.
    try:
        await send_ephemeral(interaction, text)
    except discord.HTTPException:
        log.warning("could not tell the member about an error in %s", name, exc_info=True)


EXPIRED_FORM = "This form has expired; run /checkin again."
EXPIRED_BY_PREFIX = {  # custom_id prefix → what to run again
    "ci:": EXPIRED_FORM,
    "mydata:": "This confirmation has expired; nothing was deleted. Run /mydata delete again.",
}
EXPIRED_OTHER = "This button has expired; run the command again."


def is_claimed(store: Any, interaction: discord.Interaction) -> bool:
    """Whether a component or modal interaction has a handler in discord.py's view store.

    Called while the interaction is being dispatched, before any handler has run, so the answer
    is exact: views, persistent views and dynamic items for components, open modals for forms.
    """
    data = interaction.data or {}
    custom_id = str(data.get("custom_id", ""))
    if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
        return True
    if interaction.type is discord.InteractionType.modal_submit:
        return custom_id in store._modals
    key = (data.get("component_type"), custom_id)
    message_id = interaction.message.id if interaction.message is not None else None
    return key in store._views.get(message_id, {}) or key in store._views.get(None, {})


def expired_text(interaction: discord.Interaction) -> str:
    if interaction.type is discord.InteractionType.modal_submit:
        return EXPIRED_FORM  # the check-in form is the only one
    custom_id = str((interaction.data or {}).get("custom_id", ""))
    for prefix, text in EXPIRED_BY_PREFIX.items():
        if custom_id.startswith(prefix):
            return text
    return EXPIRED_OTHER


async def answer_unclaimed(interaction: discord.Interaction) -> None:
    """A button or form nothing handles any more (e.g. from before a restart): say so, never stay silent."""
    log.info(
        "unclaimed %s %s from %s",
        interaction.type.name,
        (interaction.data or {}).get("custom_id"),
        interaction.user.id,
    )
    try:
        await send_ephemeral(interaction, expired_text(interaction))
    except discord.HTTPException:
        log.warning("could not answer an expired interaction", exc_info=True)


class BaseView(discord.ui.View):
    """A view whose callbacks' errors go through the shared handler."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: Any) -> None:
        await handle_error(interaction, error)


class BaseModal(discord.ui.Modal):
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await handle_error(interaction, error)


class Tree(app_commands.CommandTree):
    """Command tree that stamps each interaction for latency logging."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        from time import perf_counter

        interaction.extras["started"] = perf_counter()
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log_latency(interaction, ok=False)
        await handle_error(interaction, error)


def log_latency(interaction: discord.Interaction, *, ok: bool) -> None:
    from time import perf_counter

    started = interaction.extras.get("started")
    if started is None or interaction.command is None:
        return
    ms = (perf_counter() - started) * 1000
    log.info(
        "command /%s by %s in %s: %s in %.1f ms",
        interaction.command.qualified_name,
        interaction.user.id,
        interaction.guild_id or "DM",
        "ok" if ok else "error",
        ms,
    )
