"""Crisis language: detection and the resources offered.

Shared by check-ins (a diary note) and moderation (a channel message). No
discord imports. Detection favours reaching people: it is not a claim
filter, so first-person hopelessness and self-harm language count even in
passing, while clearly unrelated uses ("killing me" about pain, "dying to
try") and talk about other people's statistics do not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DEFAULT_RESOURCES = (
    "If you are thinking about suicide or hurting yourself, you deserve support right now:\n"
    "• In an emergency, call your local emergency number (112 in Europe, 911 in the US and Canada, 999 in the UK).\n"
    "• US: call or text **988** (Suicide & Crisis Lifeline). UK & Ireland: Samaritans **116 123**.\n"
    "• Elsewhere: find a free, confidential helpline at https://findahelpline.com\n"
    "You are not alone, and this community cares about you."
)

# Phrases are matched on normalised text (lower case, NFKC, apostrophes
# folded, stretched letters squeezed: "diiiie" -> "die").
# (anchors, pattern): every match of a pattern contains one of its anchors
# (on whitespace-collapsed text), so a pattern runs only when an anchor is
# there; most chat costs a few substring checks and no regex at all.
_RULES = [
    (
        ("myself", "my self"),
        r"\b(kill|killing|hang|hanging|hurt|hurting|harm|harming|cut|cutting|off|offing|unalive|unaliving)\s+my\s?self\b",
    ),
    (("kms",), r"(?<!\d)(?<!\d\s)\bkms\b"),
    (("self",), r"\bself[\s-]?harm(ing)?\b"),
    (("suicid",), r"\bsuicid(e|al)\b"),
    # Passive ideation: no method named, but the wish not to go on.
    (
        ("the point", "any point"),
        r"\b(do\s+not|don'?t|can\s+not|can'?t|cannot)\s+see\s+(the|any)\s+point\s+"
        r"(anymore|any\s?more|in\s+(anything|living|life|going\s+on|being\s+here|being\s+alive)|of\s+(living|life))\b",
    ),
    (
        ("the point",),
        r"\bwhat(\s+is|'?s)\s+(even\s+)?the\s+point\s+(of|in)\s+(living|life|going\s+on|being\s+alive|being\s+here|"
        r"anything|it\s+all|even\s+trying)\b",
    ),
    (
        ("of liv", "of life", "of being alive", "of exist"),
        r"\b(tired|sick|exhausted|weary)\s+of\s+(living|life(?!\s+with)|being\s+alive|existing)\b",
    ),
    (
        ("wake up",),
        r"\b(sleep|asleep|bed)\s+and\s+(never|not)\s+wake\s+up\b(?!\s+(refreshed|rested|feeling|tired|with))",
    ),
    (
        ("wake up",),
        r"\b(hope|hoping|pray|praying|wish)\s+(that\s+)?i\s+(do\s+not|don'?t|never|will\s+not|won'?t)\s+wake\s+up\b",
    ),
    (
        ("to end", "to be over"),
        r"\bwant\s+(it\s+all|everything|all\s+of\s+(it|this)|my\s+life)\s+to\s+(end|be\s+over)\b",
    ),
    (
        ("notice if", "care if", "miss me"),
        r"\b(nobody|no\s+one|no-one|noone)\s+would\s+(even\s+)?(miss\s+me|(notice|care)\s+if\s+i\s+(was|were|died|"
        r"disappeared|just\s+disappeared|was\s+gone|were\s+gone|was\s+dead|were\s+dead))\b",
    ),
    (
        ("saved up", "stockpil", "whole bottle", "whole box", "whole pack"),
        r"\b(pills|tablets|meds)\s+saved\s+up\b|\bsaving\s+up\s+(my\s+)?(pills|tablets|meds)\b"
        r"|\bstockpil\w*\s+(my\s+)?(pills|tablets|meds)\b"
        r"|\b(take|taking|swallow|swallowing)\s+the\s+whole\s+(bottle|box|pack|packet)\b",
    ),
    # Giving possessions away, one of the warning signs suicide-prevention guidance lists: "giving my
    # things away", "gave away all my stuff" (an ordinary clear-out names what, not "my things").
    (
        ("away",),
        r"\b(giv\w*|gave|hand\w*)\s+away\s+(all\s+)?(of\s+)?my\s+(things|stuff|belongings|possessions|treasures)\b"
        r"|\b(giv\w*|gave|hand\w*)\s+(all\s+)?(of\s+)?my\s+(things|stuff|belongings|possessions|treasures)\s+away\b",
    ),
    (("overdos",), r"\b(thinking|thought|think)\s+(about|of)\s+(taking\s+)?(an\s+)?overdos\w*"),
    (("my life", "my own life"), r"\b(end|ending|take|taking)\s+my\s+(own\s+)?life\b"),
    (
        ("to die", "wanna die", "disappear"),
        r"\b(want|wanted|wanting|going|ready|planning|plan)\s+to\s+die\b|\bwanna\s+die\b|\b(want|wanna|wanted)\s+to\s+(just\s+)?disappear\b",
    ),
    (
        ("better off", "happier if", "better if"),
        r"\b(better\s+off|happier|better)\s+if\s+i\s+((was|were)\s+(gone|dead)|died|"
        r"(was\s+not|were\s+not|wasn'?t|weren'?t|am\s+not|was\s+never|had\s+never\s+been)\s+(here|around|alive|born))\b",
    ),
    (("dead",), r"\bwish\s+i\s+(was|were)\s+dead\b"),
    (
        ("wish",),
        r"\bwish\s+i\s+(could\s+)?(just\s+)?(not\s+wake\s+up|never\s+woke\s+up|never\s+wake\s+up|disappear|die)\b",
    ),
    (
        ("want to live", "want to be", "want to exist", "want to wake"),
        r"\b(don'?t|do\s+not|no\s+longer)\s+want\s+to\s+(live|be\s+alive|be\s+here|exist|wake\s+up)\b",
    ),
    (
        ("no reason", "no point"),
        r"\bno\s+(reason|point)\s+(to|in)\s+(live|living|life|going\s+on|being\s+alive|being\s+here|anything\s+any\s?more)\b",
    ),
    (("anymore", "any more"), r"\b(can'?t|cannot|can\s+not)\s+go\s+on\s+(like\s+this\s+)?any\s?more\b"),
    (("dead",), r"\bbetter\s+off\s+dead\b"),
    (
        ("without me",),
        r"\bbetter\s+off\s+without\s+me\b",
    ),
    (("overdos",), r"\boverdos(e|ing)\s+on\s+purpose\b"),
    (("end it",), r"\bend\s+it\s+all\b"),
    (("to live",), r"\bno\s+will\s+to\s+live\b"),
    ((" ending",), r"\b(thinking|thought)\s+(about|of)\s+ending\s+(it|things|my\s+life)\b"),
]
_COMPILED = [(anchors, re.compile(pattern)) for anchors, pattern in _RULES]


def word_start_trie(words, *, whole: bool = False) -> str:
    """A regex alternation of ``words`` factored like a trie, matching at a word start.

    Factoring by first letters lets the regex engine drop most positions after
    one character: one search replaces a substring check per anchor. With
    ``whole`` each word must also end at a word boundary.
    """
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node and not whole:
            return ""  # a shorter anchor already matches
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if "" in node:
            alts.append(r"\b")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return r"\b" + emit(root)


# Every pattern's anchors start at a word start ("myself", not "self" inside it).
_ANCHOR_RX = re.compile(word_start_trie({a.strip() for anchors, _ in _RULES for a in anchors}))

# Clearly not about the speaker: support for others, reporting, hotlines.
_NOT_PERSONAL = re.compile(r"\b(suicide\s+(hotline|prevention|lifeline|line)|crisis\s+line|988\b)")
# "i'm not suicidal" / "never suicidal": the speaker says it is not them.
_DENIAL = re.compile(
    r"\b(not|never|no\s+longer|wasn'?t|isn'?t|am\s+not|i'?m\s+not)\s+(feeling\s+)?suicidal\b"
)
_STRETCHED = re.compile(r"([a-z])\1{2,}")
# Someone else's death or the topic in general, not the speaker's wish:
# "my cousin died by suicide", "suicide rates". Other phrases still count.
_OTHERS_SUICIDE = re.compile(
    r"\b(?:died\s+(?:by|of|from)|deaths?\s+(?:by|from)|lost\s+(?:\w+\s+){1,3}to|"
    r"(?:he|she|they|who)\s+(?:\w+\s+)?committed)\s+suicide\b|\bsuicide\s+(?:rates?|statistics|awareness)\b"
)


@dataclass(frozen=True)
class CrisisMatch:
    phrase: str | None  # the crisis phrase, or None when the learned model decided
    score: float = 1.0
    layer: str = "rule"


# The learned classifier (bot.moderation.model.Model), when one is loaded: it reads crisis in
# members' own words that no phrase covers ("won't be needing next month's appointment").
_MODEL = None


_LOADING = None  # an awaitable, while the model is being loaded


def use_model(model) -> None:
    """Let :func:`detect_crisis` also ask the learned model (None: phrases only)."""
    global _MODEL
    _MODEL = model


def loading(awaitable) -> None:
    """The learned model is being loaded in the background (an asyncio future or task that ends
    once :func:`use_model` has been called, or loading failed): :func:`model_ready` waits for it."""
    global _LOADING
    _LOADING = awaitable


async def model_ready() -> None:
    """Wait for a model still loading (see :func:`loading`), so a crisis check right after
    start-up asks it too; returns at once otherwise."""
    pending = _LOADING
    if pending is not None and not pending.done():
        import asyncio

        await asyncio.shield(pending)


def normalise(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = " ".join(text.casefold().split())
    if "\u2019" in text or "\u2018" in text:
        text = text.replace("\u2019", "'").replace("\u2018", "'")
    return _STRETCHED.sub(r"\1", text)


def detect_crisis(text: str) -> CrisisMatch | None:
    """The crisis phrase in ``text``, if any.

    Errs towards reaching people: first-person crisis language counts even in
    passing. Not counted: hotline/prevention talk with no first-person words,
    and an explicit "I'm not suicidal" (other phrases in the same text still count).
    With a learned model loaded (:func:`use_model`), what no phrase covers is
    scored by it against its crisis threshold.
    """
    if not text:
        return None
    found = match_crisis(normalise(text))
    if found is not None or _MODEL is None:
        return found
    score = _MODEL.score(text).crisis
    if score >= _MODEL.thresholds.crisis:
        return CrisisMatch(None, score, "model")
    return None


def match_crisis(norm: str) -> CrisisMatch | None:
    """:func:`detect_crisis` on text already lower-cased with single spaces.

    The moderation scanner calls this with its own normalised text (which
    also spells out contractions: "can not", "i am not").
    """
    if _ANCHOR_RX.search(norm) is None:
        return None
    matches = [
        m for anchors, regex in _COMPILED if any(a in norm for a in anchors) for m in regex.finditer(norm)
    ]
    for match in sorted(matches, key=lambda m: m.start()):
        phrase = match.group(0)
        if "suicid" in phrase and (
            _DENIAL.search(norm, max(0, match.start() - 24), match.end())
            or any(
                o.start() <= match.start() < o.end()
                for o in _OTHERS_SUICIDE.finditer(norm, max(0, match.start() - 40), match.end() + 20)
            )
        ):
            continue
        if _NOT_PERSONAL.search(norm) and not re.search(
            r"\b(i|i'm|im|me|my)\b", norm[: match.start()] + " " + norm[match.end() :]
        ):
            continue
        return CrisisMatch(phrase)
    return None


async def get_resources(db, guild_id: int | None) -> str:
    """The crisis resources text for a server (or the default, outside servers)."""
    if guild_id is not None:
        value = await db.fetchval(
            "SELECT crisis_resources FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        if value:
            return value
    return DEFAULT_RESOURCES


@dataclass(frozen=True)
class SafetySettings:
    channel_id: int | None = None  # where alerts go (None: the moderation log channel)
    resources: str | None = None  # None: the default text
    role_id: int | None = None  # pinged on every alert


async def get_settings(db, guild_id: int) -> SafetySettings:
    row = await db.fetchone(
        "SELECT crisis_channel_id, crisis_resources, crisis_role_id FROM guild_settings WHERE guild_id = ?",
        (guild_id,),
    )
    if row is None:
        return SafetySettings()
    return SafetySettings(row["crisis_channel_id"], row["crisis_resources"], row["crisis_role_id"])


async def get_alert_channel(db, guild_id: int) -> int | None:
    return (await get_settings(db, guild_id)).channel_id


async def configure(
    db,
    guild_id: int,
    *,
    channel_id: int | None = None,
    resources: str | None = None,
    role_id: int | None = None,
    clear_role: bool = False,
) -> SafetySettings:
    """Change the given settings; None keeps a setting as it was, ``clear_role`` stops the ping."""
    current = await get_settings(db, guild_id)
    new = SafetySettings(
        channel_id if channel_id is not None else current.channel_id,
        resources if resources is not None else current.resources,
        None if clear_role else role_id if role_id is not None else current.role_id,
    )
    await db.execute(
        "INSERT INTO guild_settings(guild_id, crisis_channel_id, crisis_resources, crisis_role_id) "
        "VALUES(?, ?, ?, ?) ON CONFLICT(guild_id) DO UPDATE SET crisis_channel_id = excluded.crisis_channel_id, "
        "crisis_resources = excluded.crisis_resources, crisis_role_id = excluded.crisis_role_id",
        (guild_id, new.channel_id, new.resources, new.role_id),
    )
    return new


async def mark_unrouted(db, guild_id: int, when: str) -> None:
    """A crisis alert could not be posted anywhere: remember it for the admins."""
    await db.execute(
        "INSERT INTO guild_settings(guild_id, crisis_unrouted_at) VALUES(?, ?) "
        "ON CONFLICT(guild_id) DO UPDATE SET crisis_unrouted_at = excluded.crisis_unrouted_at",
        (guild_id, when),
    )


async def unrouted_since(db, guild_id: int) -> str | None:
    return await db.fetchval("SELECT crisis_unrouted_at FROM guild_settings WHERE guild_id = ?", (guild_id,))


async def clear_unrouted(db, guild_id: int) -> None:
    await db.execute("UPDATE guild_settings SET crisis_unrouted_at = NULL WHERE guild_id = ?", (guild_id,))


UNROUTED_NOTICE = (
    "⚠️ A member's message showed crisis language, but the alert had nowhere to go: no crisis channel "
    "or moderation log channel is set, or I can't post there. The member was sent the support resources "
    "privately. Set a channel with `/safety setup channel:` (and `responder_role:` to be pinged)."
)
