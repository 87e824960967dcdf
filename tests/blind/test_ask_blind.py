"""/ask on the blind question set: questions written apart from the code, never edited to fit.

The floors are the first honest run's figures (rounded down), taken once the
design was frozen: top-1 210/281, off-article refused 52/60, questions about
the two unseen imported articles 47/80, no reader-comment text served. They
guard against regressions; they are below the targets (90%, 95%, 85%).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.evaluation import score_set

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TOP1_FLOOR = 0.74
REFUSAL_FLOOR = 0.86
IMPORTED_FLOOR = 0.58


@pytest.fixture
async def blind():
    return await score_set(
        HERE / "questions.tsv", ROOT / "data" / "articles", sorted((HERE / "articles").glob("*.txt"))
    )


async def test_blind_set_floors(blind):
    assert blind.answerable > 200 and blind.refusable >= 50 and blind.imported >= 60
    assert blind.top1_rate >= TOP1_FLOOR, blind.misses[:10]
    assert blind.refusal_rate >= REFUSAL_FLOOR
    assert blind.imported_rate >= IMPORTED_FLOOR
    assert blind.comment_leaks == 0  # no reader-comment text is ever served
