"""Hostile member text in charts, pictures that fail, and forms or buttons nobody handles any more."""

from __future__ import annotations

import csv
import io

from bot.workers import ProcessWorker


def reply_of(result):
    return result.followups[-1] if result.followups else result.response


async def test_dollar_signs_in_treatments_and_notes_are_drawn_literally(simcord_env, channel, member):
    await member.slash(
        channel, "checkin", severity=4, treatments="iron $$", note="$\\frac{1}{0}$ x^2", date="yesterday"
    )
    await member.slash(channel, "checkin", severity=6, treatments="gabapentin $", note="$$$")
    history = reply_of(await member.slash(channel, "history"))
    assert [a.filename for a in history.attachments] == ["history.png"]
    assert (await history.attachments[0].read())[:4] == b"\x89PNG"
    export = reply_of(await member.slash(channel, "export"))
    names = [a.filename for a in export.attachments]
    assert names == ["rls-diary-2026-01-01.csv", "rls-doctor-summary-2026-01-01.png"]
    rows = list(csv.DictReader(io.StringIO((await export.attachments[0].read()).decode("utf-8-sig"))))
    assert [r["treatments"] for r in rows] == ["iron $$", "gabapentin $"]
    assert "Sorry, something went wrong" not in export.content


async def test_a_picture_that_cannot_be_drawn_never_costs_the_summary_or_the_csv(
    simcord_env, channel, member, monkeypatch
):
    async def broken(self, fn, *args):
        raise ValueError("the renderer choked")

    monkeypatch.setattr(ProcessWorker, "run", broken)
    await member.slash(channel, "checkin", severity=5, treatments="iron")
    history = reply_of(await member.slash(channel, "history"))
    assert history.attachments == []
    assert "1 check-in" in history.embeds[0].description
    assert "couldn't draw your chart" in history.embeds[0].fields[0].value
    export = reply_of(await member.slash(channel, "export"))
    assert [a.filename for a in export.attachments] == ["rls-diary-2026-01-01.csv"]
    assert "couldn't draw the one-page doctor summary" in export.content
    assert "Sorry, something went wrong" not in export.content
