"""Articles imported from raw text in other house styles, looked up through the real bot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.importer import import_file
from bot.safety import DEFAULT_RESOURCES
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "tests" / "data" / "raw"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "data" / "articles", articles)
    for name in ("pregabalin.txt", "dipyridamole.txt"):
        import_file(RAW / name, articles)
    return Settings(token=None, database=tmp_path / "bot.db", articles_dir=articles)


def custom_ids(message) -> list[str]:
    return [i["custom_id"] for row in message.components for i in row["components"] if i.get("custom_id")]


async def test_imported_article_card_by_brand_name(member, channel):
    choices = await member.autocomplete(channel, "treatment", "name", "lyr")
    assert choices[0] == {"name": "Lyrica (Pregabalin)", "value": "pregabalin"} and len(choices) <= 25
    message = (await member.slash(channel, "treatment", name="Persantine")).response
    (embed,) = message.embeds
    assert embed.title == "Dipyridamole: fact card"
    assert "Evidence for RLS: Limited" in embed.description and "pilot" in embed.description
    fields = {f.name: f.value for f in embed.fields}
    assert "Sam Okafor" in fields["Source"] and "2023-09-02" in fields["Source"]
    assert "not medical advice" in embed.footer.text
    assert "kb:topic:dipyridamole:ask_doctor" in custom_ids(message)
    shown = (await member.click(message, custom_id="kb:topic:dipyridamole:evidence")).response
    assert shown.ephemeral and "open-label pilot study of 13 patients" in shown.embeds[0].description
    assert "neurologist laughed" not in shown.embeds[0].description  # a reader comment


async def test_ask_across_imported_articles(member, channel):
    message = (await member.slash(channel, "ask", question="does lyrica cause weight gain?")).response
    assert message.ephemeral  # private unless the server chose otherwise
    assert message.embeds[0].title == "1. Side effects you might notice"
    assert "Pregabalin" in message.embeds[0].author.name


async def test_crisis_language_in_a_question_gets_support_privately(member, channel):
    reply = (await member.slash(channel, "ask", question="i want to die, nothing helps my legs")).response
    assert reply.ephemeral
    assert reply.content.startswith(DEFAULT_RESOURCES.splitlines()[0])
    assert "/treatments" in reply.content and len(reply.content) <= 2000
    answered = (await member.slash(channel, "ask", question="lyrica side effects, i want to die")).response
    assert answered.ephemeral and "988" in answered.content
    assert answered.embeds[0].title == "1. Side effects you might notice"
