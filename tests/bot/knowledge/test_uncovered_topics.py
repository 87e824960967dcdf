"""A question about what an article never covers is refused, saying what it does cover."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "can i just stop taking memantine or do i need to wean off",
        "memantine withdrawal symptoms",
        "can i come off memantine suddenly",
        "can i just stop taking memantine",  # likelier about stopping than not, if not surely
    ],
)
async def test_a_topic_the_article_never_covers_is_refused_with_what_it_covers(kb, question):
    answer = await kb.ask(question)
    assert not answer.answered and answer.topic == "withdrawal" and answer.reason == "not covered"
    assert "side_effects" in answer.covered["memantine"] and "withdrawal" not in answer.covered["memantine"]
    assert "doesn't cover stopping" in kb.explain(answer)


async def test_the_same_question_is_answered_where_the_article_covers_it(kb):
    answer = await kb.ask("can i come off baclofen suddenly")
    assert answer.answered and answer.results[0].treatment == "baclofen"
    assert "gradual" in answer.results[0].text
