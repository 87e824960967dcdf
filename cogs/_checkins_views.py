"""Discord pieces of the diary shared by the check-in and reminder cogs:
the check-in modal, the persistent prompt buttons and the reply texts."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import discord

from bot import clock
from bot.checkins import entries, reminders, times
from bot.checkins.entries import Checkin, SaveResult
from bot.errors import UserError
from bot.interactions import BaseModal, handle_error, send_ephemeral
from bot.safety import detect_crisis, get_resources, model_ready

log = logging.getLogger("bot.checkins")

DATE_RE = r"\d{4}-\d{2}-\d{2}"

DM_CLOSED_NOTICE = (
    "I tried to send your daily check-in reminder, but Discord wouldn't let me message you: your DMs "
    "with me are closed. I've paused the reminder. To fix it, open this server's menu → Privacy Settings "
    "and turn on Direct Messages (or allow DMs from server members under User Settings → Privacy & Safety), "
    "then run /reminder set again."
)


def day_label(day: date, today: date) -> str:
    label = f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"
    if day == today:
        return f"today ({label})"
    if day == today - timedelta(days=1):
        return f"yesterday ({label})"
    return label


def describe(c: Checkin) -> str:
    bits = entries.entry_details(c, clip=100)
    if c.note:
        bits.append("a note")
    return ", ".join(bits)


async def save_and_describe(
    interaction: discord.Interaction, checkin: Checkin, *, merge: bool = False
) -> tuple[SaveResult, str]:
    """Save the check-in and build the member's reply (with crisis resources if the note needs them)."""
    bot = interaction.client
    now = clock.utcnow()
    result = await entries.save_checkin(bot.db, checkin, now, merge=merge)
    today = await reminders.member_today(bot.db, checkin.user_id, now)
    when = day_label(checkin.local_date, today)
    if result.updated:
        text = f"Updated your check-in for {when} (you had already checked in that day, so this updates it): "
    else:
        text = f"Saved your check-in for {when}: "
    text += describe(result.checkin) + ". Only you can see your diary."
    if result.checkin.note:
        await model_ready()  # the crisis check asks the learned model, loaded after start-up
        if detect_crisis(result.checkin.note):
            # The resources always fit whole: the confirmation is what gets shortened.
            resources = (await get_resources(bot.db, interaction.guild_id))[:1800]
            room = 2000 - len(resources) - 2
            if len(text) > room:
                text = text[: room - 1] + "…"
            text += "\n\n" + resources
    return result, text[:2000]


async def pending_notice(db, user_id: int) -> str | None:
    """What to tell the member about their reminder (shown once), or None."""
    kinds = await reminders.pop_notices(db, user_id)
    return DM_CLOSED_NOTICE if reminders.DM_CLOSED in kinds else None


async def remember_dm(interaction: discord.Interaction) -> None:
    """In a DM with the bot, keep the channel id so prompts cost one request."""
    if interaction.guild_id is None and interaction.channel_id is not None:
        try:
            await reminders.remember_dm_channel(
                interaction.client.db, interaction.user.id, interaction.channel_id
            )
        except Exception:  # never block a check-in on this
            log.warning("could not store a DM channel id", exc_info=True)


class CheckinModal(BaseModal):
    """The check-in form: at most 5 inputs, prefilled with what is stored for that day.

    The full form asks severity, sleep, onset, treatments and a note. With
    ``details`` and a check-in already stored (after a one-tap severity) it asks
    side effects instead of severity, keeping the stored severity.
    """

    def __init__(self, user_id: int, day: date, existing: Checkin | None, *, details: bool = False) -> None:
        super().__init__(title=f"RLS check-in for {day.isoformat()}"[:45], timeout=900)
        self.user_id = user_id
        self.day = day
        self.existing = existing
        self.details = details and existing is not None
        e = existing
        self.severity = discord.ui.TextInput(
            custom_id="ci:f:severity",
            label="Severity today, 0 (none) to 10 (worst)",
            placeholder="e.g. 6",
            max_length=entries.WORDS_MAX,
            default=str(e.severity) if e else None,
        )
        self.sleep = discord.ui.TextInput(
            custom_id="ci:f:sleep",
            label="Hours of sleep last night (optional)",
            placeholder="e.g. 6.5 or five and a half",
            required=False,
            max_length=entries.WORDS_MAX,
            default=f"{e.sleep_hours:g}" if e and e.sleep_hours is not None else None,
        )
        self.onset = discord.ui.TextInput(
            custom_id="ci:f:onset",
            label="When symptoms began (optional)",
            placeholder="none, morning, afternoon, evening or bedtime",
            required=False,
            max_length=entries.WORDS_MAX,
            default=e.onset if e else None,
        )
        self.treatments = discord.ui.TextInput(
            custom_id="ci:f:treatments",
            label="Treatments taken (optional)",
            placeholder="e.g. iron, pramipexole 0.125 mg",
            required=False,
            max_length=entries.TREATMENTS_MAX,
            default=e.treatments if e else None,
        )
        self.side_effects = discord.ui.TextInput(
            custom_id="ci:f:side_effects",
            label="Side effects (optional)",
            placeholder="e.g. nausea",
            required=False,
            max_length=entries.SIDE_EFFECTS_MAX,
            default=e.side_effects if e else None,
        )
        self.note = discord.ui.TextInput(
            custom_id="ci:f:note",
            label="Note (optional, only you can see it)",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=entries.NOTE_MAX,
            default=e.note if e else None,
        )
        first = self.side_effects if self.details else self.severity
        for item in (
            (self.sleep, self.onset, self.treatments, first, self.note)
            if self.details
            else (first, self.sleep, self.onset, self.treatments, self.note)
        ):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.user_id:
            raise UserError("This form belongs to someone else.")
        stored = await entries.get_checkin(interaction.client.db, self.user_id, self.day)
        checkin = entries.build_from_form(
            self.user_id,
            self.day,
            {
                "severity": self.severity.value,
                "sleep_hours": self.sleep.value,
                "onset": self.onset.value,
                "treatments": self.treatments.value,
                "side_effects": self.side_effects.value,
                "note": self.note.value,
            },
            stored or self.existing,
            details=self.details,
        )
        await remember_dm(interaction)
        _, text = await save_and_describe(interaction, checkin)
        await send_ephemeral(interaction, text)
        try:
            notice = await pending_notice(interaction.client.db, self.user_id)
            if notice:
                await send_ephemeral(interaction, notice)
        except discord.HTTPException:
            log.warning("could not show a notice to %s", self.user_id, exc_info=True)


async def open_modal(interaction: discord.Interaction, user_id: int, day: date, *, details: bool) -> None:
    existing = await entries.get_checkin(interaction.client.db, user_id, day)
    await interaction.response.send_modal(CheckinModal(user_id, day, existing, details=details))


class SeverityButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"ci:sev:(?P<uid>\d+):(?P<day>{DATE_RE}):(?P<n>\d+)"
):
    """One tap on a DM prompt records that day's severity (and keeps other details)."""

    def __init__(self, user_id: int, day: date, severity: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=str(severity),
                style=discord.ButtonStyle.secondary,
                custom_id=f"ci:sev:{user_id}:{day.isoformat()}:{severity}",
                row=0 if severity < 5 else 1 if severity < 10 else 2,
            )
        )
        self.user_id, self.day, self.severity = user_id, day, severity

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["uid"]), date.fromisoformat(match["day"]), int(match["n"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.user_id

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            db = interaction.client.db
            now = clock.utcnow()
            times.check_prompt_day(self.day, await reminders.member_today(db, self.user_id, now))
            checkin = entries.build_checkin(self.user_id, self.day, severity=self.severity)
            await remember_dm(interaction)
            result, text = await save_and_describe(interaction, checkin, merge=True)
            text += "\nTap another number to change it, or add details."
            await interaction.response.edit_message(content=text[:2000])
        except Exception as error:  # noqa: BLE001 - routed to the shared handler
            await handle_error(interaction, error)


class DetailsButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"ci:det:(?P<uid>\d+):(?P<day>{DATE_RE})"
):
    """Opens the details form for the prompt's day."""

    def __init__(self, user_id: int, day: date) -> None:
        super().__init__(
            discord.ui.Button(
                label="Add details",
                style=discord.ButtonStyle.primary,
                custom_id=f"ci:det:{user_id}:{day.isoformat()}",
                row=2,
            )
        )
        self.user_id, self.day = user_id, day

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["uid"]), date.fromisoformat(match["day"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.user_id

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            now = clock.utcnow()
            times.check_prompt_day(
                self.day, await reminders.member_today(interaction.client.db, self.user_id, now)
            )
            await open_modal(interaction, self.user_id, self.day, details=True)
        except Exception as error:  # noqa: BLE001
            await handle_error(interaction, error)


class CommunityButton(discord.ui.DynamicItem[discord.ui.Button], template=r"ci:open:(?P<gid>\d+)"):
    """On the daily community message: opens a private check-in form for whoever clicks."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Check in privately",
                style=discord.ButtonStyle.primary,
                custom_id=f"ci:open:{guild_id}",
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["gid"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            user_id = interaction.user.id
            today = await reminders.member_today(interaction.client.db, user_id, clock.utcnow())
            await open_modal(interaction, user_id, today, details=False)
        except Exception as error:  # noqa: BLE001
            await handle_error(interaction, error)


DYNAMIC_ITEMS = (SeverityButton, DetailsButton, CommunityButton)


def prompt_view(user_id: int, day: date) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for n in range(11):
        view.add_item(SeverityButton(user_id, day, n))
    view.add_item(DetailsButton(user_id, day))
    return view


def is_prompt_for(message: discord.Message, user_id: int, day: date) -> bool:
    """Whether ``message`` is the bot's daily prompt to ``user_id`` about ``day`` (by its buttons)."""
    if message.author.id != message._state.self_id:
        return False
    wanted = f"ci:det:{user_id}:{day.isoformat()}"
    return any(
        getattr(child, "custom_id", None) == wanted
        for row in message.components
        for child in getattr(row, "children", ())
    )


def prompt_text(day: date, *, late: bool) -> str:
    text = (
        f"Time for your RLS check-in for {day.strftime('%A')} {day.day} {day.strftime('%B')}. "
        "How were your legs today? Tap a number: 0 = no symptoms, 10 = the worst. "
        "“Add details” lets you note sleep, onset, treatments and side effects."
    )
    if late:
        text += " (Sent a little late: I was offline at your usual time.)"
    return text + "\nTo change or stop these messages: /reminder set or /reminder off."


def community_view(guild_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CommunityButton(guild_id))
    return view


COMMUNITY_TEXT = (
    "Daily check-in: how are your legs today? Press the button to log it privately. "
    "Only you will see your answers. /privacy explains what is stored."
)
