"""Fixtures for the knowledge domain: a real index on a temporary database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.db import Database, discover_migrations
from bot.knowledge import KnowledgeBase
from bot.knowledge.importer import import_file

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ROOT / "data" / "articles"
RAW = ROOT / "tests" / "data" / "raw"
SEEDS = ROOT / "tests" / "data" / "seeds"  # the two raw community articles the shipped ones came from


def knowledge_migrations():
    return [m for m in discover_migrations() if 100 <= m.version <= 199]


@pytest.fixture
async def db(tmp_path: Path):
    database = await Database(tmp_path / "kb.db").open()
    await database.migrate(knowledge_migrations())
    yield database
    await database.close()


@pytest.fixture
def shipped_dir(tmp_path: Path) -> Path:
    """A copy of the shipped articles that a test may change."""
    target = tmp_path / "articles"
    shutil.copytree(SHIPPED, target)
    return target


@pytest.fixture
def many_dir(tmp_path: Path) -> Path:
    """The shipped articles plus every raw test article, imported."""
    target = tmp_path / "many"
    shutil.copytree(SHIPPED, target)
    for raw in sorted(RAW.glob("*.txt")):
        import_file(raw, target)
    return target


@pytest.fixture
async def kb(db, shipped_dir) -> KnowledgeBase:
    return await KnowledgeBase.open(db, shipped_dir)


@pytest.fixture
async def many_kb(db, many_dir) -> KnowledgeBase:
    return await KnowledgeBase.open(db, many_dir)
