"""Requests for a piece of writing are told apart from questions, whatever they name."""

import pytest

from bot.knowledge.requests import asks_for_writing

REQUESTS = [
    "write me a poem about baclofen",
    "can you do a limerick about memantine lol",
    "tell me a joke about restless legs",
    "write a haiku about my ropinirole",
    "sing me a song about iron tablets",
    "compose a short story where baclofen is the hero",
    "a limerick about memantine pls",
    "haiku on ropinirole?",
    "Could u please write a funny rhyme for my madopar",
    "pls make up a song about my crawly legs and gabapentin",
    "i want you to write a sonnet about pramipexole",
    "can you write me a bedtime story about a brave vitamin d tablet",
    "Hey bot! Write a rap about iron infusions 😂",
    "give me a joke about clonazepam",
    "can you tell me a joke about magnesium",
    "Evening all.  Bored stiff at 3am.   Could you   write an ode to valerian",
]

QUESTIONS = [
    "is lioresal habit forming",
    "I wrote a poem about my rls, does baclofen help?",
    "can you tell me the story of how memantine was found",
    "do jokes help with rls lol",
    "write down what to ask my doctor about baclofen",
    "can you tell me if baclofen makes you sleepy",
    "tell my wife jokes about my legs all the time, anyway does valerian work",
    "what should i write to my gp about baclofen side effects",
    "my daughter sings songs to me when my legs are bad",
    "is there a song about rls",
    "can you give me the rundown on ropinirole",
    "make sure you tell me the side effects of baclofen",
    "whats the story with memantine and rls",
    "Can you explain the story behind dipyridamole?",
    "",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_a_request_for_writing_is_seen(text):
    assert asks_for_writing(text)


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_is_not_a_request_for_writing(text):
    assert not asks_for_writing(text)


@pytest.mark.parametrize(
    "question", ["write me a poem about baclofen", "compose a short story where baclofen is the hero"]
)
async def test_ask_refuses_a_request_for_writing_and_says_what_it_does(kb, question):
    answer = await kb.ask(question)
    assert not answer.answered and answer.results == []
    assert answer.topic == "chat" and answer.reason == "writing"
    assert "don't write poems" in kb.explain(answer)


async def test_a_question_about_the_same_treatment_is_still_answered(kb):
    answer = await kb.ask("does baclofen make you sleepy")
    assert answer.answered and answer.results[0].treatment == "baclofen"
