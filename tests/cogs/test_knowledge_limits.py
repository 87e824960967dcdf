"""Discord's limits with a big library: 30 treatments, long passages, long metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.articles import render
from bot.settings import Settings

LONG_SECTION = " ".join(
    f"Sentence {i} of the long trial section explains one more detail about the study and its small sample."
    for i in range(60)
)


def write_library(directory: Path) -> None:
    directory.mkdir(parents=True)
    for i in range(30):
        name = f"Testamine{i:02d}"
        slug = name.lower()
        long_fact = "A long curated sentence about how it works in the nerves. " * 18
        aliases = [f"Brand{i:02d}{k}" for k in range(12)]
        if i == 0:  # a treatment sold under very many names
            aliases += [f"Longbrand Number {k} Extended Release" for k in range(150)]
        meta = {
            "title": f"{name} and Restless Legs: " + "A Very Long Title Indeed " * 8,
            "author": "A. Writer " * 5,
            "date": "2024-03-01",
            "source": "https://example.org/" + "x" * 200,
            "treatment": {"name": name, "slug": slug, "aliases": aliases},
            "facts": {
                key: {
                    "text": long_fact,
                    "section": "The Trials In Detail" if key == "evidence" else "Overview",
                }
                for key in ("what_it_is", "how_it_works", "side_effects", "risks", "ask_doctor")
            }
            | {
                "evidence": {
                    "level": "Limited",
                    "summary": "Only small trials. " * 20,
                    "text": long_fact,
                    "section": "The Trials In Detail",
                }
            },
            "key_risks": [f"risk number {k} described at some length" for k in range(12)],
        }
        sections = [("Overview", "It is a test medicine. " * 30), ("The Trials In Detail", LONG_SECTION)]
        (directory / f"{slug}.md").write_text(render(meta, sections))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    articles = tmp_path / "articles"
    write_library(articles)
    return Settings(token=None, database=tmp_path / "bot.db", articles_dir=articles)


async def test_autocomplete_never_offers_more_than_25(member, channel):
    for typed in ("", "t", "testamine", "brand", "e"):
        choices = await member.autocomplete(channel, "treatment", "name", typed)
        assert 0 < len(choices) <= 25
        assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    choices = await member.autocomplete(channel, "compare", "first", "")
    assert len(choices) == 25


async def test_long_card_fits(member, channel):
    message = (await member.slash(channel, "treatment", name="testamine07")).response
    (embed,) = message.embeds
    assert len(embed) <= 6000
    assert all(len(f.value) <= 1024 for f in embed.fields)
    assert len(embed.description) <= 4096 and len(embed.title) <= 256


async def test_long_passage_is_paged_at_sentence_boundaries(member, channel):
    card = (await member.slash(channel, "treatment", name="testamine03")).response
    reply = (await member.click(card, custom_id="kb:topic:testamine03:evidence")).response
    pages = []
    while True:
        (embed,) = reply.embeds
        assert len(embed.description) <= 1500 and len(embed) <= 6000
        assert embed.description.endswith(".")  # cut where a sentence ends
        pages.append(embed.description)
        assert f"Page {len(pages)} of" in embed.footer.text
        more = [i["custom_id"] for row in reply.components for i in row["components"]]
        if not more:
            break
        assert more == [f"kb:topic:testamine03:evidence:{len(pages)}"]
        reply = (await member.click(reply, custom_id=more[0])).response
        assert reply.ephemeral
    assert len(pages) == 5
    assert " ".join(pages) == LONG_SECTION


async def test_compare_treatments_and_about_fit(member, channel):
    message = (await member.slash(channel, "compare", first="testamine01", second="brand020")).response
    (embed,) = message.embeds
    assert embed.title == "Testamine01 vs Testamine02"
    assert len(embed) <= 6000 and len(embed.fields) <= 25
    assert sum(len(row["components"]) for row in message.components) <= 25 and len(message.components) <= 5
    (embed,) = (await member.slash(channel, "treatments")).response.embeds
    assert embed.description.count("\n") >= 10 and len(embed.description) <= 4096 and len(embed) <= 6000
    (embed,) = (await member.slash(channel, "about")).response.embeds
    assert len(embed) <= 6000 and all(len(f.value) <= 1024 for f in embed.fields)
    assert "…and more" in embed.fields[-1].value


async def test_ask_with_long_passages_fits(member, channel):
    message = (await member.slash(channel, "ask", question="trial details sample")).response
    assert len(message.embeds) == 3
    assert sum(len(e) for e in message.embeds) <= 6000
    assert all(len(e.description) <= 1000 for e in message.embeds)
    ids = [i["custom_id"] for row in message.components for i in row["components"]]
    assert len(ids) == 4 and all(i.startswith("kb:sec:") for i in ids[:3]) and ids[3].startswith("kb:share:")
    assert len(ids[3]) <= 100
    full = (await member.click(message, custom_id=ids[0])).response
    assert full.embeds[0].description.startswith("Sentence 0 ")


async def test_evidence_stays_visible_with_very_many_brand_names(member, channel):
    (embed,) = (
        await member.slash(channel, "treatment", name="Longbrand Number 149 Extended Release")
    ).response.embeds
    assert embed.title == "Testamine00: fact card"
    assert "**Evidence for RLS: Limited**" in embed.description
    assert len(embed.description) <= 4096 and len(embed) <= 6000
    choices = await member.autocomplete(channel, "treatment", "name", "longbrand")
    assert len(choices) == 25
