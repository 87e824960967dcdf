"""Members look up treatment facts through the real bot, driven by simcord."""

from __future__ import annotations

import discord

from cogs.knowledge import DISCLAIMER


def embed_size(embed: discord.Embed) -> int:
    return len(embed)


def all_custom_ids(components: list[dict]) -> list[str]:
    ids = []
    for row in components:
        for item in row.get("components", []):
            if item.get("custom_id"):
                ids.append(item["custom_id"])
    return ids


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
    assert embed.footer.text.startswith("Information from community articles, not medical advice")
    assert len(embed) <= 6000
    ids = all_custom_ids(message.components)
    assert "kb:topic:baclofen:side_effects" in ids and "kb:topic:baclofen:risks" in ids
    assert len(ids) == len(set(ids)) <= 25
