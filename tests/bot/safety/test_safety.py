"""Crisis-language detection and the per-server crisis settings."""

from __future__ import annotations

import pytest

from bot import safety
from bot.db import Database, discover_migrations


@pytest.mark.parametrize(
    "text",
    [
        "I want to die",
        "i want to diiiie",
        "I'm thinking about ending it all",
        "honestly i feel suicidal tonight",
        "I don't want to live like this anymore",
        "everyone would be better off without me",
        "I wish I could just not wake up",
        "I can't go on like this anymore",
        "I keep thinking about hurting myself",
        "ugh kms",
        "I'm not suicidal but I wish I was dead",
        # passive ideation, with and without apostrophes (check-in notes are not expanded)
        "I don't see the point anymore",
        "i dont see the point anymore",
        "I'm so tired of living like this",
        "what's the point of living if every night is torture",
        "honestly sometimes i just want to go to sleep and never wake up",
        "i can't do this anymore, i want it all to end",
        "nobody would even notice if i was gone",
        "they'd be better off if I wasn't around",
        "everyone would be happier if i wasnt here",
        "I have pills saved up",
        "i wanna die",
        "I lost my brother to suicide and tonight I feel suicidal too",
        # giving possessions away, a warning sign even without "I"
        "giving my things away",
        "gave away all my stuff this week",
        "been handing my belongings away",
    ],
)
def test_crisis_language_is_detected(text):
    assert safety.detect_crisis(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "this restless legs thing is killing me",
        "dying to try the new patch",
        "the suicide prevention hotline number is 988",
        "I'm not suicidal, just exhausted",
        "I walked 5 kms today and my legs are better",
        "I'm dead tired after another night of kicking",
        "dying for sleep",
        "what's the suicide hotline number? asking for a friend who's struggling",
        "My cousin died by suicide last year and nights like this make me think of him",
        "I don't see the point of taking iron if my ferritin is fine",
        "I'm tired of RLS ruining my evenings",
        "it would be better if i was here with you",
        "I sleep and never wake up rested",
        "nobody would notice if i left the group chat",
        "tired of life with rls honestly, but I'll keep going",
        "cant see the point in trying another med tbh",
        "good night everyone",
        "giving my old books away to the charity shop",
        "",
    ],
)
def test_ordinary_or_other_people_talk_is_not_crisis(text):
    assert safety.detect_crisis(text) is None


@pytest.fixture
async def db(tmp_path):
    database = await Database(tmp_path / "s.db").open()
    await database.migrate([m for m in discover_migrations() if m.version < 100 or 400 <= m.version < 500])
    yield database
    await database.close()


async def test_resources_and_alert_channel_per_server(db):
    assert await safety.get_resources(db, 1) == safety.DEFAULT_RESOURCES
    assert await safety.get_resources(db, None) == safety.DEFAULT_RESOURCES
    assert await safety.get_alert_channel(db, 1) is None
    await safety.configure(db, 1, channel_id=55, resources="Call the Befrienders line: 123")
    assert await safety.get_resources(db, 1) == "Call the Befrienders line: 123"
    assert await safety.get_alert_channel(db, 1) == 55
    assert await safety.get_resources(db, 2) == safety.DEFAULT_RESOURCES
    # Options left out keep their values.
    await safety.configure(db, 1, channel_id=None, resources=None)
    assert await safety.get_resources(db, 1) == "Call the Befrienders line: 123"
    assert await safety.get_alert_channel(db, 1) == 55
    settings = await safety.configure(db, 1, role_id=77)
    assert settings == safety.SafetySettings(55, "Call the Befrienders line: 123", 77)
    assert await safety.get_settings(db, 2) == safety.SafetySettings()
