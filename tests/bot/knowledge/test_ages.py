"""Questions about a child or a teenager are refused: the articles are written for adults."""

import pytest

from bot.knowledge.ages import asks_about_a_minor

ABOUT_A_MINOR = [
    "my 9 year old has restless legs, can he take baclofen?",
    "is memantine ok for teenagers with rls",
    "my daughter (15) cant sleep for her legs, is baclofen safe for her",
    "Evening all. Slightly off topic but my teenage son has ADHD and can't switch off. would memantine help?",
    "can kids take baclofen",
    "is baclofen suitable for children?",
    "my 12-year-old grandson has awful rls, could he be given memantine",
    "my boy is 7 and kicks all night, what can i give him",
    "son, 14, on baclofen for cp. does it help rls too?",
]

ABOUT_AN_ADULT = [
    "I've had rls since I was 12 years old, is baclofen worth trying",
    "i had epilepsy as a teenager, would baclofen be risky for me?",
    "been on baclofen since my teens, can i stop it",
    "my kids say i kick all night, is that the baclofen?",
    "my daughter is a nurse and says memantine is for dementia",
    "on baclofen 5 yrs and it still works",
    "is memantine ok for my 78 year old mum?",
    "my son is 25 and has rls, is baclofen an option",
    "anyone know a good mattress? ours is 15 years old",
    "took my son to school then napped, is baclofen making me sleepy",
]


@pytest.mark.parametrize("question", ABOUT_A_MINOR)
def test_questions_about_someone_under_18_are_told_apart(question):
    assert asks_about_a_minor(question)


@pytest.mark.parametrize("question", ABOUT_AN_ADULT)
def test_a_members_own_past_or_an_adult_child_is_not_a_question_about_a_minor(question):
    assert not asks_about_a_minor(question)


async def test_ask_refuses_a_question_about_a_child_and_answers_the_adult_one(kb):
    child = await kb.ask("is baclofen ok for teenagers with rls")
    assert not child.answered
    assert (child.topic, child.reason) == ("children", "off-article")
    adult = await kb.ask("I've had rls since I was 12 years old, is baclofen habit forming?")
    assert adult.answered, adult.reason
