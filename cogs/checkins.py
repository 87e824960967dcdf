"""Private symptom diary: /checkin, /history, /export, /mydata, /privacy.

Every reply is ephemeral; the diary is keyed by user id and works in every
server and in DMs with the bot.
"""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import date, timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot import clock
from bot import privacy as bot_privacy
from bot.checkins import chart, entries, export, reminders, stats, suggest, times
from bot.interactions import BaseView, send_ephemeral
from bot.moderation.store import retention_from_env
from bot.workers import ProcessWorker
from cogs import _checkins_views as views

log = logging.getLogger("bot.checkins")

ONSET_CHOICES = [app_commands.Choice(name=o, value=o) for o in entries.ONSETS]
DAYS_CHOICES = [app_commands.Choice(name=f"{d} days", value=d) for d in stats.HISTORY_DAYS]


def privacy_text(retention_days: int) -> str:
    """/privacy: what is stored, built from the privacy registry's own declarations."""
    kept = " ".join(bot_privacy.kept_after_deletion())
    return (
        "**Your RLS diary is private.**\n"
        "• **What is stored:** for each day you check in: severity (0–10), and if you give them: hours of "
        "sleep, when symptoms began, treatments, side effects and a note. If you set a reminder: its time and "
        "time zone, the id of our DM conversation (so a reminder costs one message), and which prompts were "
        "sent.\n"
        "• **Who can see it:** only you. Replies about your diary are only visible to you. Moderators and "
        "server owners can't see it, and it is never posted in a channel.\n"
        "• **Whose it is:** yours, not a server's. It is tied to your Discord account, so it is the same in "
        "every server and in DMs with me.\n"
        "• **Moderation:** if a message of yours is flagged or reported, moderators get a case that quotes it "
        f"for {retention_days} days (or the server's own period); then only the case number, rule and outcome "
        "stay. If you report a message, moderators see the case but never who reported it. A crisis alert "
        f"(no text) is kept as long, {retention_days} days.\n"
        "• **Your control:** /mydata show lists everything stored about you, /export gives you your diary as a "
        "CSV file plus a one-page summary for a doctor, /reminder off stops reminders, and /mydata delete "
        f"erases your diary, reminder and crisis alerts, and your name on reports, for good. {kept}\n"
        "• **Safety:** if a note mentions thoughts of suicide or self-harm, I add crisis resources to my "
        "reply. Nobody else is told.\n"
        "This bot is not a doctor: please talk to yours about treatment changes."
    )


CHART_FAILED = "I couldn't draw your chart this time; the summary above is complete. Please try again later."


def privacy_context(client) -> bot_privacy.Context:
    return bot_privacy.Context(now=clock.utcnow(), retention_days=retention_from_env(client.settings.extra))


def deleted_text(deleted: dict[str, int]) -> str:
    count = deleted.get("diary", 0)
    kept = " ".join(bot_privacy.kept_after_deletion())
    return (
        f"Done. I deleted {count} check-in{'s' if count != 1 else ''}"
        f"{', your reminder' if deleted.get('reminder') else ''} and everything else stored about you "
        f"that can be deleted. Nothing of your diary is left. {kept}"
    )


def _dm_ok(cmd):
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)(cmd)


class ConfirmDelete(BaseView):
    """Asks once; after five minutes its buttons are disabled (after a restart they answer "expired")."""

    def __init__(self, user_id: int) -> None:
        super().__init__(timeout=300)
        self.user_id = user_id
        self.asked: discord.Interaction | None = None  # the /mydata delete that showed it

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.user_id:
            await send_ephemeral(interaction, "These buttons belong to someone else's /mydata delete.")
            return False
        return True

    async def on_timeout(self) -> None:
        for item in self.children:
            item.disabled = True
        if self.asked is not None:
            try:
                await self.asked.edit_original_response(
                    content="This confirmation has expired; nothing was deleted. Run /mydata delete again.",
                    view=self,
                )
            except discord.HTTPException:
                log.info("could not disable an expired /mydata delete confirmation", exc_info=True)

    @discord.ui.button(label="Delete everything", style=discord.ButtonStyle.danger, custom_id="mydata:delete")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        client = interaction.client
        ctx = privacy_context(client)
        deleted = await bot_privacy.forget(client.db, self.user_id, ctx)
        self.stop()
        await interaction.response.edit_message(content=deleted_text(deleted), view=None)
        moderation = client.get_cog("Moderation")
        if moderation is not None:  # posts for moderators stop quoting or naming the member
            await moderation.refresh_cases(ctx.changed_cases)
            await moderation.scrub_posts(ctx.posts_to_scrub)
            await moderation.forget_learned()  # and the scanners stop following their examples

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id="mydata:cancel")
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content="Cancelled: nothing was deleted.", view=None)


class Checkins(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.drawing = ProcessWorker()  # charts are drawn off the event loop's process

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*views.DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*views.DYNAMIC_ITEMS)
        await self.drawing.aclose()

    async def _today(self, user_id: int) -> date:
        return await reminders.member_today(self.bot.db, user_id, clock.utcnow())

    # -- /checkin ------------------------------------------------------------
    @app_commands.command(
        name="checkin", description="Record today's RLS symptoms privately (no options: a form)."
    )
    @app_commands.describe(
        severity="How bad were symptoms: 0 (none) to 10 (worst)",
        sleep_hours="Hours of sleep last night (0–24)",
        onset="When symptoms began today",
        treatments="Treatments taken (e.g. iron, pramipexole 0.125 mg)",
        side_effects="Side effects you noticed",
        note="Anything else (up to 1000 characters; only you can see it)",
        date="Which day: today by default, or up to 7 days back ('yesterday', 'tuesday', '1 dec', YYYY-MM-DD)",
    )
    @app_commands.choices(onset=ONSET_CHOICES)
    @_dm_ok
    async def checkin(
        self,
        interaction: discord.Interaction,
        severity: app_commands.Range[int, 0, 10] | None = None,
        sleep_hours: app_commands.Range[float, 0.0, 24.0] | None = None,
        onset: app_commands.Choice[str] | None = None,
        treatments: app_commands.Range[str, None, entries.TREATMENTS_MAX] | None = None,
        side_effects: app_commands.Range[str, None, entries.SIDE_EFFECTS_MAX] | None = None,
        note: app_commands.Range[str, None, entries.NOTE_MAX] | None = None,
        date: app_commands.Range[str, None, times.MAX_TYPED] | None = None,
    ) -> None:
        user_id = interaction.user.id
        today = await self._today(user_id)
        day = times.parse_entry_date(date, today)
        given = [sleep_hours, onset, treatments, side_effects, note]
        if severity is None and all(v is None for v in given):
            await views.open_modal(interaction, user_id, day, details=False)
            return
        existing = await entries.get_checkin(self.bot.db, user_id, day)
        checkin = entries.build_update(
            user_id,
            day,
            existing,
            severity=severity,
            sleep_hours=sleep_hours,
            onset=onset.value if onset else None,
            treatments=treatments,
            side_effects=side_effects,
            note=note,
        )
        await views.remember_dm(interaction)
        _, text = await views.save_and_describe(interaction, checkin, merge=True)
        await send_ephemeral(interaction, text)

    @checkin.autocomplete("treatments")
    async def treatments_autocomplete(self, interaction: discord.Interaction, current: str):
        return await self.treatment_choices(interaction.user.id, current)

    async def treatment_choices(self, user_id: int, current: str) -> list[app_commands.Choice[str]]:
        """The member's own past entries first, then known treatments; at most 25."""
        last = current.rpartition(",")[2]
        values = suggest.treatment_suggestions(
            current,
            await entries.past_treatments(self.bot.db, user_id),
            suggest.known_treatment_names(getattr(self.bot, "knowledge", None), last),
        )
        return [app_commands.Choice(name=v, value=v) for v in values]

    @checkin.autocomplete("date")
    async def date_autocomplete(self, interaction: discord.Interaction, current: str):
        today = await self._today(interaction.user.id)
        choices = []
        for back in range(times.BACKDATE_DAYS + 1):
            day = today - timedelta(days=back)
            label = views.day_label(day, today)
            if current.strip().casefold() in (label + day.isoformat()).casefold():
                choices.append(app_commands.Choice(name=label[:100], value=day.isoformat()))
        return choices[:25]

    # -- /history ---------------------------------------------------------------
    @app_commands.command(name="history", description="Your RLS diary summary and chart (only you see it).")
    @app_commands.describe(days="How far back to look (default 30 days)")
    @app_commands.choices(days=DAYS_CHOICES)
    @_dm_ok
    async def history(
        self, interaction: discord.Interaction, days: app_commands.Choice[int] | None = None
    ) -> None:
        span = days.value if days else 30
        await interaction.response.defer(ephemeral=True, thinking=True)
        user_id = interaction.user.id
        today = await self._today(user_id)
        since = stats.history_since(today, span)
        rows = await entries.list_checkins(self.bot.db, user_id, since=since, until=today)
        summary = stats.summarise(rows, today, span)
        embed = discord.Embed(
            title=f"Your RLS diary: last {span} days",
            description="\n".join(stats.summary_lines(summary))[:4000],
            colour=discord.Colour.from_str("#e8743b"),
        )
        embed.set_footer(text="Only you can see this. /export gives a CSV and a summary for your doctor.")
        files = []
        if summary.count:
            png = await self._draw(chart.render_history_chart, rows, summary, user_id=user_id)
            if png is None:
                embed.add_field(name="Chart", value=CHART_FAILED)
            else:
                files.append(discord.File(io.BytesIO(png), filename="history.png"))
                embed.set_image(url="attachment://history.png")
        await interaction.followup.send(embed=embed, files=files, ephemeral=True)

    async def _draw(self, render, *args, user_id: int) -> bytes | None:
        """A picture, or None when it could not be drawn (the member still gets everything else)."""
        try:
            return await self.drawing.run(render, *args)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("could not draw a %s for user %s", render.__name__, user_id)
            return None

    # -- /export ----------------------------------------------------------------
    @app_commands.command(
        name="export", description="Download your diary as CSV plus a one-page doctor summary."
    )
    @_dm_ok
    async def export(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        user_id = interaction.user.id
        today = await self._today(user_id)
        rows = await entries.list_checkins(self.bot.db, user_id)
        if not rows:
            await send_ephemeral(
                interaction, "There is nothing to export yet: your diary is empty. Use /checkin."
            )
            return
        span = stats.export_span(rows[0].local_date, today)
        summary = stats.summarise(rows, today, span)
        csv_bytes, png = await asyncio.gather(
            asyncio.to_thread(export.to_csv, rows),
            self._draw(chart.render_doctor_summary, rows, summary, today, user_id=user_id),
        )
        stamp = today.isoformat()
        csv_name, png_name = f"rls-diary-{stamp}.csv", f"rls-doctor-summary-{stamp}.png"
        count = f"{len(rows)} check-in{'s' if len(rows) != 1 else ''}"
        described = f"Your diary: {count}, one row each. Columns: {export.COLUMN_HELP}.\n"
        attempts = []
        if png is not None:
            attempts.append(
                (
                    described + f"The PNG is a one-page summary of the last {span} days to show your doctor.",
                    [(csv_bytes, csv_name), (png, png_name)],
                )
            )
            csv_only = (
                "The doctor summary made the message too large for Discord, so only the CSV is attached."
            )
        else:
            csv_only = (
                "I couldn't draw the one-page doctor summary this time, so only the CSV is attached. "
                "Please try /export again later for the summary."
            )
        attempts.append((described + csv_only, [(csv_bytes, csv_name)]))
        for text, attachments in attempts:
            try:
                await interaction.followup.send(
                    text,
                    files=[discord.File(io.BytesIO(data), filename=name) for data, name in attachments],
                    ephemeral=True,
                )
                return
            except discord.HTTPException as error:
                if error.status != 413 and error.code != 40005:
                    raise
                log.warning(
                    "export too large for user %s (%d bytes)", user_id, sum(len(d) for d, _ in attachments)
                )
        await interaction.edit_original_response(
            content=(
                "Your diary export is larger than Discord lets me send in one message, so I couldn't attach it. "
                "Your diary is unchanged; /history shows your summary and chart."
            )
        )

    # -- /mydata ------------------------------------------------------------------
    mydata = app_commands.Group(
        name="mydata",
        description="See or delete everything the diary stores about you.",
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=False),
    )

    @mydata.command(name="show", description="Show everything stored about you, and for how long.")
    async def mydata_show(self, interaction: discord.Interaction) -> None:
        ctx = privacy_context(self.bot)
        entries_ = await bot_privacy.report(self.bot.db, interaction.user.id, ctx)
        lines = [f"• {e.line(ctx.retention_days)}" for e in entries_]
        lines.append("Use /export to download your diary, or /mydata delete to erase what can be erased.")
        head = (
            "What I store about you:"
            if any(e.held.count for e in entries_)
            else "I store nothing about you. What I would keep, and for how long:"
        )
        await send_ephemeral(interaction, head + "\n" + "\n".join(lines)[:1900])

    @mydata.command(name="delete", description="Delete everything stored about you (asks first).")
    async def mydata_delete(self, interaction: discord.Interaction) -> None:
        held = await bot_privacy.report(self.bot.db, interaction.user.id, privacy_context(self.bot))
        if not any(e.held.count for e in held):
            await send_ephemeral(interaction, "There is nothing to delete: I store nothing about you.")
            return
        checkins = next((e.held.count for e in held if e.category.key == "diary"), 0)
        confirm = ConfirmDelete(interaction.user.id)
        await send_ephemeral(
            interaction,
            f"This permanently deletes your {checkins} check-in{'s' if checkins != 1 else ''}, your reminder, "
            "our DM conversation id, crisis alerts about your messages and your name on reports you made. "
            + " ".join(bot_privacy.kept_after_deletion())
            + " It can't be undone. Consider /export first. Delete everything?",
            view=confirm,
        )
        confirm.asked = interaction

    # -- /privacy -----------------------------------------------------------------
    @app_commands.command(
        name="privacy", description="What the diary stores, who can see it, how to delete it."
    )
    @_dm_ok
    async def privacy_cmd(self, interaction: discord.Interaction) -> None:
        await send_ephemeral(interaction, privacy_text(privacy_context(self.bot).retention_days))


async def setup(bot) -> None:
    await bot.add_cog(Checkins(bot))
