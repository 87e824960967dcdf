"""Text normalisation before matching.

Every message and every rule phrase goes through :func:`normalise`, so rules
are written in plain lower-case words and still match ``MIIIRACLE cure``,
``5 G``, ``w1fi`` or ``f.d.a``. The steps are cheap and mostly skipped for
plain ASCII chat (the common case).
"""

from __future__ import annotations

import re
import unicodedata

from bot.safety import word_start_trie

# Characters folded or removed before anything else: curly quotes, dashes,
# zero-width and soft-hyphen characters used to dodge filters.
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": " - ",
        "\u2014": " - ",
        "\u2212": "-",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,
        "\ufe0f": None,
        "\ufe0e": None,
        "\u20e3": None,
    }
    # Look-alike letters that NFKC keeps apart: small capitals ("5ɢ"), and
    # Cyrillic and Greek letters dropped into English words ("vаccine").
    | {
        c: letter
        for letter, chars in {
            "a": "ᴀаАαΑ",
            "b": "ʙвВβ",
            "c": "ᴄсС",
            "d": "ᴅԁ",
            "e": "ᴇеЕεΕ",
            "f": "ғ",
            "g": "ɢɡ",
            "h": "ʜнН",
            "i": "ɪіІιΙ",
            "j": "ᴊјЈ",
            "k": "ᴋкКκΚ",
            "l": "ʟ",
            "m": "ᴍмМΜ",
            "n": "ɴΝ",
            "o": "ᴏоОοΟ",
            "p": "ᴘрРρΡ",
            "r": "ʀ",
            "s": "ꜱѕЅ",
            "t": "ᴛтТτΤ",
            "u": "ᴜυ",
            "v": "ᴠν",
            "w": "ᴡ",
            "x": "хХχΧ",
            "y": "ʏуУ",
            "z": "ᴢ",
        }.items()
        for c in chars
    }
)

# Any character _TRANSLATE changes (translating costs a dictionary look-up per character).
_FOLDED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TRANSLATE)) + "]")

# Each fix has a cheap guard: a quick search that is almost always negative on
# ordinary chat, so the (slower) rewrite runs only when it can change something.
# Three or more of the same letter: "miiiiracle" -> "miracle", "sooo" -> "so".
_STRETCHED_GUARD = re.compile(r"(.)\1\1")
_STRETCHED = re.compile(r"(?<=([a-z]))\1\1+")
# Letters spelled out with spaces: "w i f i" -> "wifi" (three or more).
_SPACED_GUARD = re.compile(r"(?:^| )[a-z0-9] [a-z0-9](?: |$)")
_SPACED = re.compile(r"(?<![\w'])(?:[a-z0-9] ){2,}[a-z0-9](?![\w'])")
# A number and a lone letter: "5 g" -> "5g" (but "10 mg" stays).
_DIGIT_LETTER_GUARD = re.compile(r"\d [a-z](?![a-z0-9'])")
_DIGIT_LETTER = re.compile(r"(?<![a-z0-9])(\d) ([a-z])(?![a-z0-9'])")
# Look-alike digits and symbols inside words: "w1fi", "mir4cle", "c0vid", "$cam".
_LEET_GUARD = re.compile(r"[0134@$]+(?=[a-z])")
_LEET = re.compile(r"(?<=[a-z])[0134@$]+(?=[a-z])|(?<![a-z0-9])[@$](?=[a-z])")
_LEET_MAP = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s"})
# Single characters joined by dots/dashes/underscores/stars: "f.d.a", "5-g", "w*i*f*i".
_SPELLED = re.compile(r"(?<![a-z0-9])(?:[a-z0-9][.\-_*]){1,7}[a-z0-9](?![a-z0-9])\.?")
_SPELLED_SEP = re.compile(r"[.\-_*]")
_SPELLED_GUARD = re.compile(r"[.\-_*][a-z0-9]")  # in every match; ". " ending a sentence is not
# Contractions, so negation is always spelled out: "isn't" -> "is not", "they're" -> "they are".
# Found by their apostrophe (a fast literal scan), expanded in _expand_contractions.
_APOSTROPHE = re.compile(r"'(t|s|re|ve|ll|m|d)\b")
_IS_WORDS = frozenset("it that there here what who where he she how".split())
_EXPANSIONS = {"re": "are", "ve": "have", "ll": "will", "m": "am", "d": "would"}
# The same without the apostrophe, as typed on phones at night: "dont", "doesnt", "im".
_BARE = {
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "cant": "can not",
    "couldnt": "could not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "wont": "will not",
    "hasnt": "has not",
    "havent": "have not",
    "hadnt": "had not",
    "aint": "is not",
    "im": "i am",
    "ive": "i have",
    "youre": "you are",
    "theyre": "they are",
    "thats": "that is",
    "whats": "what is",
    "theres": "there is",
    "youll": "you will",
    "youve": "you have",
    "idk": "i do not know",
}
_BARE_WORDS = re.compile(word_start_trie(_BARE, whole=True))
_HYPHEN_BETWEEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")
_WIFI = re.compile(r"\bwi fi\b")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _expand_contractions(text: str) -> str:
    out: list[str] = []
    last = 0
    for m in _APOSTROPHE.finditer(text):
        i = m.start()
        j = i
        while j > 0 and text[j - 1].isalpha():
            j -= 1
        word, suffix = text[j:i], m.group(1)
        if not word or j < last:
            continue
        if suffix == "t":
            if word == "won":
                new = "will not"
            elif word == "shan":
                new = "shall not"
            elif word == "can":
                new = "can not"
            else:
                new = (word[:-1] if word.endswith("n") else word) + " not"
        elif suffix == "s":
            if word not in _IS_WORDS:
                continue  # a possessive: "mum's"
            new = word + " is"
        else:
            new = f"{word} {_EXPANSIONS[suffix]}"
        out.append(text[last:j])
        out.append(new)
        last = m.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _spelled(match: re.Match[str]) -> str:
    return _SPELLED_SEP.sub("", match.group(0))


# Doubled letters are squeezed last ("stoop taking" -> "stop taking", "noo" -> "no",
# "pills" -> "pils"): typing noise then cannot hide a word. Rule phrases and the
# context word lists go through the same step, so they still match each other.
# "off" is kept so that "50% off" and "50% of" stay different.
_DOUBLES = re.compile(r"\boff\b|([a-z])\1+")
_PLAIN_DOUBLES = re.compile(r"(?<=([a-z]))\1+")  # the extra copies; removed with a plain ""
_PATTERN_DOUBLES = re.compile(r"(?<!\\)([a-z])\1+")


def _undouble(match: re.Match[str]) -> str:
    return match.group(1) or match.group(0)


def squeeze(text: str) -> str:
    """Doubled letters squeezed (already normalised text)."""
    if "off" in text:
        return _DOUBLES.sub(_undouble, text)
    return _PLAIN_DOUBLES.sub("", text)


def squeeze_pattern(source: str) -> str:
    """The same squeeze for the literal letters of a hand-written regex."""
    return _PATTERN_DOUBLES.sub(r"\1", source)


def normalise(text: str) -> str:
    """Lower-case, Unicode-folded, de-obfuscated, squeezed text for matching."""
    return normalise_stages(text)[1]


def normalise_stages(text: str) -> tuple[str, str]:
    """(readable form, matching form): the text before and after squeezing doubled letters.

    The readable form (lower case, de-obfuscated, contractions spelled out,
    runs of three or more letters shortened) is what crisis detection reads.
    """
    if not text.isascii():
        # Emoji are the usual non-ASCII; they need no work, so check before converting.
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if _FOLDED.search(text):
            text = text.translate(_TRANSLATE)
        # Strip combining accents ("cüre" -> "cure") when there are any.
        if not text.isascii() and not unicodedata.is_normalized("NFD", text):
            text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = text.casefold()
    if "`" in text:
        text = text.replace("`", "'")
    if _SPELLED_GUARD.search(text):
        text = _SPELLED.sub(_spelled, text)
    if "-" in text:
        text = _HYPHEN_BETWEEN.sub(" ", text)
    if _STRETCHED_GUARD.search(text):
        text = _STRETCHED.sub("", text)
    if _SPACED_GUARD.search(text):
        text = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    if _DIGIT_LETTER_GUARD.search(text):
        text = _DIGIT_LETTER.sub(r"\1\2", text)
    if _LEET_GUARD.search(text):
        text = _LEET.sub(lambda m: m.group(0).translate(_LEET_MAP), text)
    if "wi fi" in text:
        text = _WIFI.sub("wifi", text)
    if "'" in text:
        text = _expand_contractions(text)
    text = _BARE_WORDS.sub(lambda m: _BARE[m.group(0)], text)
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text, squeeze(text)
