"""``articles check``: every problem in the articles directory, as file:line messages."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.articles import Article, Problem, article_files, parse_file


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
