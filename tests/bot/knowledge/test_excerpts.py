"""A long section is shown with the sentence that answers the question, not just its opening."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge import KnowledgeBase
from bot.knowledge.importer import import_file
from bot.knowledge.text import ELLIPSIS, excerpt, truncate
from tests.bot.knowledge.conftest import ROOT, SHIPPED

MAGNESIUM = ROOT / "data" / "knowledge" / "section_questions" / "articles" / "magnesium.txt"

SECTION = (
    "Most people notice nothing at all. A few feel a little sleepy the next morning. "
    "Some find the taste unpleasant and take it with juice. Others say it makes no difference. "
    "Rarely, it can cause a fast, irregular heartbeat, which needs urgent medical advice."
)


def test_a_short_text_or_no_focus_is_cut_as_before():
    assert excerpt(SECTION, 0, 120) == truncate(SECTION, 120)
    assert excerpt(SECTION, SECTION.index("Rarely"), 1000) == SECTION  # it all fits
    assert excerpt(SECTION, len(SECTION) + 5, 120) == truncate(SECTION, 120)


def test_a_sentence_already_in_the_opening_is_shown_from_the_start():
    focus = SECTION.index("A few feel")
    assert excerpt(SECTION, focus, 150) == truncate(SECTION, 150)


def test_a_later_sentence_follows_the_opening_after_an_ellipsis():
    shown = excerpt(SECTION, SECTION.index("Rarely"), 170)
    assert len(shown) <= 170
    assert shown.startswith("Most people notice nothing at all.")
    assert f" {ELLIPSIS} Rarely, it can cause a fast, irregular heartbeat" in shown
    # too little room for an opening: the sentence alone
    tight = excerpt(SECTION, SECTION.index("Rarely"), 80)
    assert tight.startswith(f"{ELLIPSIS} Rarely") and len(tight) <= 80


async def test_the_answering_sentence_of_a_long_section_is_found(kb):
    answer = await kb.ask("heard memantine can give you fits")
    passage = answer.results[0]
    assert passage.section == "Considering the Potential Side Effects of Memantine"
    assert passage.text[passage.focus :].startswith("However, in rare cases, Memantine can cause")
    assert "seizures" not in truncate(passage.text, 300)
    assert "seizures" in excerpt(passage.text, passage.focus, 300)
    assert answer.to_dict()["results"][0]["text"] == passage.text  # --json keeps the whole section


async def test_a_question_the_opening_answers_keeps_the_opening(kb):
    passage = (await kb.ask("what is baclofen")).results[0]
    assert passage.focus == 0


@pytest.fixture
async def magnesium_kb(db, tmp_path: Path) -> KnowledgeBase:
    target = tmp_path / "articles"
    shutil.copytree(SHIPPED, target)
    import_file(MAGNESIUM, target)
    return await KnowledgeBase.open(db, target)


async def test_an_imported_article_is_shown_where_it_answers(magnesium_kb):
    passage = (await magnesium_kb.ask("is magnesium safe with my kidney problems")).results[0]
    assert len(passage.text) > 1000 and passage.focus > 600
    shown = excerpt(passage.text, passage.focus, 1000)
    assert "anyone with kidney problems should not take magnesium supplements" in shown
    assert shown.startswith(passage.text[:40]) and len(shown) <= 1000


@given(st.text(max_size=2000), st.integers(min_value=0, max_value=2100), st.integers(min_value=2, max_value=1200))
def test_an_excerpt_never_exceeds_its_limit(text, focus, limit):
    assert len(excerpt(text, focus, limit)) <= limit


def test_focus_counts_from_the_text_as_given():
    padded = "\n  " + SECTION
    assert excerpt(padded, padded.index("Rarely"), 170) == excerpt(SECTION, SECTION.index("Rarely"), 170)
