from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge.text import ELLIPSIS, cut, paginate, truncate

TEXT = (
    "Baclofen is a muscle relaxant. It is commonly prescribed for spasms! Is it useful for RLS? "
    "Only a few small studies say so."
)


def test_short_text_is_untouched():
    assert cut("Short. Text.", 100) == ("Short. Text.", "")


def test_cut_at_last_sentence_that_fits():
    head, rest = cut(TEXT, 75)
    assert head == "Baclofen is a muscle relaxant. It is commonly prescribed for spasms!"
    assert rest.startswith("Is it useful for RLS?")


def test_cut_without_sentence_boundary_uses_a_space_and_ellipsis():
    head, rest = cut("word " * 50, 42)
    assert head.endswith(ELLIPSIS) and len(head) <= 42
    assert not head[:-1].endswith(" ")
    assert rest.startswith("word")


def test_paginate_keeps_every_sentence_in_order():
    text = " ".join(f"Sentence number {i} is here." for i in range(200))
    pages = paginate(text, 300)
    assert len(pages) > 1
    assert all(len(p) <= 300 for p in pages)
    assert " ".join(pages) == text


@given(st.text(max_size=3000), st.integers(min_value=2, max_value=1200))
def test_cut_never_exceeds_the_limit(text, limit):
    head, rest = cut(text, limit)
    assert len(head) <= limit
    if not rest:
        assert head == text.strip()
    assert len(truncate(text, limit)) <= limit


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=2000))
def test_paginate_pages_fit(text):
    for page in paginate(text, 100):
        assert len(page) <= 100
