"""Clipped names members use ("bupe", "prami", "carba"): a short word in a medicine's place whose
letters run through one treatment's name."""

from __future__ import annotations

import shutil

import pytest

from bot.knowledge import KnowledgeBase, _runs_through
from bot.knowledge.importer import import_file

from .conftest import ROOT

IMPORTED = ROOT / "tests" / "data" / "imported" / "articles"
TRAINING = ROOT / "data" / "knowledge" / "section_questions" / "articles"


@pytest.fixture
async def clipped_kb(db, shipped_dir, tmp_path) -> KnowledgeBase:
    for raw in (IMPORTED / "buprenorphine.txt", IMPORTED / "carbamazepine.txt", TRAINING / "pramipexole.txt"):
        copy = tmp_path / raw.name
        shutil.copy(raw, copy)
        import_file(copy, shipped_dir)
    return await KnowledgeBase.open(db, shipped_dir)


def test_a_clipped_names_letters_run_through_the_name():
    assert _runs_through("bupe", "buprenorphine")
    assert _runs_through("prami", "pramipexole")
    assert not _runs_through("carbs", "carbamazepine")  # no "s" after the "b"


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("has anyone ever done a proper placebo controlled trial of bupe for RLS?", "buprenorphine"),
        ("what's the difference between being dependent on bupe and being addicted to it?", "buprenorphine"),
        ("Bupe makes me itchy, is that normal?", "buprenorphine"),
        ("my prami tablets make me feel sick", "pramipexole"),
        ("been on mema for a month and feel dizzy", "memantine"),
    ],
)
async def test_a_clipped_name_names_its_treatment(clipped_kb, question, slug):
    assert clipped_kb.understand(question).slugs == [slug]


async def test_a_clipped_name_is_answered_from_its_article(clipped_kb):
    answer = await clipped_kb.ask("has anyone ever done a proper placebo controlled trial of bupe for RLS?")
    assert answer.answered
    assert answer.results[0].treatment == "buprenorphine"
    assert "Evidence" in answer.results[0].section


@pytest.mark.parametrize(
    "question",
    [
        "is a low carb diet good for restless legs",  # not where a medicine stands
        "does baclofen work on gaba in the brain",  # a word an article uses is that word
        "I was on gaba for years before this",  # gabapentin: no article covers it
        "been on carba for a month",  # carbamazepine or carbidopa (no article covers it)?
    ],
)
async def test_words_that_only_look_clipped_name_nothing(clipped_kb, question):
    assert not set(clipped_kb.understand(question).slugs) - {"baclofen"}
