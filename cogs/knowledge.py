"""Treatment facts from the community's articles: /treatment, /treatments, /ask, /compare, /about."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import NotFound, UserError
from bot.interactions import NO_MENTIONS, handle_error
from bot.knowledge import MAX_QUESTION, UNNAMED_NOTE, KnowledgeBase, Passage, Treatment, validate_question
from bot.knowledge.articles import TOPIC_LABELS
from bot.knowledge.guild_settings import ask_default, set_ask_default
from bot.knowledge.text import excerpt, paginate, truncate
from bot.moderation.store import retention_from_env
from bot.safety import detect_crisis, get_resources, model_ready

log = logging.getLogger(__name__)

DISCLAIMER = (
    "Information from community articles, not medical advice. Talk to your doctor before "
    "starting, changing or stopping any treatment."
)
PAGE_CHARS = 1500  # one page of a passage opened from a button
ASK_PASSAGE_CHARS = 1000  # each /ask passage; three of them plus headings stay far below 6000
COLOUR = discord.Colour.teal()
TOPIC_EMOJI = {
    "what_it_is": "💊",
    "how_it_works": "⚙️",
    "evidence": "🔬",
    "side_effects": "🤢",
    "risks": "⚠️",
    "ask_doctor": "🩺",
}
_SAFE_ID = re.compile(r"^[a-z0-9_-]{1,60}$")


def clean(text: str, limit: int = 100) -> str:
    """Member-typed text made safe to show back: no mentions, no markdown tricks, short."""
    text = discord.utils.escape_markdown(discord.utils.escape_mentions(" ".join(text.split())))
    return truncate(text, limit)


def source_line(treatment: Treatment) -> str:
    article = treatment.article
    line = f"“{article.title}” by {article.author or 'unknown author'}"
    if article.date:
        line += f", {article.date}"
    return truncate(line, 1024)


def evidence_line(treatment: Treatment) -> str:
    return f"**Evidence for RLS: {treatment.card.evidence_level}** — {treatment.card.evidence_summary}"


def fit_embed(embed: discord.Embed, limit: int = 5900) -> discord.Embed:
    """Shorten the longest field values (at sentence boundaries) until the embed fits Discord's total."""
    while len(embed) > limit and embed.fields:
        index, field = max(enumerate(embed.fields), key=lambda pair: len(pair[1].value or ""))
        value = field.value or ""
        excess = len(embed) - limit
        if len(value) <= 40:
            break
        shorter = truncate(value, max(40, len(value) - excess - 1, len(value) // 2))
        embed.set_field_at(index, name=field.name, value=shorter, inline=field.inline)
    return embed


def card_embed(treatment: Treatment) -> discord.Embed:
    card = treatment.card
    description = truncate(evidence_line(treatment), 1000)
    if treatment.aliases:
        # the evidence line must stay visible however many brand names there are
        also = truncate(", ".join(treatment.aliases), 400)
        description = f"*Also called: {also}*\n\n{description}"
    embed = discord.Embed(
        title=truncate(f"{treatment.name}: fact card", 256),
        description=truncate(description, 1500),
        colour=COLOUR,
    )
    for topic in card.topics:
        cited = "; ".join(topic.sections)
        value = f"{truncate(topic.text, 700)}\n*Section: {truncate(cited, 200)}*"
        embed.add_field(
            name=f"{TOPIC_EMOJI.get(topic.key, '')} {topic.label}".strip(),
            value=truncate(value, 1024),
            inline=False,
        )
    if card.key_risks:
        risks = "\n".join(f"• {r}" for r in card.key_risks[:8])
        embed.add_field(name="Key risks", value=truncate(risks, 600), inline=False)
    embed.add_field(name="Source", value=source_line(treatment), inline=False)
    embed.set_footer(text=DISCLAIMER + " Buttons below open each topic's full passage.")
    return fit_embed(embed)


class TopicButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"kb:topic:(?P<slug>[a-z0-9-]{1,60}):(?P<topic>[a-z_]{1,20})(?::(?P<page>[0-9]{1,3}))?",
):
    """Opens the full article passage behind one topic of a fact card (paged)."""

    def __init__(self, slug: str, topic: str, page: int = 0, label: str | None = None) -> None:
        custom_id = f"kb:topic:{slug}:{topic}" + (f":{page}" if page else "")
        if label is None:
            label = TOPIC_LABELS.get(topic, topic) if not page else f"Read more ({page + 1})"
        button = discord.ui.Button(
            label=label[:80],
            style=discord.ButtonStyle.secondary,
            custom_id=custom_id,
            emoji=TOPIC_EMOJI.get(topic) if not page else None,
        )
        super().__init__(button)
        self.slug, self.topic, self.page = slug, topic, page

    @classmethod
    async def from_custom_id(cls, interaction, item, match):  # type: ignore[override]
        return cls(match["slug"], match["topic"], int(match["page"] or 0), label=item.label)

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            kb: KnowledgeBase = interaction.client.knowledge  # type: ignore[attr-defined]
            treatment = kb.get(self.slug)
            topic = treatment.card.topic(self.topic) if treatment else None
            if treatment is None or topic is None:
                raise NotFound(
                    "That article is no longer available. Use /treatments to see the current ones."
                )
            text = treatment.topic_text(self.topic)
            title = f"{treatment.name}: {topic.label}"
            footer = f"From {source_line(treatment)}. Section: {'; '.join(topic.sections)}"
            await send_page(
                interaction,
                title,
                text,
                self.page,
                footer,
                lambda page: TopicButton(self.slug, self.topic, page),
            )
        except Exception as error:
            await handle_error(interaction, error)


class PassageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"kb:sec:(?P<article>[a-z0-9_-]{1,60}):(?P<position>[0-9]{1,3}):(?P<page>[0-9]{1,3})",
):
    """Reads the rest of an /ask passage: the whole section, a page at a time."""

    def __init__(self, article: str, position: int, page: int, label: str | None = None) -> None:
        button = discord.ui.Button(
            label=(label or f"Read more ({page + 1})")[:80],
            style=discord.ButtonStyle.secondary,
            custom_id=f"kb:sec:{article}:{position}:{page}",
        )
        super().__init__(button)
        self.article, self.position, self.page = article, position, page

    @classmethod
    async def from_custom_id(cls, interaction, item, match):  # type: ignore[override]
        return cls(match["article"], int(match["position"]), int(match["page"]), label=item.label)

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            kb: KnowledgeBase = interaction.client.knowledge  # type: ignore[attr-defined]
            passage = kb.passage(self.article, self.position)
            if passage is None:
                raise NotFound("That article has changed since. Ask again to get the current passage.")
            await send_page(
                interaction,
                passage.section,
                passage.text,
                self.page,
                f"From “{passage.article}”",
                lambda page: PassageButton(self.article, self.position, page),
            )
        except Exception as error:
            await handle_error(interaction, error)


async def send_page(interaction, title, text, page, footer, make_button) -> None:
    pages = paginate(text, PAGE_CHARS)
    page = min(max(page, 0), len(pages) - 1)
    embed = discord.Embed(title=truncate(title, 256), description=pages[page], colour=COLOUR)
    if len(pages) > 1:
        footer = f"Page {page + 1} of {len(pages)} · {footer}"
    embed.set_footer(text=truncate(f"{footer}\n{DISCLAIMER}", 2048))
    view = discord.ui.View(timeout=None)
    if page + 1 < len(pages):
        view.add_item(make_button(page + 1))
    kwargs = {"embed": embed, "ephemeral": True, "allowed_mentions": NO_MENTIONS}
    if view.children:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def passage_key(passage: Passage) -> str:
    """Article stem, position and a short hash of the text: stable across restarts, stale once edited.
    A passage shown from a later sentence adds where (its focus), so a shared copy shows the same."""
    digest = hashlib.sha256(passage.text.encode()).hexdigest()[:6]
    key = f"{passage.file.removesuffix('.md')}.{passage.position}.{digest}"
    return f"{key}.{passage.focus}" if passage.focus else key


class ShareButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"kb:share:(?P<spec>[a-z0-9_.,-]{1,88})",
):
    """Posts a private /ask answer in the channel: the passages, never the question."""

    def __init__(self, spec: str) -> None:
        button = discord.ui.Button(
            label="Share in channel", style=discord.ButtonStyle.primary, custom_id=f"kb:share:{spec}"
        )
        super().__init__(button)
        self.spec = spec

    @classmethod
    def for_passages(cls, passages: list[Passage]) -> ShareButton | None:
        keys: list[str] = []
        for passage in passages:
            key = passage_key(passage)
            if not _SAFE_ID.match(passage.file.removesuffix(".md")):
                continue
            if len(",".join([*keys, key])) > 88:
                break
            keys.append(key)
        return cls(",".join(keys)) if keys else None

    @classmethod
    async def from_custom_id(cls, interaction, item, match):  # type: ignore[override]
        return cls(match["spec"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            kb: KnowledgeBase = interaction.client.knowledge  # type: ignore[attr-defined]
            passages = []
            for key in self.spec.split(","):
                stem, _, rest = key.partition(".")
                position, _, rest = rest.partition(".")
                _, _, focus = rest.partition(".")
                passage = kb.passage(stem, int(position)) if position.isdigit() else None
                if passage is not None and focus.isdigit() and 0 < int(focus) < len(passage.text):
                    passage = dataclasses.replace(passage, focus=int(focus))
                if passage is None or passage_key(passage) != key:
                    raise NotFound(
                        "That answer has expired: its article has changed since. Ask again with /ask."
                    )
                passages.append(passage)
            embeds = [passage_embed(n, p, kb)[0] for n, p in enumerate(passages, 1)]
            embeds[-1].set_footer(text=DISCLAIMER)
            await interaction.response.send_message(
                content="From the community articles:", embeds=embeds, allowed_mentions=NO_MENTIONS
            )
        except Exception as error:
            await handle_error(interaction, error)


def topic_view(treatment: Treatment) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for topic in treatment.card.topics[:25]:
        if _SAFE_ID.match(treatment.slug):  # a button's custom id must stay short
            view.add_item(TopicButton(treatment.slug, topic.key))
    return view


def passage_embed(number: int, passage: Passage, kb: KnowledgeBase) -> tuple[discord.Embed, bool]:
    text = excerpt(passage.text, passage.focus, ASK_PASSAGE_CHARS)
    treatment = kb.get(passage.treatment) if passage.treatment else None
    embed = discord.Embed(
        title=truncate(f"{number}. {passage.section}", 256), description=text, colour=COLOUR
    )
    name = f"{treatment.name} · " if treatment else ""
    author = f" by {treatment.article.author}" if treatment and treatment.article.author else ""
    embed.set_author(name=truncate(f"{name}“{passage.article}”{author}", 256))
    return embed, text != passage.text.strip()


class Knowledge(commands.Cog):
    """Look up what the community's articles say about RLS treatments."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @property
    def kb(self) -> KnowledgeBase:
        return self.bot.knowledge  # type: ignore[attr-defined]

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(TopicButton, PassageButton, ShareButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(TopicButton, PassageButton, ShareButton)

    def resolve(self, name: str) -> Treatment:
        treatment = self.kb.find_treatment(name)
        if treatment is not None:
            return treatment
        close = self.kb.close_names(name)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise NotFound(
            f"I don't have an article about “{clean(name, 60)}”.{hint} Use /treatments to see every treatment covered."
        )

    async def treatment_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=label[:100], value=slug[:100])
            for label, slug in self.kb.suggest(current, 25)
        ][:25]

    @app_commands.command(
        name="treatment", description="Fact card for a treatment, from the community's articles"
    )
    @app_commands.describe(name="Treatment name, brand name or a close spelling")
    @app_commands.autocomplete(name=treatment_choices)
    async def treatment(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]
    ) -> None:
        treatment = self.resolve(name)
        await interaction.response.send_message(
            embed=card_embed(treatment), view=topic_view(treatment), allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(name="treatments", description="Every treatment the community's articles cover")
    async def treatments(self, interaction: discord.Interaction) -> None:
        treatments = self.kb.treatments()
        # every card's evidence grade: drafted in a thread, so a first /treatments never stalls the loop
        await self.kb.warm_cards(treatments)
        if not treatments:
            await interaction.response.send_message(
                "No articles are loaded yet, so I have no treatments to show.", ephemeral=True
            )
            return
        lines = []
        for t in treatments:
            also = f" ({', '.join(t.aliases[:3])})" if t.aliases else ""
            lines.append(
                truncate(
                    f"**{t.name}**{also}: evidence {t.card.evidence_level.lower()} · “{t.article.title}”", 300
                )
            )
        description, shown = "", 0
        for line in lines:
            if len(description) + len(line) + 1 > 3900:
                break
            description += line + "\n"
            shown += 1
        if shown < len(lines):
            description += f"…and {len(lines) - shown} more."
        embed = discord.Embed(
            title=f"Treatments covered ({len(treatments)})", description=description, colour=COLOUR
        )
        embed.set_footer(text="Use /treatment NAME for a fact card. " + DISCLAIMER)
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="ask", description="Ask the community's articles a question")
    @app_commands.describe(
        question=f"Your question (under {MAX_QUESTION} characters), e.g. baclofen side effects"
    )
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION - 1]
    ) -> None:
        question = validate_question(question)
        answer = await self.kb.ask(question, limit=3)
        # someone typing crisis language into /ask gets support first, privately
        support = ""
        await model_ready()  # the crisis check asks the learned model, loaded after start-up
        if detect_crisis(question):
            support = truncate(await get_resources(self.bot.db, interaction.guild_id), 1500) + "\n\n"
        if not answer.answered:
            await interaction.response.send_message(
                support + self.kb.explain(answer) + " Use /treatments to see which treatments the articles "
                "cover, or /treatment NAME for a fact card.",
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        private = bool(support) or await ask_default(self.bot.db, interaction.guild_id) == "private"
        embeds, view = [], discord.ui.View(timeout=None)
        for number, passage in enumerate(answer.results[:3], 1):
            embed, cut = passage_embed(number, passage, self.kb)
            embeds.append(embed)
            stem = passage.file.removesuffix(".md")
            if cut and _SAFE_ID.match(stem):
                view.add_item(PassageButton(stem, passage.position, 0, label=f"Read more of {number}"))
        embeds[-1].set_footer(text=DISCLAIMER)
        if private and interaction.guild_id is not None:
            share = ShareButton.for_passages(answer.results[:3])
            if share is not None:
                view.add_item(share)
        heading = f"From the community articles, for: *{clean(question, 200)}*"
        if answer.unnamed:
            heading += f"\n{UNNAMED_NOTE}"
        kwargs = {
            "content": support + heading,
            "embeds": embeds,
            "ephemeral": private,
        }
        if view.children:
            kwargs["view"] = view
        await interaction.response.send_message(allowed_mentions=NO_MENTIONS, **kwargs)

    @app_commands.command(
        name="ask-settings", description="Whether /ask answers privately or in the channel by default"
    )
    @app_commands.describe(
        default="private: only the asker sees it (with a Share button); public: the channel"
    )
    @app_commands.choices(
        default=[
            app_commands.Choice(name="private", value="private"),
            app_commands.Choice(name="public", value="public"),
        ]
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def ask_settings(self, interaction: discord.Interaction, default: app_commands.Choice[str]) -> None:
        chosen = await set_ask_default(self.bot.db, interaction.guild_id, default.value)
        text = (
            "/ask now answers privately by default; members can share an answer with the Share button."
            if chosen == "private"
            else "/ask now answers in the channel by default, question included."
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="compare", description="Two treatments side by side, topic by topic")
    @app_commands.describe(first="A treatment", second="Another treatment")
    @app_commands.autocomplete(first=treatment_choices, second=treatment_choices)
    async def compare(
        self,
        interaction: discord.Interaction,
        first: app_commands.Range[str, 1, 100],
        second: app_commands.Range[str, 1, 100],
    ) -> None:
        a, b = self.resolve(first), self.resolve(second)
        if a.slug == b.slug:
            raise UserError(f"Both of those are {a.name}. Pick two different treatments to compare.")
        embed = discord.Embed(title=truncate(f"{a.name} vs {b.name}", 256), colour=COLOUR)
        embed.description = truncate(
            f"**{a.name}** evidence: **{a.card.evidence_level}**. {a.card.evidence_summary}\n"
            f"**{b.name}** evidence: **{b.card.evidence_level}**. {b.card.evidence_summary}",
            1200,
        )
        keys = [k for k in TOPIC_LABELS if a.card.topic(k) or b.card.topic(k)]
        per_value = 330
        view = discord.ui.View(timeout=None)
        for key in keys:
            for t in (a, b):
                topic = t.card.topic(key)
                value = truncate(topic.text, per_value) if topic else "*The article doesn't cover this.*"
                embed.add_field(
                    name=truncate(f"{TOPIC_LABELS[key]}: {t.name}", 256), value=value, inline=True
                )
            embed.add_field(name="\u200b", value="\u200b", inline=True)
        for t in (a, b):
            for topic in t.card.topics:
                if len(view.children) < 25 and _SAFE_ID.match(t.slug):
                    view.add_item(TopicButton(t.slug, topic.key, label=f"{t.name}: {topic.label}"))
        embed.add_field(
            name="Sources",
            value=truncate(f"{a.name}: {source_line(a)}\n{b.name}: {source_line(b)}", 1024),
            inline=False,
        )
        embed.set_footer(text=DISCLAIMER + " Buttons open each topic's full passage.")
        fit_embed(embed)
        await interaction.response.send_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="about", description="What this bot does, what data it keeps, and its sources")
    async def about(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(title="About this bot", colour=COLOUR)
        embed.description = (
            "A companion for this Restless Legs Syndrome community:\n"
            "• **Treatment facts** from the community's articles, always with the source: "
            "/treatment, /treatments, /ask, /compare.\n"
            "• **A private check-in diary**: log symptoms and sleep, get reminders, see your own trends.\n"
            "• **Moderation**: posts making unsupported medical claims are flagged for the volunteer moderators.\n"
            "• **Crisis help**: if someone seems to be in crisis, the bot points to support resources."
        )
        embed.add_field(name="Not medical advice", value=DISCLAIMER, inline=False)
        embed.add_field(
            name="What data it keeps",
            value=(
                "Your check-ins and reminders, per member: only you see them. Moderation cases about "
                "flagged or reported messages quote the message for "
                f"{retention_from_env(self.bot.settings.extra)} days (or the server's own period), then keep "
                "only the case number, rule and outcome. /mydata show lists everything stored about you and "
                "/mydata delete removes it; /privacy has the details."
            ),
            inline=False,
        )
        lines = [f"• {t.name}: {source_line(t)}" for t in self.kb.treatments()] or [
            "No articles are loaded yet."
        ]
        value = ""
        for line in lines:
            line = truncate(line, 300)
            if len(value) + len(line) + 1 > 1000:
                value += "…and more: see /treatments."
                break
            value += line + "\n"
        embed.add_field(
            name=f"Articles it knows ({len(self.kb.treatments())})", value=value.strip(), inline=False
        )
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Knowledge(bot))
