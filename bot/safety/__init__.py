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
        ("self",),
        r"\b(kill|killing|hang|hanging|hurt|hurting|harm|harming|cut|cutting|off|offing|unalive|unaliving)\s+my\s?self\b",
    ),
    (("kms",), r"(?<!\d)(?<!\d\s)\bkms\b"),
    (("self",), r"\bself[\s-]?harm(ing)?\b"),
    (("suicid",), r"\bsuicid(e|al)\b"),
    (("life",), r"\b(end|ending|take|taking)\s+my\s+(own\s+)?life\b"),
    (("to die",), r"\b(want|wanted|wanting|going|ready|planning|plan)\s+to\s+die\b"),
    (("dead",), r"\bwish\s+i\s+(was|were)\s+dead\b"),
    (
        ("wish",),
        r"\bwish\s+i\s+(could\s+)?(just\s+)?(not\s+wake\s+up|never\s+woke\s+up|never\s+wake\s+up|disappear|die)\b",
    ),
    (
        ("want to",),
        r"\b(don'?t|do\s+not|no\s+longer)\s+want\s+to\s+(live|be\s+alive|be\s+here|exist|wake\s+up)\b",
    ),
    (
        ("no reason", "no point"),
        r"\bno\s+(reason|point)\s+(to|in)\s+(live|living|going\s+on|being\s+alive)\b",
    ),
    (("anymore", "any more"), r"\b(can'?t|cannot|can\s+not)\s+go\s+on\s+(like\s+this\s+)?any\s?more\b"),
    (("dead",), r"\bbetter\s+off\s+dead\b"),
    (
        ("without me",),
        r"\b(everyone|everybody|they|my\s+family)\s+(would\s+be|is|are)\s+better\s+off\s+without\s+me\b",
    ),
    (("overdos",), r"\boverdos(e|ing)\s+on\s+purpose\b"),
    (("end it",), r"\bend\s+it\s+all\b"),
    (("to live",), r"\bno\s+will\s+to\s+live\b"),
    ((" ending",), r"\b(thinking|thought)\s+(about|of)\s+ending\s+(it|things|my\s+life)\b"),
]
_COMPILED = [(anchors, re.compile(pattern)) for anchors, pattern in _RULES]
_ANCHORS = tuple(sorted({a for anchors, _ in _RULES for a in anchors}))

# Clearly not about the speaker: support for others, reporting, hotlines.
_NOT_PERSONAL = re.compile(r"\b(suicide\s+(hotline|prevention|lifeline|line)|crisis\s+line|988\b)")
# "i'm not suicidal" / "never suicidal": the speaker says it is not them.
_DENIAL = re.compile(
    r"\b(not|never|no\s+longer|wasn'?t|isn'?t|am\s+not|i'?m\s+not)\s+(feeling\s+)?suicidal\b"
)
_STRETCHED = re.compile(r"([a-z])\1{2,}")


@dataclass(frozen=True)
class CrisisMatch:
    phrase: str


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
    """
    if not text:
        return None
    return match_crisis(normalise(text))


def match_crisis(norm: str) -> CrisisMatch | None:
    """:func:`detect_crisis` on text already lower-cased with single spaces.

    The moderation scanner calls this with its own normalised text (which
    also spells out contractions: "can not", "i am not").
    """
    for anchor in _ANCHORS:
        if anchor in norm:
            break
    else:
        return None
    matches = [
        m for anchors, regex in _COMPILED if any(a in norm for a in anchors) for m in regex.finditer(norm)
    ]
    for match in sorted(matches, key=lambda m: m.start()):
        phrase = match.group(0)
        if "suicid" in phrase and _DENIAL.search(norm, max(0, match.start() - 24), match.end()):
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


async def get_alert_channel(db, guild_id: int) -> int | None:
    return await db.fetchval("SELECT crisis_channel_id FROM guild_settings WHERE guild_id = ?", (guild_id,))


async def configure(db, guild_id: int, *, channel_id: int | None, resources: str | None) -> None:
    """Set where crisis alerts go and what members are offered (None keeps the default text)."""
    await db.execute(
        "INSERT INTO guild_settings(guild_id, crisis_channel_id, crisis_resources) VALUES(?, ?, ?) "
        "ON CONFLICT(guild_id) DO UPDATE SET crisis_channel_id = excluded.crisis_channel_id, "
        "crisis_resources = excluded.crisis_resources",
        (guild_id, channel_id, resources),
    )
