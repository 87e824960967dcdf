"""/ask on a set of member questions that is development data now.

The set (``member_questions/``: 341 questions and two raw articles) was written apart from the
ranking code and used once as a blind set, with the design frozen: top-1 210/281, off-article
refused 52/60, questions about the two unseen imported articles 47/80, no reader-comment text
served. Its misses were then read and two fixes made against them, so it no longer measures
generalisation; the floors (that first run, rounded down) only guard against regressions.
A new blind set must be written apart from this one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.evaluation import score_set

HERE = Path(__file__).resolve().parent / "member_questions"
ROOT = Path(__file__).resolve().parents[3]
TOP1_FLOOR = 0.74
REFUSAL_FLOOR = 0.86
IMPORTED_FLOOR = 0.58


@pytest.fixture
async def figures():
    return await score_set(
        HERE / "questions.tsv", ROOT / "data" / "articles", sorted((HERE / "articles").glob("*.txt"))
    )


async def test_member_question_floors(figures):
    assert figures.answerable > 200 and figures.refusable >= 50 and figures.imported >= 60
    assert figures.top1_rate >= TOP1_FLOOR, figures.misses[:10]
    assert figures.refusal_rate >= REFUSAL_FLOOR
    assert figures.imported_rate >= IMPORTED_FLOOR
    assert figures.comment_leaks == 0  # no reader-comment text is ever served
