"""Members look up treatment facts through the real bot, driven by simcord."""

from __future__ import annotations

import shutil

import discord
import pytest
import simcord

from bot.errors import NotFound, UserError
from tests.conftest import ARTICLES_DIR


def custom_ids(message) -> list[str]:
    ids = []
    for row in message.components:
        for item in row.get("components", []):
            if item.get("custom_id"):
                ids.append(item["custom_id"])
    return ids


def labels(message) -> dict[str, str]:
    return {
        item["custom_id"]: item.get("label", "")
        for row in message.components
        for item in row.get("components", [])
        if item.get("custom_id")
    }


async def test_treatment_card_shows_evidence_source_and_disclaimer(member, channel):
    result = await member.slash(channel, "treatment", name="baclofen")
    message = result.response
    assert not message.ephemeral
    (embed,) = message.embeds
    assert embed.title.startswith("Baclofen")
    assert "Evidence for RLS: Limited" in embed.description
    assert "few small studies" in embed.description
    fields = {f.name: f.value for f in embed.fields}
    source = fields["Source"]
    assert "James Hines" in source and "2023-04-28" in source and "Can It Provide Relief?" in source
    assert any("dependence" in v for v in fields.values())
    assert any("drowsiness" in v for name, v in fields.items() if "Side effects" in name)
    assert embed.footer.text.startswith("Information from community articles, not medical advice")
    assert len(embed) <= 6000 and len(embed.fields) <= 25
    ids = custom_ids(message)
    assert ids == [
        "kb:topic:baclofen:what_it_is",
        "kb:topic:baclofen:how_it_works",
        "kb:topic:baclofen:evidence",
        "kb:topic:baclofen:side_effects",
        "kb:topic:baclofen:risks",
        "kb:topic:baclofen:ask_doctor",
    ]
    assert len(message.components) <= 5


async def test_treatment_by_brand_name_and_misspelling(member, channel):
    for name in ("Namenda", "memantin"):
        (embed,) = (await member.slash(channel, "treatment", name=name)).response.embeds
        assert embed.title.startswith("Memantine")
        assert "rats" in embed.description and "Limited" in embed.description


async def test_treatment_autocomplete(member, channel):
    choices = await member.autocomplete(channel, "treatment", "name", "")
    assert 0 < len(choices) <= 25
    assert [c["value"] for c in choices] == ["baclofen", "memantine"]
    choices = await member.autocomplete(channel, "treatment", "name", "nam")
    assert choices[0] == {"name": "Namenda (Memantine)", "value": "memantine"}
    assert len(choices) <= 25
    choices = await member.autocomplete(channel, "treatment", "name", "baclophn")
    assert choices and choices[0]["value"] == "baclofen"
    assert await member.autocomplete(channel, "treatment", "name", "zzzzzz") == []
    # picking a choice sends its value, the slug
    (embed,) = (await member.slash(channel, "treatment", name=choices[0]["value"])).response.embeds
    assert embed.title.startswith("Baclofen")


async def test_topic_button_opens_the_full_passage_privately(member, channel):
    card = (await member.slash(channel, "treatment", name="baclofen")).response
    shown = await member.click(card, custom_id="kb:topic:baclofen:risks")
    reply = shown.response
    assert reply.ephemeral
    (embed,) = reply.embeds
    assert embed.title == "Baclofen: Risks & cautions"
    assert "gradual tapering schedule" in embed.description  # the article's own words, not the summary
    assert "Abruptly discontinuing Baclofen" in embed.description
    assert "Side Effects, Risks, and Considerations" in embed.footer.text
    assert "not medical advice" in embed.footer.text
    assert "5G" not in embed.description  # reader comments are never article content


async def test_topic_buttons_work_after_a_restart(member, channel, restart):
    card = (await member.slash(channel, "treatment", name="memantine")).response
    await restart()
    shown = await member.click(card, custom_id="kb:topic:memantine:evidence")
    (embed,) = shown.response.embeds
    assert shown.response.ephemeral
    assert "Sleep Medicine" in embed.description and "six weeks" in embed.description


async def test_treatments_lists_every_treatment_one_line_each(member, channel):
    (embed,) = (await member.slash(channel, "treatments")).response.embeds
    lines = [line for line in embed.description.splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0].startswith("**Baclofen**") and "limited" in lines[0]
    assert lines[1].startswith("**Memantine**") and "Namenda" in lines[1]


async def test_ask_shows_the_best_passages_with_article_and_section(member, channel):
    result = await member.slash(channel, "ask", question="baclofen side effects")
    message = result.response
    assert 1 <= len(message.embeds) <= 3
    first = message.embeds[0]
    assert first.title == "1. Side Effects, Risks, and Considerations When Using Baclofen for RLS"
    assert "Baclofen and Restless Leg Syndrome: Can It Provide Relief?" in first.author.name
    assert "drowsiness, dizziness, weakness, and nausea" in first.description
    assert sum(len(e) for e in message.embeds) <= 6000
    assert "not medical advice" in message.embeds[-1].footer.text
    # the section is longer than one passage: the rest is a click away
    assert len(first.description) <= 1000
    read_more, share = custom_ids(message)
    assert read_more.startswith("kb:sec:") and share.startswith("kb:share:")
    full = (await member.click(message, custom_id=read_more)).response
    assert full.ephemeral
    assert "consultation with your healthcare provider" in full.embeds[0].description


async def test_ask_says_when_the_passages_are_for_a_question_naming_no_treatment(member, channel):
    reply = (await member.slash(channel, "ask", question="is it addictive")).response
    assert reply.embeds and "You didn't name a treatment" in reply.content
    named = (await member.slash(channel, "ask", question="is baclofen addictive")).response
    assert named.embeds and "didn't name" not in named.content


async def test_ask_says_plainly_when_nothing_is_relevant(member, channel):
    for question in ("best pizza topping", "how do I fix my car", "what's the weather"):
        result = await member.slash(channel, "ask", question=question)
        reply = result.response
        assert reply.ephemeral
        assert "couldn't find anything" in reply.content and "/treatments" in reply.content
        assert not reply.embeds


async def test_ask_rejects_empty_and_overlong_questions(simcord_env, member, channel):
    empty = (await member.slash(channel, "ask", question="   ")).response
    assert empty.ephemeral and "type a question" in empty.content
    with pytest.raises(simcord.SetupError, match="at most 499 characters"):  # Discord refuses it
        await member.slash(channel, "ask", question="why " * 130)
    simcord.assert_error(simcord_env, UserError)


async def test_unknown_treatment_suggests_close_names(simcord_env, member, channel):
    reply = (await member.slash(channel, "treatment", name="baclo")).response
    assert reply.ephemeral
    assert "I don't have an article about" in reply.content and "Did you mean Baclofen?" in reply.content
    reply = (await member.slash(channel, "treatment", name="@everyone ropinirole")).response
    assert "@everyone" not in reply.content and "/treatments" in reply.content
    simcord.assert_error(simcord_env, NotFound)


async def test_compare_side_by_side(member, channel):
    message = (await member.slash(channel, "compare", first="baclofen", second="Namenda")).response
    (embed,) = message.embeds
    assert embed.title == "Baclofen vs Memantine"
    assert "Limited" in embed.description
    names = [f.name for f in embed.fields]
    assert names.index("Side effects: Baclofen") + 1 == names.index("Side effects: Memantine")
    values = {f.name: f.value for f in embed.fields}
    assert (
        "drowsiness" in values["Side effects: Baclofen"]
        and "constipation" in values["Side effects: Memantine"]
    )
    assert "James Hines" in values["Sources"] and "Hudson Bellamy" in values["Sources"]
    assert len(embed) <= 6000 and len(embed.fields) <= 25
    ids = custom_ids(message)
    assert "kb:topic:memantine:risks" in ids and "kb:topic:baclofen:risks" in ids and len(ids) <= 25
    assert labels(message)["kb:topic:memantine:risks"] == "Memantine: Risks & cautions"
    choices = await member.autocomplete(channel, "compare", "second", "mem", first="baclofen")
    assert choices[0]["value"] == "memantine" and len(choices) <= 25


async def test_compare_the_same_treatment_twice(simcord_env, member, channel):
    reply = (await member.slash(channel, "compare", first="baclofen", second="Lioresal")).response
    assert reply.ephemeral and "Pick two different treatments" in reply.content
    simcord.assert_error(simcord_env, UserError)


async def test_about(member, channel):
    reply = (await member.slash(channel, "about")).response
    (embed,) = reply.embeds
    text = embed.description + " ".join(f"{f.name} {f.value}" for f in embed.fields)
    for expected in (
        "check-in diary",
        "Moderation",
        "Crisis help",
        "/mydata delete",
        "90 days",
        "not medical advice",
    ):
        assert expected in text
    assert "Baclofen and Restless Leg Syndrome: Can It Provide Relief?" in text
    assert "Hudson Bellamy" in text
    assert len(embed) <= 6000


async def test_read_more_on_an_answer_works_after_a_restart(member, channel, restart):
    message = (await member.slash(channel, "ask", question="baclofen side effects")).response
    read_more = custom_ids(message)[0]
    await restart()
    full = (await member.click(message, custom_id=read_more)).response
    assert full.ephemeral and "gradual tapering schedule" in full.embeds[0].description


async def test_ask_answers_privately_and_shares_the_answer_not_the_question(member, channel, restart):
    question = "is lioresal habit forming"
    message = (await member.slash(channel, "ask", question=question)).response
    assert message.ephemeral
    assert message.embeds[0].title.startswith("1. Side Effects")
    share = next(i for i in custom_ids(message) if i.startswith("kb:share:"))
    assert labels(message)[share] == "Share in channel"
    await restart()  # the button still works after a restart
    shared = (await member.click(message, custom_id=share)).response
    assert not shared.ephemeral
    assert [e.title for e in shared.embeds] == [e.title for e in message.embeds]
    assert "habit forming" not in shared.content and "lioresal" not in (shared.content or "").casefold()
    assert "not medical advice" in shared.embeds[-1].footer.text


async def test_a_shared_answer_whose_article_changed_has_expired(member, channel, restart, tmp_path):
    message = (await member.slash(channel, "ask", question="baclofen side effects")).response
    share = next(i for i in custom_ids(message) if i.startswith("kb:share:"))
    edited = tmp_path / "edited"
    shutil.copytree(ARTICLES_DIR, edited)
    article = edited / "baclofen.md"
    article.write_text(article.read_text().replace("drowsiness, dizziness", "drowsiness, hiccups, dizziness"))
    await restart(articles_dir=edited)
    reply = (await member.click(message, custom_id=share)).response
    assert reply.ephemeral and "expired" in reply.content


async def test_a_server_can_make_answers_public_by_default(simcord_env, guild, channel, member):
    admin_role = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("admin"), roles=[admin_role])
    reply = (await admin.slash(channel, "ask-settings", default="public")).response
    assert reply.ephemeral and "in the channel" in reply.content
    message = (await member.slash(channel, "ask", question="baclofen side effects")).response
    assert not message.ephemeral and "baclofen side effects" in message.content
    assert not any(i.startswith("kb:share:") for i in custom_ids(message))
    await admin.slash(channel, "ask-settings", default="private")
    assert (await member.slash(channel, "ask", question="baclofen side effects")).response.ephemeral


async def test_a_refusal_says_what_the_article_covers(member, channel):
    reply = (await member.slash(channel, "ask", question="is memantine addictive")).response
    assert reply.ephemeral and not reply.embeds
    assert "doesn't cover dependence" in reply.content and "side effects" in reply.content
    reply = (await member.slash(channel, "ask", question="how many mg of baclofen should I take")).response
    assert "doses" in reply.content
