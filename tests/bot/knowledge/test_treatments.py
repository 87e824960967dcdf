"""Finding treatments by name, brand and misspelling; fact cards built from the articles."""

from __future__ import annotations

import time

import pytest


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("baclofen", "baclofen"),
        ("Baclofen", "baclofen"),
        ("  BACLOFEN ", "baclofen"),
        ("Lioresal", "baclofen"),
        ("baclophen", "baclofen"),
        ("baclofin", "baclofen"),
        ("baclofn", "baclofen"),
        ("Kemstro", "baclofen"),
        ("memantine", "memantine"),
        ("memantin", "memantine"),
        ("Namenda", "memantine"),
        ("namenda", "memantine"),
        ("memantene", "memantine"),
        ("memanteen", "memantine"),
        ("Ebixa", "memantine"),
        ("Lioresal (Baclofen)", "baclofen"),
    ],
)
def test_find_treatment(kb, name, slug):
    treatment = kb.find_treatment(name)
    assert treatment is not None and treatment.slug == slug


@pytest.mark.parametrize(
    "name", ["", "   ", "ba", "pizza", "gabapentin", "ropinirole", "x" * 300, "@everyone"]
)
def test_unknown_names(kb, name):
    assert kb.find_treatment(name) is None


def test_close_names_for_a_near_miss(kb):
    assert kb.find_treatment("baclo") is None
    assert kb.close_names("baclo")[0] == "Baclofen"


def test_treatments_sorted_with_article_metadata(kb):
    treatments = kb.treatments()
    assert [t.slug for t in treatments] == ["baclofen", "memantine"]
    baclofen = treatments[0]
    assert baclofen.article.author == "James Hines" and baclofen.article.date == "2023-04-28"
    assert baclofen.article.title == "Baclofen and Restless Leg Syndrome: Can It Provide Relief?"
    assert "Lioresal" in baclofen.aliases


def test_baclofen_card_is_faithful(kb):
    card = kb.find_treatment("baclofen").card
    assert card.evidence_level == "Limited"
    assert "few small studies" in card.evidence_summary
    keys = [t.key for t in card.topics]
    assert keys == ["what_it_is", "how_it_works", "evidence", "side_effects", "risks", "ask_doctor"]
    assert "muscle spasms" in card.topic("what_it_is").text
    assert "GABA" in card.topic("how_it_works").text
    for word in ("drowsiness", "dizziness", "weakness", "nausea"):
        assert word in card.topic("side_effects").text
    risks = card.topic("risks").text
    for word in ("dependence", "withdrawal", "taper", "interacts"):
        assert word in risks
    assert any("dependence" in r for r in card.key_risks)
    treatment = kb.find_treatment("baclofen")
    # every topic cites a real section, and its full passage is that section's text
    for topic in card.topics:
        for heading in topic.sections:
            assert treatment.section(heading) is not None
    assert "gradual tapering schedule" in treatment.topic_text("risks")


def test_memantine_card_says_the_evidence_is_limited(kb):
    card = kb.find_treatment("memantine").card
    assert card.evidence_level == "Limited"
    assert "rats" in card.evidence_summary and "six-week" in card.evidence_summary
    assert "Alzheimer" in card.topic("what_it_is").text
    assert "NMDA" in card.topic("how_it_works").text
    assert "does not discuss dependence" in card.topic("risks").text
    text = kb.find_treatment("memantine").topic_text("evidence")
    assert "Sleep Medicine" in text and "more research is needed" in text  # both cited sections


def test_card_from_an_article_without_curated_facts(many_kb):
    ropinirole = many_kb.find_treatment("Requip")
    assert ropinirole.slug == "ropinirole"
    assert ropinirole.card.evidence_level == "Moderate"
    assert "augmentation" in ropinirole.card.topic("risks").text.lower()
    assert ropinirole.card.topic("side_effects").section == "Side Effects to Expect"


def test_suggest(kb, many_kb):
    assert kb.suggest("") == [("Baclofen", "baclofen"), ("Memantine", "memantine")]
    assert kb.suggest("nam")[0] == ("Namenda (Memantine)", "memantine")
    assert kb.suggest("bac")[0] == ("Baclofen", "baclofen")
    assert ("Lioresal (Baclofen)", "baclofen") in kb.suggest("lio")
    assert kb.suggest("baclophin")[0][1] == "baclofen"  # typo
    assert kb.suggest("zzzz") == []
    for text in ("", "a", "e", "r", "in"):
        choices = many_kb.suggest(text)
        assert len(choices) <= 25
        assert all(len(label) <= 100 and len(slug) <= 100 for label, slug in choices)
    assert len(many_kb.suggest("e", limit=5)) == 5


def test_mentioned_treatments(kb):
    found = kb.mentioned_treatments("My doc switched me from Lioresal to namenda last week")
    assert [t.slug for t in found] == ["baclofen", "memantine"]
    assert [t.slug for t in kb.mentioned_treatments("BACLOFEN cured me!!!")] == ["baclofen"]
    assert kb.mentioned_treatments("baclofenol and memantines are not names") == []
    assert kb.mentioned_treatments("") == []
    assert [t.slug for t in kb.mentioned_treatments("baclophen, baclofen and Baclofen")] == ["baclofen"]


def test_mentioned_treatments_is_cheap(many_kb):
    text = "I have been taking something for my legs at night and it helps a bit, anyone else? " * 20
    started = time.perf_counter()
    for _ in range(1000):
        many_kb.mentioned_treatments(text)
    assert (time.perf_counter() - started) / 1000 < 0.002


def test_suggest_is_fast(many_kb):
    started = time.perf_counter()
    for typed in ["", "b", "ba", "bac", "bacl", "lyr", "requi", "ferrous", "zz", "memantin"] * 50:
        assert len(many_kb.suggest(typed)) <= 25
    assert (time.perf_counter() - started) / 500 < 0.003
