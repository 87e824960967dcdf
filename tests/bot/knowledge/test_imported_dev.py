"""/ask on raw articles imported as an admin would: development data.

The articles and their questions were written from each article alone, apart from the ranking code,
and first scored (each article imported alone) on the code before the importer read long question
headings and lists of questions: top-1 139/220, refused 22/30. Their misses were then read and the importer changed, so
they now show that imported articles keep reading well, not how well /ask generalises (that is the
blind sets' job). After those changes, both imported together:
149/220, refused 22/30.

A third article, on pneumatic compression (a device, not a medicine), was written the same way and
first scored alone on the code as it then stood: top-1 31/110, refused 13/15. The importer had named
it after iron, a treatment it mentions on the side. With a title's name of several words also
counted by its last word ("compression"): 45/110. All three together: 194/330, refused 35/45; with
questions about someone under 18 refused: 194/330, 37/45; with "what it is" drafted from a heading
"What ... Is" and a sentence "... means ...", not a later "... is not a drug" (the descriptions come
from that section), and "pump" read as a form a treatment comes in ("the leg pump"): 215/330, 35/45;
with capital short names built on a treatment's name ("SCD", "IPC") as other names: 218/330, 35/45.

Two more, on buprenorphine and carbamazepine, were written the same way and first scored alone:
buprenorphine 61/110, refused 12/15 (the code before a list's last short line stopped being read
as a heading and "brands include" gave brand names; after them, 71/110), carbamazepine 84/110,
refused 12/15 (on the code with those changes, before its questions had been read). All five
together: 369/550, refused 59/75. With another use its treatment's article names refused
("for epilepsy which is better, carbamazepine or lamotrigine?"): 370/550, refused 61/75. With a kind
of medicine said on its own ("hooked on benzos") read as a description: 371/550, 61/75. Floors: that
run, rounded down.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.evaluation import score_set

ROOT = Path(__file__).resolve().parents[3]
SET = ROOT / "tests" / "data" / "imported"


async def test_imported_articles_answer_their_questions():
    figures = await score_set(
        SET / "questions.tsv", ROOT / "data" / "articles", sorted((SET / "articles").glob("*.txt"))
    )
    assert figures.imported == 550 and figures.refusable == 75
    assert figures.imported_rate >= 0.67  # 369/550
    assert figures.refusal_rate >= 0.81  # 61/75
    assert figures.comment_leaks == 0


# Three more raw articles in other page styles (tests/data/imported_styles/), written the same way,
# each scored imported on its own as the blind sets' articles are. First runs: ropinirole (a health
# blog with an FAQ) 75/95, refused 12/15; rotigotine (a charity FAQ page with bullets, a breadcrumb
# trail and "Related pages") 71/95, 14/15, where a question heading after a bulleted list of
# questions had been read as one of them; pramipexole (a leaflet with numbered lists and references,
# on the code with that fixed and missed-dose questions relabelled in the topic corpus, a step later
# taken out) 72/95, 14/15. On the code kept: 75/95, 76/95 and 71/95; with another use its
# treatment's article names refused, ropinirole refused 13/15. With a kind of medicine said on its
# own read as a description and the ranker retrained for it: 74/95, 76/95, 71/95 (ropinirole's floor
# lowered for that trade: 9 more right on the other development questions). Floors: that run,
# rounded down.
STYLES = ROOT / "tests" / "data" / "imported_styles"


@pytest.mark.parametrize(("name", "floor"), [("ropinirole", 0.77), ("rotigotine", 0.8), ("pramipexole", 0.74)])
async def test_articles_in_other_page_styles_answer_their_questions(name, floor):
    figures = await score_set(
        STYLES / f"questions_{name}.tsv", ROOT / "data" / "articles", [STYLES / "articles" / f"{name}.txt"]
    )
    assert figures.imported == 95 and figures.refusable == 15
    assert figures.imported_rate >= floor
    assert figures.refused >= (13 if name == "ropinirole" else 14)
    assert figures.comment_leaks == 0


# Two more raw articles (tests/data/imported_slang/), on clonazepam and valerian, with questions in
# members' slang ("klonnies", "k-pins", "benzos", "the herbal sleep aid"), brands, misspellings and
# descriptions, written the same way and each scored imported on its own. First runs, before their
# misses were read: clonazepam 49/100, refused 18/20; valerian 61/100, 18/20. Twenty-nine of
# clonazepam's misses named no treatment the bot knew: slang, a bare drug class, or nothing at all
# ("does the drowsiness ever wear off"). With a kind of medicine said on its own ("hooked on
# benzos") and a "sleep aid" read as descriptions: 52/100 and 64/100, refused 18/20 each; with the
# names an article says its treatment goes by ("older names for it include all-heal"): 52/100 and
# 65/100, 18/20 each. Floors: that run, rounded down.
SLANG = ROOT / "tests" / "data" / "imported_slang"


@pytest.mark.parametrize(("name", "floor"), [("clonazepam", 0.52), ("valerian", 0.65)])
async def test_articles_asked_about_in_slang_answer_their_questions(name, floor):
    figures = await score_set(
        SLANG / f"questions_{name}.tsv", ROOT / "data" / "articles", [SLANG / "articles" / f"{name}.txt"]
    )
    assert figures.imported == 100 and figures.refusable == 20
    assert figures.imported_rate >= floor
    assert figures.refused >= 18
    assert figures.comment_leaks == 0


# Two more raw articles (tests/data/imported_new/), in page styles no other set has: a US hospital's
# patient blog on acupuncture (a procedure, not a medicine; its headings are questions) and a UK
# pharmacy chain's medicine guide on cabergoline, written the same way and each scored imported on
# its own. First runs, before their misses were read: acupuncture 56/95, refused 14/15; cabergoline
# 78/95, refused 11/15 (on the code with a question in small words that asks something answered from
# the section the ranker is sure of; acupuncture 57/95 with it). Floors: that run, rounded down.
NEW_STYLES = ROOT / "tests" / "data" / "imported_new"


@pytest.mark.parametrize(("name", "floor", "refused"), [("acupuncture", 0.6, 14), ("cabergoline", 0.82, 11)])
async def test_articles_in_new_page_styles_answer_their_questions(name, floor, refused):
    figures = await score_set(
        NEW_STYLES / f"questions_{name}.tsv", ROOT / "data" / "articles", [NEW_STYLES / "articles" / f"{name}.txt"]
    )
    assert figures.imported == 95 and figures.refusable == 15
    assert figures.imported_rate >= floor
    assert figures.refused >= refused
    assert figures.comment_leaks == 0
