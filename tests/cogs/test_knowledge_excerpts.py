"""A long section in an /ask answer is shown where it answers the question, through the real bot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.importer import import_file
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
MAGNESIUM = ROOT / "data" / "knowledge" / "section_questions" / "articles" / "magnesium.txt"
ANSWER = "anyone with kidney problems should not take magnesium supplements"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "data" / "articles", articles)
    import_file(MAGNESIUM, articles)
    return Settings(token=None, database=tmp_path / "bot.db", articles_dir=articles)


def custom_ids(message) -> list[str]:
    return [i["custom_id"] for row in message.components for i in row["components"] if i.get("custom_id")]


async def test_the_answering_sentence_is_shown_and_shared_as_shown(member, channel, restart):
    message = (await member.slash(channel, "ask", question="is magnesium safe with my kidney problems")).response
    first = message.embeds[0]
    assert first.title == "1. Can Magnesium Cause Problems?"
    assert ANSWER in first.description and "…" in first.description
    assert first.description.startswith("For most healthy adults")  # the opening stays, for context
    assert len(first.description) <= 1000
    share = next(i for i in custom_ids(message) if i.startswith("kb:share:"))
    assert len(share) <= 100
    await restart()
    shared = (await member.click(message, custom_id=share)).response
    assert [e.description for e in shared.embeds] == [e.description for e in message.embeds]
    read_more = next(i for i in custom_ids(message) if i.startswith("kb:sec:"))
    full = (await member.click(message, custom_id=read_more)).response
    assert full.ephemeral and full.embeds[0].description.startswith("For most healthy adults")
