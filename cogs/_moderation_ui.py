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
    if case.layer == "model":
        rule = f"The learned model ({category_label(case.category)}, score {case.score or 0:.2f})"
    elif case.layer == "learned":
        rule = f"Like a message moderators here confirmed ({category_label(case.category)})"
    else:
        rule = f"`{case.rule_id}` ({category_label(case.category)})" if case.rule_id else "No rule matched"
    if case.matched:
        rule += f"\nMatched: “{clip(neutral(case.matched), 200)}”"
    embed.add_field(name="Flagged by", value=clip(rule, 1024), inline=False)
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


def crisis_dm(guild_name: str | None, resources: str, *, alerted: bool) -> str:
    """The private message to a member in crisis. It says moderators were alerted only when they were."""
    where = f"your message in **{clip(neutral(guild_name), 100)}**" if guild_name else "your message"
    text = (
        f"Hi, I noticed {where} and wanted to check in privately. "
        "It sounds like things are really hard right now. You don't have to go through it alone.\n\n"
        f"{resources}\n\n"
    )
    if alerted:
        text += "The moderators have been asked to reach out to you kindly. Nobody else was told."
    elif guild_name:
        text += "Nobody else was told. If you can, please reach out to one of the services above, or to someone you trust."
    else:
        text += "If you can, please reach out to one of the services above, or to someone you trust."
    return clip(text, 2000)


def crisis_alert(message: discord.Message, *, dm_sent: bool | None) -> discord.Embed:
    embed = discord.Embed(
        title="Someone may be in crisis",
        colour=discord.Colour.red(),
        description=quote(message.content, 1500),
    )
    embed.add_field(name="Member", value=f"<@{message.author.id}> (`{message.author.id}`)", inline=True)
    embed.add_field(name="Channel", value=f"<#{message.channel.id}>", inline=True)
    embed.add_field(name="Message", value=f"[Jump to message]({message.jump_url})", inline=True)
    status = {None: "Sending now…", True: "Sent.", False: "Could not be sent (their DMs are closed)."}[dm_sent]
    embed.add_field(name="Private message with resources", value=status, inline=False)
    embed.set_footer(text="Please reach out privately and kindly. Nothing was posted in the channel.")
    return embed


LABEL_NAMES = {"none": "not a claim", "crisis": "crisis", **{k: v.lower() for k, v in CATEGORIES.items()}}


def label_name(label: str) -> str:
    return LABEL_NAMES.get(label, label)


LAYER_NAMES = {"rule": "a phrase rule", "model": "the learned model", "learned": "this server's moderators' decisions"}


def explain(result) -> str:
    """/mod rules test: what would happen to a message, which layer decided, and why."""
    if result.flagged and result.kind == "crisis":
        how = (
            f"phrase “{clip(neutral(result.matched or ''), 200)}”"
            if result.layer == "rule"
            else f"the learned model (score {result.score:.2f})"
        )
        body = (
            "**Crisis language.** A member posting this would get a private message with resources and the "
            f"moderators an alert. Decided by {how}."
        )
    elif result.flagged:
        who = f"`{result.rule}`" if result.layer == "rule" else LAYER_NAMES.get(result.layer, result.layer)
        body = (
            f"**Flagged** as {category_label(result.category).lower()} by {who} (score {result.score:.2f}, "
            f"{result.severity}). "
            + ("Confident enough for a public reply or removal." if result.public else "An alert to moderators only.")
        )
        if result.matched:
            body += f"\nMatched: “{clip(neutral(result.matched), 200)}”"
        if result.note:
            body += f"\nNote: {clip(result.note, 600)}"
    elif result.layer == "learned":
        body = f"**Not flagged**: moderators here dismissed a message like it (similarity {result.score:.2f})."
    else:
        body = "**Not flagged.**"
    if result.scores is not None and not (result.flagged and result.layer == "rule" and result.kind == "crisis"):
        sc = result.scores
        body += f"\nModel: claim {sc.claim:.2f} (most like {category_label(sc.category).lower()}), crisis {sc.crisis:.2f}."
    if result.skipped:
        why = "\n".join(
            (
                f"• `{s.rule}` matched “{clip(neutral(s.matched), 120)}” but was set aside: {s.reason}"
                if s.matched
                else f"• the learned model was set aside: {s.reason}"
            )
            for s in result.skipped[:6]
        )
        body += f"\n\nSet aside:\n{why}"
    if result.neighbours:
        near = "\n".join(
            f"• {n.similarity:.2f} · {label_name(n.label)}"
            + (f" ({n.origin} here)" if n.origin != "corpus" else "")
            + f": “{clip(neutral(n.text), 140)}”"
            for n in result.neighbours[:3]
        )
        body += f"\n\nNearest labelled examples:\n{near}"
    return body
