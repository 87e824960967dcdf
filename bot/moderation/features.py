"""What the learned classifier sees of a message: words, word pairs, letter groups and context.

Every feature is computed from the readable normalised text (lower case,
Unicode folded, de-obfuscated: "m1racle" -> "miracle"). Three groups:

* words and adjacent word pairs ("cold turkey", "wake up");
* letter groups of 3 to 5 characters inside each word, padded at its edges,
  so misspellings and new word forms ("cureed", "pharmaa", "vaxxed") still
  share most of their groups with the words the model learned;
* context cues (:data:`CUE_NAMES`): a question, negation, reported speech,
  debunking, a block quote, first-person experience, addressing others, a
  link or a discount code. They are ordinary features: the model learns from
  the labelled hard negatives how much each one counts for each label.

The value of a feature is its count divided by the square root of its group's
size, so a long post does not outweigh a short one. This is linear in the
words of a message, which is what lets :class:`bot.moderation.model.Model`
cache each word's contribution and score a message in a few microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.embeddings import Embedder, embedder  # noqa: F401 - shared with the knowledge base
from bot.moderation.normalise import normalise_stages

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-zA-Z0-9]+(?:'[a-zA-Z0-9]+)?")  # the same on ASCII text, found faster
_SYMBOL = re.compile(r"[^\w\s.,;:!?'\"()\[\]\-/]", re.UNICODE)  # emoji and other symbols, one token each
CHAR_SIZES = (3, 4, 5)

_QUOTE_LINE = re.compile(r"^\s*>+ ?.*$", re.MULTILINE)


# Each cue is a list of word sequences looked for in the message's words (after
# normalisation, so contractions are spelled out: "do not", "i am").
_CUE_PHRASES: dict[str, tuple[str, ...]] = {
    "question": (
        "anyone know", "has anyone", "have any of you", "is it true", "is it safe", "is it ok", "is that true",
        "wondering if", "i wonder", "can i", "should i", "would it", "does anyone", "do you think", "any idea",
    ),
    "negation": (
        "no", "not", "never", "nothing", "none", "nobody", "neither", "nor", "without", "doubt", "hardly",
    ),
    "reported": (
        "says", "said", "say", "claims", "claimed", "reckons", "swears", "insists", "thinks", "believes",
        "told me", "tells me", "i read", "we read", "i saw", "i heard", "heard that", "apparently", "supposedly",
        "allegedly", "according to", "my aunt", "my uncle", "my mum", "my mom", "my mother", "my dad",
        "my father", "my sister", "my brother", "my friend", "my neighbour", "my neighbor", "my husband",
        "my wife", "my partner", "my nan", "my gran", "my grandma", "my cousin", "my colleague", "my boss",
        "her", "his", "facebook", "tiktok", "youtube", "instagram", "twitter", "a website", "this website",
        "an article", "a video", "this video", "this guy", "some guy", "people online",
    ),
    "debunk": (
        "myth", "myths", "debunked", "nonsense", "rubbish", "bollocks", "bs", "scam", "scams", "snake oil",
        "quack", "quackery", "misinformation", "no evidence", "no proof", "no studies", "no research",
        "no science", "not true", "not proven", "not a cure", "there is no cure", "placebo", "sure jan",
        "lol", "lmao", "ffs", "please do not", "do not stop", "do not mix", "do not double", "do not cut",
        "do not crush", "do not share", "do not buy", "talk to your doctor", "talk to your gp",
        "ask your doctor", "ask your gp", "check with your doctor", "your pharmacist", "taper", "tapering",
    ),
    "first_person_past": (
        "i tried", "i took", "i used", "i stopped", "i quit", "i came off", "i went off", "i had", "i was",
        "i got", "i did", "i started", "i switched", "i noticed", "i felt", "helped me", "worked for me",
        "did nothing for me", "works for me", "for me", "in my case", "my doctor", "my gp", "my neuro",
        "my neurologist", "my consultant", "my nurse",
    ),
    "addressing_others": (
        "you", "your", "yours", "everyone", "everybody", "guys", "people", "folks", "y'all", "yall", "ladies",
        "anyone who", "trust me", "wake up", "do your research", "do your own research", "just",
    ),
    "link": ("http", "https", "www", "com", "co uk", "net", "shop", "link in bio", "link in my bio", "dm me",
             "message me", "pm me", "inbox me"),
    "code": ("code", "coupon", "promo", "discount", "off", "sale", "order", "shipping", "checkout"),
    "self": ("i", "me", "my", "myself", "im"),
}
_QUESTION_STARTS = frozenset(
    "does do did is are was were can could should would will has have had anyone any1 how what why when "
    "where which who wondering".split()
)
_MONEY = frozenset("$%£€")
CUE_NAMES = tuple(_CUE_PHRASES)
# Single words are looked up directly; a longer phrase is tried only where its first word occurs.
_WORD_CUES: dict[str, tuple[str, ...]] = {}
_PHRASE_CUES: dict[str, list[tuple[str, str]]] = {}
for _name, _phrases in _CUE_PHRASES.items():
    for _p in _phrases:
        _first, _, _rest = _p.partition(" ")
        if _rest:
            _PHRASE_CUES.setdefault(_first, []).append((f" {_p} ", _name))
        else:
            _WORD_CUES[_first] = (*_WORD_CUES.get(_first, ()), _name)


# The same cues as bits (bit i is CUE_NAMES[i]), for the scorer's per-word cache: what one word
# says on its own, and the longer phrases that start with it, keyed by their second word (the
# scorer looks at each pair of adjacent words anyway). See :func:`word_cues` and :func:`cue_bits`.
CUE_BIT = {name: 1 << i for i, name in enumerate(CUE_NAMES)}
_QUESTION_BIT = CUE_BIT["question"]
_CODE_BIT = CUE_BIT["code"]


def word_cues(word: str) -> tuple[int, int, dict[str, list[tuple[tuple[str, ...], int]]]]:
    """(cues the word alone gives, the question cue when it opens a message, the phrases starting
    with it: second word -> [(the words after the second, cue bit)])."""
    bits = 0
    for name in _WORD_CUES.get(word, ()):
        bits |= CUE_BIT[name]
    opening = _QUESTION_BIT if word in _QUESTION_STARTS else 0
    phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for phrase, name in _PHRASE_CUES.get(word, ()):
        _, second, *rest = phrase.split()
        phrases.setdefault(second, []).append((tuple(rest), CUE_BIT[name]))
    return bits, opening, phrases


def phrase_bits(words: list[str], i: int, phrases: list[tuple[tuple[str, ...], int]]) -> int:
    """The cues of the phrases whose first two words are ``words[i]``, ``words[i + 1]``."""
    found = 0
    for rest, bit in phrases:
        if not rest or tuple(words[i + 2 : i + 2 + len(rest)]) == rest:
            found |= bit
    return found


def cue_bits(readable: str, bits: int, opening: int) -> int:
    """:func:`cues` as bits: the words' and phrases' bits, the first word's opening bit, then what
    the text as a whole shows (a question mark, a currency or percent sign)."""
    if "?" in readable:
        bits |= _QUESTION_BIT
    else:
        bits |= opening
    if "$" in readable or "%" in readable or "£" in readable or "€" in readable:  # _MONEY
        bits |= _CODE_BIT
    return bits


def strip_block_quotes(text: str) -> str:
    """The member's own words: Discord block-quote lines ("> ...") are someone else's.

    A message that is nothing but a quote is kept whole (there is nothing else to judge).
    """
    if ">" not in text:
        return text
    own = _QUOTE_LINE.sub("", text).strip()
    return own if own else text


def prepare(text: str) -> str:
    """The text the model reads: block quotes removed, normalised (readable stage)."""
    readable, _ = normalise_stages(strip_block_quotes(text))
    return readable


def tokens(readable: str) -> list[str]:
    if readable.isascii():
        return _ASCII_WORD.findall(readable)
    words = _WORD.findall(readable)
    words.extend(_SYMBOL.findall(readable))
    return words


def char_grams(word: str) -> list[str]:
    padded = f" {word} "
    size = len(padded)
    return [padded[i : i + n] for n in CHAR_SIZES for i in range(size - n + 1)]


def cues(readable: str, words: list[str]) -> list[str]:
    """The context cues present in a message (see :data:`CUE_NAMES`)."""
    found: set[str] = set()
    padded = None
    for w in words:
        names = _WORD_CUES.get(w)
        if names:
            found.update(names)
        phrases = _PHRASE_CUES.get(w)
        if phrases:
            if padded is None:
                padded = " " + " ".join(words) + " "
            found.update(name for phrase, name in phrases if phrase in padded)
    if "?" in readable or (words and words[0] in _QUESTION_STARTS):
        found.add("question")
    if not _MONEY.isdisjoint(readable):
        found.add("code")
    return [name for name in CUE_NAMES if name in found]


def word_features(words: list[str]) -> list[str]:
    """Words and adjacent pairs (pairs are joined with a space)."""
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def all_features(readable: str) -> tuple[list[str], list[str], list[str]]:
    """(word features, letter groups, context cues) of prepared text: used for training."""
    words = tokens(readable)
    grams: list[str] = []
    for w in words:
        grams.extend(char_grams(w))
    return word_features(words), grams, cues(readable, words)


def vocabulary(docs: Iterable[list[str]], min_df: int) -> list[str]:
    """Features seen in at least ``min_df`` documents, sorted (a stable column order)."""
    df: dict[str, int] = {}
    for feats in docs:
        for f in set(feats):
            df[f] = df.get(f, 0) + 1
    return sorted(f for f, n in df.items() if n >= min_df)


