from __future__ import annotations

import pytest

from bot.db import Database, discover_migrations


@pytest.fixture
async def db(tmp_path):
    """A database with the core and diary tables only."""
    database = await Database(tmp_path / "diary.db").open()
    await database.migrate([m for m in discover_migrations() if m.version < 100 or 200 <= m.version < 300])
    yield database
    await database.close()
