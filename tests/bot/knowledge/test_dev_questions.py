"""Development questions: typos, brand names, two treatments, chat.

These questions were written while the ranking was being built and tuned, so
they are development data: they show that known phrasings keep working, not
how well /ask generalises. Generalisation is measured on the topic-labelled
corpus's validation folds (benchmarks) and on the blind set (tests/blind).
"""

from __future__ import annotations

import pytest

SIDE_EFFECTS_BACLOFEN = "Side Effects, Risks, and Considerations When Using Baclofen for RLS"
SIDE_EFFECTS_MEMANTINE = "Considering the Potential Side Effects of Memantine"
ABOUT_RLS = "Understanding Restless Leg Syndrome and Its Impact on Life"


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("what are the side efects of baclophen", SIDE_EFFECTS_BACLOFEN),
        ("BACLOFEN SIDE EFFECTS!!!", SIDE_EFFECTS_BACLOFEN),
        ("side affects of baclofen", SIDE_EFFECTS_BACLOFEN),
        ("lioresal sideeffects", SIDE_EFFECTS_BACLOFEN),
        ("how do I come off baclofen", SIDE_EFFECTS_BACLOFEN),
        ("what happens if i stop baclofen suddenly", SIDE_EFFECTS_BACLOFEN),
        ("can baclofen cause hallucinations", SIDE_EFFECTS_BACLOFEN),
        ("@everyone baclofen side effects", SIDE_EFFECTS_BACLOFEN),
        ("<@1234567890> side effects of baclofen", SIDE_EFFECTS_BACLOFEN),
        ('"baclofen" AND side*', SIDE_EFFECTS_BACLOFEN),
        ("baclofen for ms spasticity", "Baclofen: A Potential Treatment Option for Restless Leg Syndrome"),
        ("can i take baclofen with memantine", SIDE_EFFECTS_BACLOFEN),  # it interacts with medicines
        ("Does Namenda make you dizzy?", SIDE_EFFECTS_MEMANTINE),
        ("memantin headache", SIDE_EFFECTS_MEMANTINE),
        ("what is RLS", ABOUT_RLS),
        ("rls", ABOUT_RLS),
        ("what are the symptoms of rls", ABOUT_RLS),
    ],
)
async def test_member_phrasings_find_the_right_passage(kb, question, section):
    answer = await kb.ask(question)
    assert answer.answered, question
    assert answer.results[0].section == section


async def test_two_treatments_and_one_topic_gets_both_passages(kb):
    answer = await kb.ask("compare baclofen and memantine side effects")
    assert [p.section for p in answer.results[:2]] == [SIDE_EFFECTS_BACLOFEN, SIDE_EFFECTS_MEMANTINE]


@pytest.mark.parametrize("question", ["baclofen?", "Lioresal", "baclofen ??"])
async def test_a_treatment_named_alone_gets_what_it_is_how_it_works_and_the_evidence(kb, question):
    answer = await kb.ask(question)
    assert [p.section for p in answer.results] == [
        "Baclofen: A Potential Treatment Option for Restless Leg Syndrome",
        "How Baclofen Works to Alleviate Restless Leg Syndrome Symptoms",
        "Studies and Clinical Trials on Baclofen for Restless Leg Syndrome",
    ]


async def test_a_question_in_small_words_is_answered_not_given_an_overview(kb):
    # "who", "shouldn't" and "take" are not search words, but the question is clear
    answer = await kb.ask("who shouldn't take baclofen")
    assert [p.section for p in answer.results] == [SIDE_EFFECTS_BACLOFEN]


@pytest.mark.parametrize("question", ["baclofen vs memantine", "memantine versus baclofen, which is better?"])
async def test_two_treatments_alone_get_an_overview_of_each(kb, question):
    answer = await kb.ask(question)
    assert answer.answered
    assert {p.treatment for p in answer.results} == {"baclofen", "memantine"}


@pytest.mark.parametrize(
    "question",
    [
        "hi",
        "hello bot 👋",
        "thanks!",
        "lol",
        "😭😭😭",
        "(((",
        '"',
        "who won the football",
        "lyrica side effects",  # no article covers it
        "how much baclofen should i take",  # no article gives doses
        "how many mg of memantine",
        "how many pills of baclofen a day",
        "when should i take baclofen",  # no article says when
        "can i take baclofen with food",
        "my symptoms are worse",
        "does it help my symptoms",
        "what helps rls",
    ],
)
async def test_chat_and_uncovered_questions_are_not_answered(kb, question):
    answer = await kb.ask(question)
    assert answer.answered is False, [(p.treatment, p.section) for p in answer.results]
    assert answer.results == []


async def test_the_question_is_kept_as_asked(kb):
    answer = await kb.ask("how do I come off   baclofen")
    assert answer.question == "how do I come off baclofen"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("iron", []), ("ropinirole", []), ("lyrica", []), ("baclo", ["Baclofen"]), ("nam", ["Memantine"])],
)
async def test_did_you_mean_only_offers_names_that_look_alike(kb, name, expected):
    assert kb.find_treatment(name) is None
    assert kb.close_names(name) == expected


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("baclophen", "baclofen"),
        ("memantin", "memantine"),
        ("Namenda", "memantine"),
        ("bacl0fen", "baclofen"),
    ],
)
async def test_autocomplete_by_alias_and_misspelling(kb, typed, slug):
    choices = kb.suggest(typed)
    assert 0 < len(choices) <= 25 and choices[0][1] == slug
    assert all(len(label) <= 100 for label, _ in choices)


async def test_when_to_take_it_is_a_dosing_question_and_refused(many_kb):
    # the articles are not a dosing guide, even where one mentions bedtime in passing
    answer = await many_kb.ask("when should I take ropinirole")
    assert not answer.answered and answer.topic == "dosing"
