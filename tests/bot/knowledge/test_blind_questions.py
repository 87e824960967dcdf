"""/ask on the blind question set (``tests/blind/ask/``), held at floors from its honest runs.

The set (340 questions, two raw articles on pregabalin and iron imported as an admin would) was
written apart from the ranking code, before the section ranker, and is never edited. Its misses
have not been read. Runs, each a step planned before it was measured:
- the code before the section ranker: top-1 204/273, off-article refused 50/67, imported 78/112;
- the section ranker: 212/273, 49/67, 84/112;
- with children, other conditions and access as off-article topics: 214/273, 60/67, 88/112;
- with 1,760 more topic-labelled questions: 214/273, 60/67, 90/112;
- with the ranker also trained on a fifth article (ropinirole) and its questions: 216/273, 59/67,
  91/112 (one question fewer refused, adopted as planned);
- with the ranker also trained on three more raw articles (pramipexole, magnesium, dipyridamole,
  headings in other styles) and 385 questions about them: 212/273, 59/67, 87/112. Adopted although
  it loses four questions here: on those three articles, asked with each held out of training, it
  gets 198 of 335 right where the ranker trained without them gets 189, so it reads articles in
  unfamiliar styles better;
- after the changes decided on the training questions since (no topic-coverage gate, near-twin names,
  "what it is" drafted from the defining sentence, the conclusion for "bottom line" questions, brand
  names from titles): 216/273, 59/67, 87/112;
- with 898 more topic-labelled questions on the line between what the articles answer and what they
  never do (doses, children, other conditions, getting hold of it, and look-alikes):
  219/273, 59/67, 87/112;
- with a treatment named in small words and a clear question answered rather than given an
  overview, and the topic model also reading each section's heading (both decided on the training
  questions, where the heading reading took the by-article figure from 514 to 524 of 719):
  225/273, 59/67, 92/112;
- with a sentence about another use of a medicine refused even where its article mentions that use
  (decided on the training questions: 2 more refused there, none lost): 225/273, 59/67, 92/112.
No reader-comment text was served in any run. The floors are the last run, rounded down: a change
that loses ground here fails. (They are under the 90 %, 95 % and 85 % the bot aims for.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.evaluation import score_set

ROOT = Path(__file__).resolve().parents[3]
BLIND = ROOT / "tests" / "blind" / "ask"
TOP1_FLOOR = 0.80
REFUSAL_FLOOR = 0.88
IMPORTED_FLOOR = 0.77


@pytest.fixture
async def figures():
    return await score_set(BLIND / "questions.tsv", ROOT / "data" / "articles", sorted((BLIND / "articles").glob("*.txt")))


async def test_blind_question_floors(figures):
    assert figures.answerable == 273 and figures.refusable == 67 and figures.imported == 112
    assert figures.top1_rate >= TOP1_FLOOR
    assert figures.refusal_rate >= REFUSAL_FLOOR
    assert figures.imported_rate >= IMPORTED_FLOOR
    assert figures.comment_leaks == 0  # no reader-comment text is ever served


# A second blind set (``tests/blind/ask2/``: 350 questions on the shipped articles and two raw
# articles on gabapentin and oxycodone-naloxone, 70 to refuse), written apart from the ranking code
# after the runs above and never edited. Its first run: top-1 188/280, off-article refused 66/70,
# imported articles 76/150 (of the shipped articles' questions, 112/130), no reader-comment text.
# The topic-coverage gate's removal and near-twin names, decided on the training questions, left all
# three unchanged. Then "what it is" drafted from the defining sentence, descriptions from the
# section that fact cites and the conclusion favoured for "bottom line" questions (all decided on the
# training questions): top-1 191/280, refused 65/70, imported 76/150. Its misses have not been read,
# but for one question shown in a failing assertion's output (that output no longer lists questions).
# Then brand names taken from brackets in an imported article's title and from "sold as" (prompted
# in part by seeing the header drafted for this set's oxycodone-naloxone article, so the figures after
# it are not clean for that article): top-1 221/280, refused 64/70, imported 106/150. With the 898
# boundary questions for the topic model: 220/280, 65/70, 106/150. With the small-words answer and
# the headings read by the topic model (the run that took the first set to 225/273): 219/280, 65/70,
# 105/150. With a sentence about another use of a medicine refused: 219/280, 66/70, 105/150.
# Floors: the earlier run, rounded down (still met).
BLIND2 = ROOT / "tests" / "blind" / "ask2"


@pytest.fixture
async def figures2():
    return await score_set(
        BLIND2 / "questions.tsv", ROOT / "data" / "articles", sorted((BLIND2 / "articles").glob("*.txt"))
    )


async def test_second_blind_question_floors(figures2):
    assert figures2.answerable == 280 and figures2.refusable == 70 and figures2.imported == 150
    assert figures2.top1_rate >= 0.78
    assert figures2.refusal_rate >= 0.92
    assert figures2.imported_rate >= 0.70
    assert figures2.comment_leaks == 0
