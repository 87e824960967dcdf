"""Scoring /ask on a labelled question set: top-1 section, refusals, imported articles.

A set is a TSV with columns ``article``, ``section``, ``question`` (and a
source); ``article`` is a treatment slug, or ``REFUSE`` for a question the
articles must not answer. Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.knowledge.importer import import_file

REFUSE = "REFUSE"


@dataclass(frozen=True)
class Case:
    article: str
    section: str
    question: str


@dataclass
class Score:
    answerable: int = 0
    top1: int = 0
    refusable: int = 0
    refused: int = 0
    imported: int = 0
    imported_top1: int = 0
    comment_leaks: int = 0
    # not in the repr: a failing assertion on a blind set must not show its questions
    misses: list[tuple[Case, str]] = field(default_factory=list, repr=False)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.answerable if self.answerable else 0.0

    @property
    def refusal_rate(self) -> float:
        return self.refused / self.refusable if self.refusable else 0.0

    @property
    def imported_rate(self) -> float:
        return self.imported_top1 / self.imported if self.imported else 0.0


def read_cases(path: Path) -> list[Case]:
    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3 or parts[0] == "article":
            continue
        cases.append(Case(parts[0].strip(), parts[1].strip(), parts[2].strip()))
    return cases


def build_articles(
    shipped: Path, raw_files: list[Path], dest: Path
) -> tuple[set[str], list[str], dict[str, str]]:
    """Copy the shipped articles to ``dest`` and import the raw ones.

    Returns (imported slugs, comment texts, raw file name -> the slug its import was given): a set
    names an imported article by its raw file ("oxycodone_naloxone"), the importer by its treatment
    ("oxycodone").
    """
    shutil.copytree(shipped, dest, dirs_exist_ok=True)
    slugs, comments, names = set(), [], {}
    for raw in raw_files:
        result = import_file(raw, dest, force=True)
        slugs.add(result.article_path.stem)
        names[raw.stem] = result.article_path.stem
        if result.comments_path:
            data = yaml.safe_load(result.comments_path.read_text(encoding="utf-8")) or {}
            comments.extend(c.get("text", "") for c in data.get("comments", []) if c.get("text"))
    return slugs, comments, names


def named(cases: list[Case], names: dict[str, str]) -> list[Case]:
    """The cases with each raw file's name replaced by the slug its import was given."""
    return [Case(names[c.article], c.section, c.question) if c.article in names else c for c in cases]


def _leaks(text: str, comments: list[str]) -> bool:
    low = " ".join(text.casefold().split())
    for comment in comments:
        words = comment.casefold().split()
        for start in range(0, max(1, len(words) - 7), 4):
            piece = " ".join(words[start : start + 8])
            if len(piece) >= 30 and piece in low:
                return True
    return False


async def score(
    kb, cases: list[Case], imported: set[str], comments: list[str], names: dict[str, str] | None = None
) -> Score:
    result = Score()
    for case in named(cases, names or {}):
        answer = await kb.ask(case.question)
        for passage in answer.results:
            if _leaks(passage.text, comments):
                result.comment_leaks += 1
        got = (
            f"{answer.results[0].treatment}: {answer.results[0].section}"
            if answer.answered
            else f"refused ({answer.topic}, {answer.reason})"
        )
        if case.article == REFUSE:
            result.refusable += 1
            if not answer.answered:
                result.refused += 1
            else:
                result.misses.append((case, got))
            continue
        result.answerable += 1
        right = (
            answer.answered
            and answer.results[0].treatment == case.article
            and " ".join(answer.results[0].section.split()) == " ".join(case.section.split())
        )
        result.top1 += right
        if case.article in imported:
            result.imported += 1
            result.imported_top1 += right
        if not right:
            result.misses.append((case, got))
    return result


async def score_set(questions: Path, shipped: Path, raw_files: list[Path]) -> Score:
    """Score a question set on the shipped articles plus raw ones imported as an admin would."""
    from bot.knowledge.cli import open_memory_kb

    with tempfile.TemporaryDirectory(prefix="rls-eval-") as tmp:
        imported, comments, names = build_articles(shipped, raw_files, Path(tmp) / "articles")
        db, kb = await open_memory_kb(Path(tmp) / "articles")
        try:
            return await score(kb, read_cases(questions), imported, comments, names)
        finally:
            await db.close()
