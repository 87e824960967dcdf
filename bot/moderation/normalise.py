"""Text normalisation before matching.

Every message and every rule phrase goes through :func:`normalise`, so rules
are written in plain lower-case words and still match ``MIIIRACLE cure``,
``5 G``, ``w1fi`` or ``f.d.a``. The steps are cheap and mostly skipped for
plain ASCII chat (the common case).
"""

from __future__ import annotations

import re
import unicodedata

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
)

# Each fix has a cheap guard: a quick search that is almost always negative on
# ordinary chat, so the (slower) rewrite runs only when it can change something.
# Three or more of the same letter: "miiiiracle" -> "miracle", "sooo" -> "so".
_STRETCHED_GUARD = re.compile(r"(.)\1\1")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
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
# Contractions, so negation is always spelled out: "isn't" -> "is not", "they're" -> "they are".
_CONTRACTIONS = re.compile(
    r"\b(?:(won)|(can)|(shan)|([a-z]+))'t\b"
    r"|\b(?:(it|that|there|here|what|who|where|he|she|how)'s|([a-z]+)'(re|ve|ll|m|d))\b"
)
_EXPANSIONS = {"re": "are", "ve": "have", "ll": "will", "m": "am", "d": "would"}
_HYPHEN_BETWEEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")
_WIFI = re.compile(r"\bwi fi\b")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _contraction(match: re.Match[str]) -> str:
    if match.group(1):
        return "will not"
    if match.group(2):
        return "can not"
    if match.group(3):
        return "shall not"
    if match.group(4):
        word = match.group(4)
        return (word[:-1] if word.endswith("n") else word) + " not"
    if match.group(5):
        return match.group(5) + " is"
    return f"{match.group(6)} {_EXPANSIONS[match.group(7)]}"


def _spelled(match: re.Match[str]) -> str:
    return _SPELLED_SEP.sub("", match.group(0))


def normalise(text: str) -> str:
    """Lower-case, Unicode-folded, de-obfuscated text for matching."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
        # Strip combining accents left after NFKC ("cüre" -> "cure").
        if not text.isascii():
            text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.casefold()
    if "`" in text:
        text = text.replace("`", "'")
    if "." in text or "-" in text or "_" in text or "*" in text:
        text = _SPELLED.sub(_spelled, text)
        if "-" in text:
            text = _HYPHEN_BETWEEN.sub(" ", text)
    if _STRETCHED_GUARD.search(text):
        text = _STRETCHED.sub(r"\1", text)
    if _SPACED_GUARD.search(text):
        text = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    if _DIGIT_LETTER_GUARD.search(text):
        text = _DIGIT_LETTER.sub(r"\1\2", text)
    if _LEET_GUARD.search(text):
        text = _LEET.sub(lambda m: m.group(0).translate(_LEET_MAP), text)
    if "wi fi" in text:
        text = _WIFI.sub("wifi", text)
    if "'" in text:
        text = _CONTRACTIONS.sub(_contraction, text)
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text
