"""Moderation cog helpers: the shared moderator check, case embeds, texts.

Formatting only; the decisions live in :mod:`bot.moderation`.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.errors import PermissionDenied
from bot.moderation.rules import CATEGORIES
from bot.moderation.service import require_moderator
from bot.moderation.store import Case, CaseEvent

STATUS_LABELS = {"open": "Open", "dismissed": "Dismissed (false positive)", "actioned": "Actioned"}
ACTION_LABELS = {
    "flagged": "flagged by the scanner",
    "reported": "reported by a member",
    "dismiss": "dismissed as a false positive",
    "reply": "replied with facts",
    "remove": "message removed",
    "warn": "author warned",
    "edited": "message edited",
    "auto-replied": "public reply sent",
    "auto-removed": "message removed automatically",
}
COLOURS = {
    "open": discord.Colour.orange(),
    "dismissed": discord.Colour.light_grey(),
    "actioned": discord.Colour.green(),
}


def ensure_moderator(interaction: discord.Interaction) -> None:
    """The one check for /mod commands and case buttons (besides Discord's default permissions)."""
    perms = interaction.permissions
    try:
        require_moderator(bool(perms and perms.manage_messages) and interaction.guild_id is not None)
    except PermissionDenied as exc:
        raise app_commands.MissingPermissions(["manage_messages"]) from exc


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def neutral(text: str) -> str:
    """Member text made safe to show: no mentions can fire, no code-block escape."""
    text = discord.utils.escape_mentions(text)
    return text.replace("```", "`\u200b``")


def quote(text: str, limit: int) -> str:
    body = clip(neutral(text), limit - 2 * len(text.splitlines()) - 4)
    return "\n".join("> " + line for line in body.splitlines()) or "> (no text)"


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def category_label(category: str | None) -> str:
    if category is None:
        return "Reported message"
    return CATEGORIES.get(category, category.replace("_", " ").capitalize())


def case_embed(
    case: Case, events: list[CaseEvent] | None = None, *, show_reporter: bool = True
) -> discord.Embed:
    title = f"Case #{case.number} · {category_label(case.category)}"
    embed = discord.Embed(title=clip(title, 256), colour=COLOURS.get(case.status, discord.Colour.orange()))
    if case.content is not None:
        embed.description = quote(case.content, 1800)
    elif case.purged_at is not None:
        embed.description = "*Message text removed after the retention period.*"
    embed.add_field(name="Author", value=f"<@{case.author_id}> (`{case.author_id}`)", inline=True)
    embed.add_field(name="Channel", value=f"<#{case.channel_id}>", inline=True)
    embed.add_field(
        name="Message",
        value=f"[Jump to message]({jump_url(case.guild_id, case.channel_id, case.message_id)})",
        inline=True,
    )
    rule = f"`{case.rule_id}` ({category_label(case.category)})" if case.rule_id else "No rule matched"
    if case.matched:
        rule += f"\nMatched: “{clip(neutral(case.matched), 200)}”"
    embed.add_field(name="Rule", value=clip(rule, 1024), inline=False)
    if case.note:
        embed.add_field(name="What the articles actually say", value=clip(case.note, 1024), inline=False)
    if show_reporter and case.reporter_id:
        embed.add_field(name="Reported by", value=f"<@{case.reporter_id}> (moderators only)", inline=True)
    embed.add_field(name="Status", value=STATUS_LABELS.get(case.status, case.status), inline=True)
    if events:
        lines = []
        for e in events[-10:]:
            who = f" by <@{e.actor_id}>" if e.actor_id else ""
            lines.append(
                f"{discord.utils.format_dt(e.at, 'f')}: {ACTION_LABELS.get(e.action, e.action)}{who}"
            )
        embed.add_field(name="History", value=clip("\n".join(lines), 1024), inline=False)
    embed.set_footer(text=f"Case #{case.number} · opened")
    embed.timestamp = case.created_at
    return embed


def facts_reply(name: str, note: str | None) -> str:
    body = note or "Our articles describe what is known about RLS treatments, with their evidence and risks."
    text = (
        f"Hi {name}, a gentle note from the community's articles: {body}\n"
        "Use `/treatment NAME` to read what they say about a specific treatment, and talk to your doctor "
        "before changing anything."
    )
    return clip(neutral(text), 2000)


def removal_dm(
    guild_name: str, channel_name: str, category: str | None, note: str | None, content: str
) -> str:
    head = (
        f"Your message in **{clip(neutral(guild_name), 100)}** (#{clip(neutral(channel_name), 100)}) was removed "
        f"because it looked like an unsupported medical claim ({category_label(category).lower()})."
    )
    if note:
        head += f"\n{clip(note, 700)}"
    head += "\nModerators will review it. Here is a copy of what you wrote:\n"
    return head + quote(content, 2000 - len(head) - 10)


def warning_dm(guild_name: str, category: str | None, note: str | None) -> str:
    text = (
        f"A moderator of **{clip(neutral(guild_name), 100)}** asks you to take care with medical claims: one of "
        f"your messages looked like {category_label(category).lower()}."
    )
    if note:
        text += f"\n{clip(note, 1200)}"
    text += "\nSharing your own experience and asking questions is always welcome."
    return clip(text, 2000)


def crisis_dm(guild_name: str, resources: str) -> str:
    text = (
        f"Hi, I noticed your message in **{clip(neutral(guild_name), 100)}** and wanted to check in privately. "
        "It sounds like things are really hard right now. You don't have to go through it alone.\n\n"
        f"{resources}\n\nThe moderators have been asked to reach out to you kindly. Nobody else was told."
    )
    return clip(text, 2000)
