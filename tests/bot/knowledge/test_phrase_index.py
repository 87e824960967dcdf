"""The phrase index that finds treatment names in text, and the word sets read from each article.

Both skip work for speed; each is checked against the plain way of doing the same thing.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge import PLURAL_OF, _PhraseIndex, _word_set, search

WORDS = ["baclofen", "lioresal", "the", "patch", "scd", "scds", "iron", "tablets", "my", "Iron", "SCD", "ok"]
PHRASES = {"baclofen": "baclofen", "lioresal": "baclofen", "the patch": "rotigotine", "scd": "compression",
           "iron tablets": "iron", "iron": "iron"}


def plain_find(phrases: dict[str, str], text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every position tried, longest phrase first: what the index must find."""
    keys = {tuple(search.tokens(p)): v for p, v in reversed(list(phrases.items()))}
    longest = max(map(len, keys), default=0)
    words, found, i = search.tokens(text), [], 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            key = tuple(words[i : i + size])
            value = keys.get(key)
            if value is None and 3 < len(key[-1]) <= PLURAL_OF and key[-1].endswith("s"):
                value = keys.get((*key[:-1], key[-1][:-1]))
            if value is not None:
                found.append((value, key))
                i += size
                break
        else:
            i += 1
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12))
def test_the_index_finds_what_trying_every_position_finds(words):
    text = " ".join(words)
    assert _PhraseIndex(PHRASES).find(text) == plain_find(PHRASES, text)


def test_a_short_name_in_the_plural_is_still_found_where_a_phrase_starts():
    assert _PhraseIndex(PHRASES).find("are SCDs any good") == [("compression", ("scds",))]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAbBßİé _-'\n.,1"), max_size=40))
def test_an_articles_word_set_is_its_tokens_as_a_set(text):
    assert _word_set(text) == set(search.tokens(text))
