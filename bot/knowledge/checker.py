"""``articles check``: every problem in the articles directory, as file:line messages."""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.articles import Article, Problem, article_files, parse_file
from bot.knowledge.cards import sentences
from bot.knowledge.search import STOPWORDS, SYNONYMS, stem, tokens
from bot.knowledge.text import truncate


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


def check_articles(articles_dir: Path) -> tuple[list[Problem], list[Article]]:
    """Parse every article; report problems in each and clashes between them."""
    directory = Path(articles_dir)
    if not directory.is_dir():
        return [Problem(directory, 0, "articles directory does not exist")], []
    problems: list[Problem] = []
    articles: list[Article] = []
    for path in article_files(directory):
        article, found = parse_file(path)
        problems.extend(found)
        if article is not None:
            articles.append(article)
            problems.extend(support_problems(article))

    owners: dict[str, tuple[Article, str]] = {}  # name/alias key -> (article, how it is used)
    for article in articles:
        if not article.slug:
            continue
        names = [("slug", article.slug), ("name", article.treatment_name or "")]
        names += [("alias", alias) for alias in article.aliases]
        for kind, name in names:
            key = _key(name)
            if not key:
                continue
            owner = owners.get(key)
            if owner is None:
                owners[key] = (article, kind)
                continue
            other, _ = owner
            if other is article:
                continue
            line = article.lines.get("treatment.aliases" if kind == "alias" else "treatment", 1)
            if other.slug == article.slug and kind == "slug":
                problems.append(
                    Problem(
                        article.path,
                        line,
                        f"duplicate treatment '{article.slug}': also covered by {other.path.name}",
                    )
                )
            elif kind != "slug":
                problems.append(
                    Problem(
                        article.path, line, f"treatment {kind} '{name}' is also used by {other.path.name}"
                    )
                )
    problems.sort(key=lambda p: (str(p.path), p.line))
    return problems, articles


# -- support: every curated or drafted fact must be said by the sections it cites ------------
_QUALIFIERS = {
    "rare": r"\brare(?:ly)?\b",
    "common": r"(?<!un)\bcommon(?:ly)?\b",
    "abruptly": r"\babrupt",
    "suddenly": r"\bsudden",
    "gradual": r"\bgradual",
}
_ABOUT_ARTICLE = re.compile(r"^(?:the|this) (?:article|author|text)\b", re.I)
MIN_SUPPORT = 0.34  # share of a fact sentence's content words its sections must use


def _stems(text: str) -> set[str]:
    return {stem(w)[:4] for w in tokens(text) if w not in STOPWORDS and len(w) >= 4}


def _expanded(text: str) -> set[str]:
    words = set(tokens(text))
    for word in list(words):
        for form in SYNONYMS.get(word, ()):
            words.update(tokens(form))
    for key, forms in SYNONYMS.items():
        if any(w in words for f in forms for w in tokens(f)):
            words.add(key)
    return {stem(w)[:4] for w in words}


def unsupported(fact_text: str, source_text: str) -> list[str]:
    """What a fact says that its sections do not: a sentence with little support, or a qualifier."""
    found: list[str] = []
    source = _expanded(source_text)
    low_source = source_text.casefold()
    for sentence in sentences(fact_text):
        if _ABOUT_ARTICLE.match(sentence):
            continue  # "The article does not discuss…" describes the article, not the treatment
        words = _stems(sentence)
        if len(words) >= 3 and len(words & source) / len(words) < MIN_SUPPORT:
            found.append(f"'{truncate(sentence, 80)}' is not in its section")
    low = fact_text.casefold()
    for word, pattern in _QUALIFIERS.items():
        if re.search(pattern, low) and not re.search(pattern, low_source):
            found.append(f"says '{word}', which its section does not")
    return found


def support_problems(article: Article) -> list[Problem]:
    problems = []
    for key, fact in article.facts.items():
        cited = [s for s in (article.section(h) for h in fact.sections) if s is not None]
        if not cited:
            continue
        source = " ".join(s.text for s in cited)
        for finding in unsupported(fact.text, source):
            problems.append(Problem(article.path, fact.line, f"facts.{key}: {finding}"))
    everything = " ".join(s.text for s in article.sections)
    for risk in article.key_risks:
        for finding in unsupported(risk, everything):
            problems.append(
                Problem(article.path, article.lines.get("key_risks", 1), f"key_risks '{risk}': {finding}")
            )
    return problems
