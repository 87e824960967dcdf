"""A question about another use of a treatment ("is tegretol any good for bipolar") is refused.

The uses come from the treatment's own "what it is" text, so an imported article brings its own.
"""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.describe import asks_other_use, other_uses, stem
from bot.knowledge.importer import import_file

CARBAMAZEPINE = """Carbamazepine (Tegretol) for Restless Legs

Feb 11, 2025
By the Community Writing Team

What Carbamazepine Is and What It Is Usually For
Carbamazepine is an anti-seizure medicine that has been prescribed for several decades. The best-known brand
is Tegretol. Its main licensed uses are epilepsy, a severe facial nerve pain called trigeminal neuralgia, and
some other kinds of nerve pain. It is also sometimes used as a mood stabiliser in bipolar disorder when other
medicines have not worked. Carbamazepine is not licensed for restless legs syndrome.

How It Might Help Restless Legs
Carbamazepine calms electrical activity in nerve cells. Nobody knows exactly how this helps restless legs; it
may damp down the over-active sensory signals behind the crawling feelings.

Stopping It
Do not stop carbamazepine suddenly. Stopping abruptly can bring on seizures, even in people without epilepsy,
and restless legs symptoms may return. Your doctor will lower the amount step by step.

Side Effects
Dizziness, drowsiness, feeling sick and unsteadiness are common in the first weeks.
"""


def uses(text: str) -> set[str]:
    return other_uses(text, ["carbamazepine", "tegretol"])


def test_uses_are_read_from_what_the_text_says_it_is_used_for():
    found = uses(
        "Its main licensed uses are epilepsy, a severe facial nerve pain called trigeminal neuralgia, and some "
        "other kinds of nerve pain. It is also sometimes used as a mood stabiliser in bipolar disorder when other "
        "medicines have not worked."
    )
    assert {stem(w) for w in ("epilepsy", "trigeminal", "neuralgia", "bipolar", "mood")} <= found
    assert stem("medicines") not in found  # after "when": a new clause, not a use
    assert stem("disorder") not in found  # a word for any illness names none


def test_rls_itself_is_not_another_use():
    assert uses("It is licensed for restless legs syndrome in adults.") == set()
    # a use phrase about RLS says nothing about other uses, even with other words in it
    assert uses("It is licensed for RLS, including RLS in people on kidney dialysis.") == set()


def test_a_new_clause_after_a_comma_ends_the_uses():
    found = uses("It has been used against malaria for centuries, and it is still sold in most countries today.")
    assert stem("malaria") in found
    assert stem("countries") not in found
    found = uses("It was developed for Parkinson's disease and was later approved in Europe.")
    assert found == {stem("parkinsons")}


def test_a_question_asks_about_another_use_after_a_word_of_purpose():
    found = {stem("epilepsy"), stem("bipolar"), stem("mood")}
    assert asks_other_use("is tegretol any good as a mood stabiliser for bipolar compared to lithium", found)
    assert asks_other_use("for epilepsy which is better, carbamazepine or lamotrigine?", found)
    assert asks_other_use("will it cure my epilepsy", found)


@pytest.mark.parametrize(
    "question",
    [
        "does carbamazepine help my restless legs as well as my epilepsy",  # RLS is asked about
        "I take carbamazepine for epilepsy, is there any problem adding quinine?",  # why they take it
        "is carbamazepine used for bipolar",  # what it is: its article says
        "what does it do for people with epilepsy",  # who, not what for
        "how do we tell if it's working, rather than going by his mood that week",  # no word of purpose
        "does carbamazepine help with sleep",  # not one of its other uses
    ],
)
def test_other_questions_that_name_a_use_are_not_about_it(question):
    assert not asks_other_use(question, {stem("epilepsy"), stem("bipolar"), stem("mood")})


@pytest.fixture
async def carbamazepine_kb(db, shipped_dir) -> KnowledgeBase:
    raw = shipped_dir.parent / "carbamazepine.txt"
    raw.write_text(CARBAMAZEPINE)
    import_file(raw, shipped_dir)
    return await KnowledgeBase.open(db, shipped_dir)


async def test_an_imported_treatments_other_use_is_refused_and_explained(carbamazepine_kb):
    answer = await carbamazepine_kb.ask("is tegretol any good as a mood stabiliser for bipolar compared to lithium")
    assert not answer.answered
    assert answer.topic == "other_condition"
    assert "other uses of a medicine" in carbamazepine_kb.explain(answer)


async def test_the_same_treatment_is_still_answered_about_rls(carbamazepine_kb):
    answer = await carbamazepine_kb.ask("does carbamazepine help restless legs")
    assert answer.answered and answer.results[0].treatment == "carbamazepine"
    answer = await carbamazepine_kb.ask("I take tegretol for epilepsy, can I just stop it suddenly?")
    assert answer.answered and answer.results[0].section == "Stopping It"


async def test_a_search_for_what_an_article_says_on_another_use_is_answered(kb):
    # a few words its article uses, not put as a question: a search for what it says on them
    answer = await kb.ask("baclofen for ms spasticity")
    assert answer.answered and answer.results[0].treatment == "baclofen"
    answer = await kb.ask("is baclofen any good for spasticity?")
    assert not answer.answered and answer.topic == "other_condition"


async def test_a_shipped_treatments_other_use_is_refused(kb):
    answer = await kb.ask("is memantine any good for alzheimer's")
    assert not answer.answered and answer.topic == "other_condition"
    answer = await kb.ask("does the alzheimer's drug help with jumpy legs")
    assert answer.answered and answer.results[0].treatment == "memantine"


@pytest.mark.parametrize(
    ("question", "refusal"),
    [
        ("is memantine any good for alzheimer's", "other uses of a medicine"),
        ("how much baclofen should I take", "don't give doses"),
    ],
)
async def test_an_off_article_refusal_says_what_the_named_article_covers(kb, question, refusal):
    answer = await kb.ask(question)
    assert not answer.answered
    said = kb.explain(answer)
    assert refusal in said
    name = "Memantine" if "memantine" in question else "Baclofen"
    assert f"The article on {name} does cover: what it is, how it works" in said


async def test_an_off_article_refusal_naming_no_treatment_lists_nothing(kb):
    answer = await kb.ask("can I take my RLS tablets while pregnant")
    assert not answer.answered and answer.topic == "pregnancy"
    assert "does cover" not in kb.explain(answer)
