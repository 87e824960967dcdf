from __future__ import annotations

from pathlib import Path

import pytest

from bot.db import Database, discover_migrations
from bot.moderation.rules import load_rules
from bot.moderation.scanner import Scanner

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "data" / "moderation" / "rules.yaml"


@pytest.fixture
async def db(tmp_path):
    """A database with the core and moderation tables only."""
    database = await Database(tmp_path / "mod.db").open()
    await database.migrate([m for m in discover_migrations() if m.version < 100 or 300 <= m.version < 400])
    yield database
    await database.close()


@pytest.fixture(scope="session")
def ruleset():
    return load_rules(RULES)


@pytest.fixture(scope="session")
def scanner(ruleset):
    return Scanner(ruleset)
