"""Hostile text in every slash command's text options and every form field, through the real bot.

The commands and their text options are read from the cogs (and checked against the bot's
command tree), and the form fields from the forms the bot shows, so a new option or field is
covered without touching this file. For every interaction: a reply (never silence), no
apology and no traceback, every message the bot writes within Discord's limits, and nobody
pinged. Each command's hostile text is also typed into its autocompletes and then posted by a
member (what a command stored must not break what the bot does next), every text option also
gets the longest values that grow when quoted, and one test runs commands one after another in
the same server.
"""

from __future__ import annotations

import importlib
import inspect
import re
from datetime import date

import discord
import pytest
from discord import AppCommandOptionType, app_commands
from discord.ext import commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import all_extensions
from bot.interactions import APOLOGY, BaseModal, user_message

NASTY = [
    "$$",
    "$\\frac{1}{0}$ x^2",
    "\\frac{",
    "9" * 400,
    "12345678901234567890123",
    "-0",
    "1e309",
    "NaN",
    "25:61",
    "\u200b\u200c\u200d\u2060\ufeff",
    "\u202egnp.exe\u202c",
    "\u2066\u2067\u2068\u2069\u200f",
    "@everyone",
    "@here",
    "<@&123>",
    "<@1>",
    "<@!1>",
    "<#1>",
    "</checkin:1>",
    "```\ncode fence\n```",
    "```",
    "**bold** __under__ ~~strike~~ ||spoiler|| `tick`",
    "> quote\n# heading\n- list",
    "[link](https://example.com/x?a=1&b=<2>)",
    "😀🦵🏽👨\u200d👩\u200d👧 🏳️\u200d🌈",
    "\x00",
    "\x00\x01\x1b[31m\x7f",
    "'; DROP TABLE checkins; --",
    '" OR 1=1 --',
    "%s %d {0} {} %(x)s",
    "\n",
    "\r\n\r\n",
    "line one\nline two\n\n\nline five",
    " ",
    "\t",
    "\\",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "Z\u0334\u0321\u031b\u0348a\u0336l\u0337g\u0335o\u0338",
    "ＡＢＣ１２３",
    "\ufdfd",
    "Europe/Nowhere",
    "I want to die",
]
CHARACTERS = st.characters(codec="utf-8")  # anything Discord can carry (no lone surrogates)
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRACEBACK = re.compile(
    r"Traceback \(most recent|File \"[^\"]+\", line \d|\b[A-Z]\w*(?:Error|Exception)\b[:(]"
)


def fit(text: str, low: int, high: int) -> str:
    """Within the option's or field's bounds, which Discord's client enforces before sending."""
    if len(text) < low:
        text += "x" * (low - len(text))
    return text[:high]


def hostile(low: int = 0, high: int = 6000) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(NASTY), st.text(CHARACTERS, max_size=30))
    text = st.one_of(
        st.sampled_from(NASTY),
        st.text(CHARACTERS, max_size=300),
        st.lists(piece, min_size=2, max_size=8).map("".join),
        st.sampled_from(NASTY).map(lambda s: (s * (6000 // len(s) + 1))[:6000]),
        st.lists(piece, min_size=1, max_size=4).map(lambda p: ("".join(p) * 6000)[:6000]),
    )
    return text.map(lambda s: fit(s, low, high))


# -- what to test: read from the cogs ---------------------------------------------------------
def _leaves(item):
    if isinstance(item, app_commands.Group):
        for child in item.walk_commands():
            if isinstance(child, app_commands.Command):
                yield child
    elif isinstance(item, app_commands.Command):
        yield item


def free_text(command: app_commands.Command) -> list[app_commands.Parameter]:
    """Options a member types freely: strings without fixed choices (autocomplete only suggests)."""
    return [p for p in command.parameters if p.type is AppCommandOptionType.string and not p.choices]


def commands_in_cogs() -> list[str]:
    found = set()
    for name in all_extensions():
        module = importlib.import_module(name)
        for _, cog in inspect.getmembers(module, inspect.isclass):
            if issubclass(cog, commands.Cog) and cog.__module__ == module.__name__:
                for item in cog.__cog_app_commands__:
                    found.update(c.qualified_name for c in _leaves(item) if free_text(c))
    return sorted(found)


COMMANDS = commands_in_cogs()


def tree_command(bot, name: str) -> app_commands.Command:
    [command] = [c for c in bot.tree.walk_commands() if c.qualified_name == name]
    return command


# -- what every interaction must do --------------------------------------------------------------
def _text_of(message) -> list[str]:
    texts = [message.content]
    for embed in message.embeds:
        texts += [embed.get("title") or "", embed.get("description") or ""]
        texts += [(embed.get(k) or {}).get(n) or "" for k, n in (("footer", "text"), ("author", "name"))]
        texts += [f.get("name", "") + "\n" + f.get("value", "") for f in embed.get("fields") or ()]
    return texts


def _components(items):
    for item in items or ():
        yield item
        yield from _components(item.get("components"))
        if item.get("component"):
            yield from _components([item["component"]])


def check_message(message) -> None:
    """Within Discord's limits, no apology, no traceback, nobody pinged."""
    where = f"message {message.id}: {message.content[:200]!r}"
    assert len(message.content) <= 2000, where
    assert len(message.embeds) <= 10, where
    total = 0
    for embed in message.embeds:
        title, description = embed.get("title") or "", embed.get("description") or ""
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        fields = embed.get("fields") or []
        assert len(title) <= 256 and len(description) <= 4096 and len(footer) <= 2048, where
        assert len(author) <= 256 and len(fields) <= 25, where
        for field in fields:
            assert 0 < len(field["name"]) <= 256 and 0 < len(field["value"]) <= 1024, (where, field)
        total += len(title) + len(description) + len(footer) + len(author)
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
    assert total <= 6000, where
    rows = message.components or []
    assert len(rows) <= 5, where
    for component in _components(rows):
        assert len(component.get("custom_id") or "") <= 100, (where, component)
        assert len(component.get("label") or "") <= 80, (where, component)
        assert len(component.get("placeholder") or "") <= 150, (where, component)
        for option in component.get("options") or ():
            assert len(option["label"]) <= 100 and len(option["value"]) <= 100, (where, option)
    for text in _text_of(message):
        assert APOLOGY not in text, where
        assert not TRACEBACK.search(text), (where, text[:500])
    assert message.ping_user_ids == [] and message.ping_role_ids == [], where
    assert not message.mention_everyone, where


def snapshot(env) -> set[tuple[int, int, str | None]]:
    return {
        (m.channel_id, m.id, m.edited_timestamp)
        for msgs in env.backend.messages.values()
        for m in msgs.values()
    }


def bot_messages_since(env, before) -> list:
    bot_id = env.bot.user.id
    return [
        m
        for msgs in env.backend.messages.values()
        for m in msgs.values()
        if m.author_id == bot_id and (m.channel_id, m.id, m.edited_timestamp) not in before
    ]


def check_interaction(env, result, before, cursor) -> None:
    """A reply came (a message, or a form), every message the bot wrote meanwhile is clean, and every
    error the bot met was one it explained to the member (not a bug behind an apology)."""
    assert result.acknowledged, "no answer at all"
    replies = [m for m in (result.response, *result.followups) if m is not None]
    assert replies or result.modal is not None, "acknowledged but nothing was shown"
    for reply in replies:
        assert reply.content or reply.embeds or reply.attachments, "an empty reply"
    for message in bot_messages_since(env, before):
        check_message(message)
    unexplained = [e for e in env.errors_since(cursor) if user_message(e) is None]
    assert unexplained == [], unexplained
    env.errors  # noqa: B018 - reading them acknowledges the explained ones


def check_choices(choices) -> None:
    assert len(choices) <= 25
    for choice in choices:
        assert 1 <= len(choice["name"]) <= 100, choice
        assert isinstance(choice["value"], str) and len(choice["value"]) <= 100, choice


# -- the server and its members ----------------------------------------------------------------
@pytest.fixture
def admin(simcord_env, guild):
    """A member allowed every command (moderator and server manager)."""
    role = guild.create_role(
        "Admins", permissions=discord.Permissions(manage_messages=True, manage_guild=True)
    )
    return guild.add_member(simcord_env.create_user("hostile_harry"), roles=[role])


@pytest.fixture
def poster(simcord_env, guild):
    """An ordinary member whose posts the bot scans."""
    return guild.add_member(simcord_env.create_user("plain_pat"))


@pytest.fixture
async def server(simcord_env, guild, channel, admin):
    """Moderation set up as a real community would: cases go to #mod-log."""
    log = guild.create_text_channel(
        "mod-log",
        overwrites={
            guild.me: discord.PermissionOverwrite(view_channel=True, send_messages=True, embed_links=True)
        },
    )
    await admin.slash(channel, "mod setup", log_channel=log)
    return log


def required_others(command: app_commands.Command, channel) -> dict:
    """Values for required options that are not free text (a channel, a fixed choice)."""
    values = {}
    typed = {p.name for p in free_text(command)}
    for p in command.parameters:
        if not p.required or p.name in typed:
            continue
        if p.choices:
            values[p.name] = p.choices[0].value
        elif p.type is AppCommandOptionType.channel:
            values[p.name] = channel
        else:
            raise AssertionError(f"/{command.qualified_name} {p.name}: no value for a required {p.type}")
    return values


async def hostile_command(env, data, name: str, admin, poster, channel) -> None:
    """Run ``/name`` with hostile text (in the server, or in DMs where it works there), type the same
    text into its autocompletes, then have a member post it: all of it must come out clean."""
    command = tree_command(env.bot, name)
    texts = free_text(command)
    chosen = [p for p in texts if p.required or data.draw(st.booleans(), label=f"give {p.name}")]
    chosen = chosen or texts[:1]
    options = required_others(command, channel)
    for p in chosen:
        options[p.name] = data.draw(hostile(p.min_value or 0, p.max_value or 6000), label=p.name)
    in_dm = name in admin.user.available_commands() and data.draw(st.booleans(), label="in DMs")
    for p in chosen:
        if p.autocomplete:
            cursor = env.error_cursor
            value = options[p.name]
            if in_dm:
                choices = await admin.user.autocomplete(name, p.name, value)
            else:
                choices = await admin.autocomplete(channel, name, p.name, value)
            check_choices(choices)
            assert [e for e in env.errors_since(cursor) if user_message(e) is None] == []
    before, cursor = snapshot(env), env.error_cursor
    if in_dm:
        result = await admin.user.slash(name, **options)
    else:
        result = await admin.slash(channel, name, **options)
    check_interaction(env, result, before, cursor)
    # What was just stored (a rule, crisis resources, a note) must not break what members see next.
    post = options[chosen[0].name][:2000]
    if post.strip():
        before, cursor = snapshot(env), env.error_cursor
        await poster.send(channel, post)
        for message in bot_messages_since(env, before):
            check_message(message)
        assert [e for e in env.errors_since(cursor) if user_message(e) is None] == []


async def test_every_command_with_a_text_option_in_the_tree_is_covered(simcord_env):
    in_tree = sorted(
        c.qualified_name
        for c in simcord_env.bot.tree.walk_commands()
        if isinstance(c, app_commands.Command) and free_text(c)
    )
    assert in_tree == COMMANDS
    assert len(COMMANDS) >= 10


@pytest.mark.simcord(settle_timeout=60)
@pytest.mark.parametrize("name", COMMANDS)
@EXAMPLES
@given(data=st.data())
async def test_hostile_text_in_a_commands_text_options(
    simcord_env, server, channel, admin, poster, name, data
):
    await hostile_command(simcord_env, data, name, admin, poster, channel)


# Repeated to an option's full length: text that grows when escaped or quoted (a backslash, a
# zero-width space, a null), takes two UTF-16 units (emoji), or would ping if echoed.
LONGEST = ["\\", "\u200b", "\x00", "😀", "@everyone "]


@pytest.mark.simcord(settle_timeout=60)
@pytest.mark.parametrize("name", COMMANDS)
async def test_the_longest_hostile_text_in_every_text_option(simcord_env, server, channel, admin, name):
    env = simcord_env
    command = tree_command(env.bot, name)
    for p in free_text(command):
        for sample in LONGEST:
            options = required_others(command, channel)
            for other in free_text(command):
                if other.required:
                    options[other.name] = fit("x", other.min_value or 0, other.max_value or 6000)
            options[p.name] = fit(sample * 6000, p.min_value or 0, p.max_value or 6000)
            before, cursor = snapshot(env), env.error_cursor
            result = await admin.slash(channel, name, **options)
            check_interaction(env, result, before, cursor)


@pytest.mark.simcord(settle_timeout=60)
@EXAMPLES
@given(data=st.data())
async def test_hostile_commands_one_after_another_in_one_server(
    simcord_env, server, channel, admin, poster, data
):
    """What one hostile command stored meets the next (resources in a crisis reply, a rule in a test)."""
    for _ in range(data.draw(st.integers(1, 3), label="commands")):
        name = data.draw(st.sampled_from(COMMANDS), label="command")
        await hostile_command(simcord_env, data, name, admin, poster, channel)


# -- forms ----------------------------------------------------------------------------------------
def text_inputs(modal: dict) -> list[dict]:
    return [
        c for c in _components(modal["components"]) if c.get("type") == discord.ComponentType.text_input.value
    ]


async def form_from_checkin(env, channel, admin):
    """``/checkin`` with no options."""
    return admin, await admin.slash(channel, "checkin")


def _daily_prompt(user, details_id: str):
    channel = user.dm_channel
    for message in channel.history() if channel else ():
        if any(
            getattr(c, "custom_id", None) == details_id for row in message.components for c in row.children
        ):
            return message
    return None


async def form_from_prompt(env, channel, admin):
    """ "Add details" on the daily DM prompt, after a one-tap severity (asks side effects)."""
    day = date(2026, 1, 1).isoformat()
    details = f"ci:det:{admin.id}:{day}"
    prompt = _daily_prompt(admin.user, details)
    if prompt is None:
        await admin.slash(channel, "reminder set", time="00:05", timezone="UTC")
        await env.advance_time(6 * 60)
        prompt = _daily_prompt(admin.user, details)
    await admin.user.click(prompt, custom_id=f"ci:sev:{admin.id}:{day}:3")
    return admin.user, await admin.user.click(prompt, custom_id=details)


def _forms():
    """Every form the bot has, and how a member gets it shown."""
    from cogs._checkins_views import CheckinModal

    return {CheckinModal: (form_from_checkin, form_from_prompt)}


def _modal_classes(cls=BaseModal) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _modal_classes(sub)
    return found


async def test_every_form_and_every_field_is_opened_by_the_form_tests(simcord_env, channel, admin):
    forms = _forms()
    assert _modal_classes() == set(forms)
    for modal_class, openers in forms.items():
        fields = set()
        for opener in openers:
            _, shown = await opener(simcord_env, channel, admin)
            fields |= {c["custom_id"] for c in text_inputs(shown.modal)}
        instance = modal_class(admin.id, date(2026, 1, 1), None)
        declared = {v.custom_id for v in vars(instance).values() if isinstance(v, discord.ui.TextInput)}
        assert declared and declared <= fields, declared - fields


@pytest.mark.simcord(settle_timeout=60)
@pytest.mark.parametrize("opener", [form_from_checkin, form_from_prompt], ids=lambda f: f.__name__)
@EXAMPLES
@given(data=st.data())
async def test_hostile_text_in_every_form_field(simcord_env, channel, admin, opener, data):
    env = simcord_env
    actor, shown = await opener(env, channel, admin)
    values = {}
    for field in text_inputs(shown.modal):
        required = field.get("required", True)
        if not required and not data.draw(st.booleans(), label=f"fill {field['custom_id']}"):
            continue
        low = max(field.get("min_length") or 0, 1 if required else 0)
        values[field["custom_id"]] = data.draw(
            hostile(low, field.get("max_length") or 4000), label=field["custom_id"]
        )
    before, cursor = snapshot(env), env.error_cursor
    result = await actor.submit_modal(shown, values)
    check_interaction(env, result, before, cursor)
