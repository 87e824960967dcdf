"""A question that names no treatment but uses words only one article uses is about that treatment."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.importer import import_file

QUININE = """Quinine for Night Cramps and Restless Legs

Mar 3, 2025
By the Community Writing Team

What Quinine Is
Quinine is a bitter medicine from the bark of the cinchona tree. It was first used against malaria. Some doctors
still prescribe it for painful night cramps, and people with restless legs sometimes ask about it. Families often
take it with dinner.

Common Side Effects
Ringing in the ears, headache, feeling sick and blurred vision are common. Together these are called cinchonism,
and they usually mean the dose is too much for that person. Stop and speak to your doctor if they appear.

Serious Risks
Quinine can cause serious blood and heart problems. Regulators warn against using it for cramps unless other
measures have failed. Signs of cinchonism that do not settle need a doctor the same day. It is best taken with
dinner.

What the Evidence Shows
Trials in night cramps show a small benefit. There are no good trials in restless legs.
"""


@pytest.fixture
async def quinine_kb(db, shipped_dir) -> KnowledgeBase:
    raw = shipped_dir.parent / "quinine.txt"
    raw.write_text(QUININE)
    import_file(raw, shipped_dir)
    return await KnowledgeBase.open(db, shipped_dir)


async def test_a_rare_word_one_article_uses_points_at_its_treatment(quinine_kb):
    understood = quinine_kb.understand("what is cinchonism? saw it on my leaflet")
    assert understood.slugs == ["quinine"]
    answer = await quinine_kb.ask("what is cinchonism? saw it on my leaflet")
    assert answer.answered, answer.reason
    assert answer.results[0].treatment == "quinine"


@pytest.mark.parametrize(
    "question",
    [
        "any good dinner ideas for tonight",  # an everyday word, however few articles use it
        "where does cinchona bark grow",  # one passing mention is not what the article is about
    ],
)
async def test_everyday_words_and_passing_mentions_imply_nothing(quinine_kb, question):
    assert quinine_kb.understand(question).slugs == []


async def test_a_treatment_no_article_covers_is_still_said_to_be_uncovered(quinine_kb):
    answer = await quinine_kb.ask("does oxycodone cause cinchonism")
    assert not answer.answered
    assert answer.reason == "uncovered treatment"
